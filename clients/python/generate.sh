#!/usr/bin/env bash
# Generates the package's protobuf modules (flygate/_proto/...) from the repository's proto/.
#
#   clients/python/generate.sh           write them into the package
#   clients/python/generate.sh --check   generate into a temporary folder; fail if the
#                                        committed modules differ (the test command runs this)
#
# The generator is grpcio-tools (its bundled protoc), pinned so that the generated code and the
# protobuf runtime pyproject.toml declares stay in step: grpcio-tools 1.76.0 bundles protoc 31.1,
# which writes code for the protobuf 6.31.1 runtime and later 6.x.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
proto=$(cd "$here/../../proto" && pwd)
python=${PYTHON:-python3}
generator_version=1.76.0

installed=$("$python" -c 'import importlib.metadata as m; print(m.version("grpcio-tools"))' 2>/dev/null || true)
if [[ "$installed" != "$generator_version" ]]; then
    echo "generate.sh: needs grpcio-tools==$generator_version (found: ${installed:-none});" \
        "run: $python -m pip install grpcio-tools==$generator_version" >&2
    exit 1
fi

check=0
[[ "${1:-}" == "--check" ]] && check=1
target=$here/flygate/_proto
out=$target
if ((check)); then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
else
    rm -rf "$target"
    mkdir -p "$target"
fi

# The envelope, the gateway's own service and every generated service (machines, apps, volumes,
# secrets, certificates, platform).
mapfile -t contract < <(cd "$proto" && find flygate -name '*.proto' | LC_ALL=C sort)
protos=(ttrpc/ttrpc.proto "${contract[@]}")
(cd "$proto" && "$python" -m grpc_tools.protoc -I . --python_out="$out" --pyi_out="$out" "${protos[@]}")
# protoc writes an import of another proto file as an absolute module (`from flygate.machines.v1
# import machines_pb2`); the modules live below flygate._proto, so point the imports there.
find "$out" -name '*_pb2.py*' -exec sed -i -E 's/^from flygate\.([a-z]+)\.v1 import /from flygate._proto.flygate.\1.v1 import /' {} +

# Every folder of the generated tree is a regular package of flygate._proto. The protos import
# no other proto file, so the generated imports need no rewriting.
while IFS= read -r dir; do
    : >"$dir/__init__.py"
done < <(find "$out" -type d)

if ((check)); then
    if ! diff -r -u "$target" "$out" >&2; then
        echo "generate.sh: clients/python/flygate/_proto is stale (run clients/python/generate.sh)" >&2
        exit 1
    fi
    echo "the Python client's generated modules are current"
fi
