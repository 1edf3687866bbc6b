#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A CRI client for tests/e2e/cri.sh: calls containerd's CRI plugin over its
socket the way the kubelet does, through a client generated at test time
from ../shared/cri/api.proto (python3-grpcio, python3-grpc-tools).

usage: cri-client.py GEN_DIR SOCKET COMMAND ARGS...
  version
  runp POD.json [HANDLER]          prints the pod sandbox id
  create POD_ID CONTAINER.json POD.json
                                   prints the container id
  start CONTAINER_ID
  exec CONTAINER_ID CMD...         ExecSync: prints stdout, then stderr to
                                   stderr; exits with the command's status
  pid CONTAINER_ID                 the container's init pid (verbose status)
  stopp POD_ID / rmp POD_ID
  pods                             ids of the pod sandboxes it knows

The JSON files are PodSandboxConfig and ContainerConfig in protobuf's JSON
form. A failed call prints the gRPC status and its details and exits 3."""

import json
import sys

import grpc
from google.protobuf import json_format


def load(path, message):
    with open(path) as f:
        return json_format.ParseDict(json.load(f), message)


def main(argv):
    gen, sock, cmd, args = argv[1], argv[2], argv[3], argv[4:]
    sys.path.insert(0, gen)
    import api_pb2 as pb  # noqa: E402 (generated at test time)
    import api_pb2_grpc as rpc  # noqa: E402

    rt = rpc.RuntimeServiceStub(grpc.insecure_channel("unix://" + sock))
    t = 120
    if cmd == "version":
        r = rt.Version(pb.VersionRequest(), timeout=t)
        print(r.runtime_name, r.runtime_version, r.runtime_api_version)
    elif cmd == "runp":
        handler = args[1] if len(args) > 1 else ""
        r = rt.RunPodSandbox(
            pb.RunPodSandboxRequest(config=load(args[0], pb.PodSandboxConfig()),
                                    runtime_handler=handler), timeout=t)
        print(r.pod_sandbox_id)
    elif cmd == "create":
        r = rt.CreateContainer(
            pb.CreateContainerRequest(pod_sandbox_id=args[0],
                                      config=load(args[1], pb.ContainerConfig()),
                                      sandbox_config=load(args[2], pb.PodSandboxConfig())),
            timeout=t)
        print(r.container_id)
    elif cmd == "start":
        rt.StartContainer(pb.StartContainerRequest(container_id=args[0]), timeout=t)
    elif cmd == "exec":
        r = rt.ExecSync(pb.ExecSyncRequest(container_id=args[0], cmd=args[1:], timeout=60),
                        timeout=t)
        sys.stdout.write(r.stdout.decode(errors="replace"))
        sys.stderr.write(r.stderr.decode(errors="replace"))
        return r.exit_code
    elif cmd == "pid":
        r = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=args[0], verbose=True),
                               timeout=t)
        print(json.loads(r.info["info"])["pid"])
    elif cmd == "stopp":
        rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=args[0]), timeout=t)
    elif cmd == "rmp":
        rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=args[0]), timeout=t)
    elif cmd == "pods":
        for p in rt.ListPodSandbox(pb.ListPodSandboxRequest(), timeout=t).items:
            print(p.id)
    else:
        print("unknown command " + cmd, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except grpc.RpcError as e:
        print("CRI error: %s: %s" % (e.code(), e.details()), file=sys.stderr)
        sys.exit(3)
