#!/usr/bin/env bash
# Regenerates every generated file of the repository:
#   - proto/flygate/machines/v1/machines.proto and the Swift JSON mapping, by flygate-codegen
#     from Fly's OpenAPI document (../shared/fly-machines-openapi.json, or $FLY_OPENAPI);
#   - the Swift protobuf code of every proto file, by protoc with protoc-gen-swift built from
#     the swift-protobuf dependency (Visibility=Package).
#
# scripts/generate.sh            write into the work tree
# scripts/generate.sh --check    generate into a temporary folder and fail if the committed
#                                files differ (the test command runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

check=0
[[ "${1:-}" == "--check" ]] && check=1

openapi=${FLY_OPENAPI:-$root/../shared/fly-machines-openapi.json}

swift build --product flygate-codegen >/dev/null
swift build --product protoc-gen-swift >/dev/null
bin=$(swift build --show-bin-path)

out=$root
if ((check)); then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    mkdir -p "$out/proto"
    cp -R proto/. "$out/proto/"
fi

if [[ -f "$openapi" ]]; then
    "$bin/flygate-codegen" "$openapi" "$out" >/dev/null
else
    echo "generate.sh: $openapi not found; the proto and the JSON mapping are not regenerated" >&2
    if ((check)) && [[ -n ${CI:-} ]]; then
        echo "generate.sh: under CI the staleness check needs the document: failing" >&2
        exit 1
    fi
    if ((check)); then echo "generate.sh: skipping their staleness check" >&2; fi
fi

swift_proto() { # OUTPUT_DIR PROTO...
    local dir=$1
    shift
    mkdir -p "$dir"
    protoc --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
        --swift_opt=Visibility=Package --swift_opt=FileNaming=DropPath \
        --swift_out="$dir" -I "$out/proto" "$@"
}
swift_proto "$out/Sources/FlyGateWire/Generated" "$out/proto/ttrpc/ttrpc.proto"
swift_proto "$out/Sources/FlyGateServer/Generated" "$out/proto/grpc/health/v1/health.proto"
swift_proto "$out/Sources/FlyMachinesProto/Generated" \
    "$out/proto/flygate/machines/v1/machines.proto" "$out/proto/flygate/gateway/v1/gateway.proto"

if ((check)); then
    stale=0
    while IFS= read -r file; do
        rel=${file#"$out/"}
        if ! cmp -s "$file" "$root/$rel"; then
            echo "generate.sh: $rel is stale (run scripts/generate.sh)" >&2
            diff -u "$root/$rel" "$file" | head -20 >&2 || true
            stale=1
        fi
    done < <(find "$out/proto" "$out/Sources" -type f)
    if ((stale)); then exit 1; fi
    echo "generated files are current"
fi
