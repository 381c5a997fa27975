#!/usr/bin/env bash
# generate.sh OUTDIR: grpcio-tools stubs of the flygate services into OUTDIR, as regular packages
# (the ttrpc client is also a package named `flygate`: put OUTDIR first on sys.path).
set -euo pipefail
out=${1:?usage: generate.sh OUTDIR}
root="$(cd "$(dirname "$0")/../.." && pwd)"
python=${PYTHON:-python3}
mkdir -p "$out"
cd "$root"
# Every generated service (machines, apps, volumes, secrets, certificates, platform) and the gateway's.
mapfile -t protos < <(find proto/flygate -name '*.proto' | LC_ALL=C sort)
"$python" -m grpc_tools.protoc -I proto --python_out="$out" --grpc_python_out="$out" "${protos[@]}"
find "$out" -type d -exec touch {}/__init__.py \;
