#!/usr/bin/env bash
# generate.sh OUTDIR: grpcio-tools stubs of the flygate services into OUTDIR, as regular packages
# (the ttrpc client is also a package named `flygate`: put OUTDIR first on sys.path).
set -euo pipefail
out=${1:?usage: generate.sh OUTDIR}
root="$(cd "$(dirname "$0")/../.." && pwd)"
python=${PYTHON:-python3}
mkdir -p "$out"
cd "$root"
"$python" -m grpc_tools.protoc -I proto --python_out="$out" --grpc_python_out="$out" \
    proto/flygate/machines/v1/machines.proto proto/flygate/gateway/v1/gateway.proto
find "$out" -type d -exec touch {}/__init__.py \;
