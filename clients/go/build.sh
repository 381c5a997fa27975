#!/usr/bin/env bash
# Builds the Go gRPC client programs, offline, from Debian's Go packages:
#
#   clients/go/build.sh OUTDIR    -> OUTDIR/flygate-grpc-example, OUTDIR/flygate-grpc-load
#
# protoc-gen-go and protoc-gen-go-grpc write the stubs of proto/ into a temporary GOPATH, under
# the import paths the protos' go_package options name; the programs build against them and
# the Go sources Debian installs (golang-google-grpc-dev, golang-google-protobuf-dev) in GOPATH
# mode, with no module download. The stubs are build products: nothing here is committed.
#
# Needs: golang-go protobuf-compiler protoc-gen-go protoc-gen-go-grpc golang-google-grpc-dev
# golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev. FLYGATE_GO_SYSTEM_PATH is
# where those Go sources are (default /usr/share/gocode, Debian's); FLYGATE_GOCACHE keeps Go's
# build cache between runs (default: a temporary one, removed at the end).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if [[ $# -ne 1 || $1 == -* ]]; then
    echo "usage: clients/go/build.sh OUTDIR" >&2
    exit 2
fi

system_path=${FLYGATE_GO_SYSTEM_PATH:-/usr/share/gocode}
missing=()
for tool in go protoc protoc-gen-go protoc-gen-go-grpc; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
for source in google.golang.org/grpc google.golang.org/protobuf github.com/golang/protobuf; do
    [[ -d $system_path/src/$source ]] || missing+=("$source (Go sources in $system_path/src)")
done
# grpc-go 1.33 encodes messages through github.com/golang/protobuf. Its 1.3 (Debian's
# golang-github-golang-protobuf-1-3-dev, which also satisfies grpc's dependency) builds but panics
# on every message protoc-gen-go 1.28 generates ("protobuf tag not enough fields"); 1.4 and later
# hand them to google.golang.org/protobuf.
if [[ -d $system_path/src/github.com/golang/protobuf && ! -f $system_path/src/github.com/golang/protobuf/proto/registry.go ]]; then
    missing+=("github.com/golang/protobuf 1.4 or later (the one in $system_path/src is older)")
fi
if ((${#missing[@]})); then
    {
        echo "clients/go/build.sh: missing: ${missing[*]}"
        echo "  on Debian: apt-get install golang-go protobuf-compiler protoc-gen-go protoc-gen-go-grpc golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev"
    } >&2
    exit 1
fi

mkdir -p "$1"
out=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/flygate-go-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/gopath/src"
(cd "$repo/proto" && protoc -I . --go_out="$work/gopath/src" --go-grpc_out="$work/gopath/src" \
    flygate/machines/v1/machines.proto flygate/gateway/v1/gateway.proto)

export GO111MODULE=off GOFLAGS= GOPROXY=off CGO_ENABLED=0
export GOPATH="$work/gopath:$system_path"
export GOCACHE=${FLYGATE_GOCACHE:-$work/cache}

cd "$here"
go vet ./example ./load
go build -o "$out/flygate-grpc-example" ./example
go build -o "$out/flygate-grpc-load" ./load
echo "built $out/flygate-grpc-example and $out/flygate-grpc-load (grpc-go $(sed -n 's/^const Version = "\(.*\)"/\1/p' "$system_path/src/google.golang.org/grpc/version.go"), $(protoc-gen-go --version), $(protoc-gen-go-grpc --version))"
