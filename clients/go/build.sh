#!/usr/bin/env bash
# Builds the Go client programs, offline, from Debian's Go packages:
#
#   clients/go/build.sh OUTDIR [grpc] [ttrpc]
#     grpc  -> OUTDIR/flygate-grpc-example, OUTDIR/flygate-grpc-load (google.golang.org/grpc)
#     ttrpc -> OUTDIR/flygate-ttrpc-load, OUTDIR/flygate-ttrpc-echo, OUTDIR/flygate-ttrpc-proxy
#              (github.com/containerd/ttrpc)
#   (both sets when none is named)
#
# protoc-gen-go (and, for grpc, protoc-gen-go-grpc) writes the stubs of proto/ into a temporary
# GOPATH, under the import paths the protos' go_package options name, and this folder is linked
# in there as github.com/flygate/flygate/clients/go (the programs share its loadgen,
# machinesapi and ttrpcstub packages); the programs build against them and the Go sources Debian installs in
# GOPATH mode, with no module download. The stubs are build products: nothing here is committed.
#
# Needs: golang-go protobuf-compiler protoc-gen-go golang-google-protobuf-dev
# golang-github-golang-protobuf-1-5-dev golang-google-grpc-dev; grpc also protoc-gen-go-grpc,
# ttrpc also golang-github-containerd-ttrpc-dev (which brings gogo/protobuf, logrus,
# pkg/errors, x/sys and genproto). FLYGATE_GO_SYSTEM_PATH is where those Go sources are
# (default /usr/share/gocode, Debian's); FLYGATE_GOCACHE keeps Go's build cache between runs
# (default: a temporary one, removed at the end).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() {
    echo "usage: clients/go/build.sh OUTDIR [grpc] [ttrpc]" >&2
    exit 2
}
[[ $# -ge 1 && $1 != -* ]] || usage
outdir=$1
shift
sets=("$@")
((${#sets[@]})) || sets=(grpc ttrpc)
want_grpc=false want_ttrpc=false
for set in "${sets[@]}"; do
    case $set in
    grpc) want_grpc=true ;;
    ttrpc) want_ttrpc=true ;;
    *) usage ;;
    esac
done

system_path=${FLYGATE_GO_SYSTEM_PATH:-/usr/share/gocode}
tools=(go protoc protoc-gen-go)
sources=(google.golang.org/grpc google.golang.org/protobuf github.com/golang/protobuf)
packages=(golang-go protobuf-compiler protoc-gen-go golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev)
if $want_grpc; then
    tools+=(protoc-gen-go-grpc)
    packages+=(protoc-gen-go-grpc)
fi
if $want_ttrpc; then
    # ttrpc 1.1 and what it imports (its codec is gogo/protobuf's; its errors are grpc's status).
    sources+=(github.com/containerd/ttrpc github.com/gogo/protobuf github.com/sirupsen/logrus github.com/pkg/errors
        golang.org/x/sys google.golang.org/genproto)
    packages+=(golang-github-containerd-ttrpc-dev)
fi
missing=()
for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
for source in "${sources[@]}"; do
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
        echo "  on Debian: apt-get install ${packages[*]}"
    } >&2
    exit 1
fi

mkdir -p "$outdir"
out=$(cd "$outdir" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/flygate-go-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

module=github.com/flygate/flygate
mkdir -p "$work/gopath/src/$module/clients"
ln -s "$here" "$work/gopath/src/$module/clients/go"
grpc_out=()
if $want_grpc; then grpc_out=(--go-grpc_out="$work/gopath/src"); fi
(cd "$repo/proto" && protoc -I . --go_out="$work/gopath/src" "${grpc_out[@]}" \
    flygate/machines/v1/machines.proto flygate/gateway/v1/gateway.proto)

export GO111MODULE=off GOFLAGS= GOPROXY=off CGO_ENABLED=0
export GOPATH="$work/gopath:$system_path"
export GOCACHE=${FLYGATE_GOCACHE:-$work/cache}

programs=()
if $want_grpc; then programs+=(example:flygate-grpc-example load:flygate-grpc-load); fi
if $want_ttrpc; then programs+=(ttrpc-load:flygate-ttrpc-load ttrpc-echo:flygate-ttrpc-echo ttrpc-proxy:flygate-ttrpc-proxy); fi
paths=("$module/clients/go/loadgen")
if $want_ttrpc; then paths+=("$module/clients/go/ttrpcstub"); fi
for program in "${programs[@]}"; do paths+=("$module/clients/go/${program%%:*}"); done
go vet "${paths[@]}"
built=()
for program in "${programs[@]}"; do
    go build -o "$out/${program#*:}" "$module/clients/go/${program%%:*}"
    built+=("$out/${program#*:}")
done
versions=("$(protoc-gen-go --version)")
if $want_grpc; then
    versions+=("grpc-go $(sed -n 's/^const Version = "\(.*\)"/\1/p' "$system_path/src/google.golang.org/grpc/version.go")" "$(protoc-gen-go-grpc --version)")
fi
if $want_ttrpc; then
    versions+=("ttrpc $(dpkg-query -W -f='${Version}' golang-github-containerd-ttrpc-dev 2>/dev/null || echo '(version unknown)')")
fi
echo "built ${built[*]} ($(IFS=,; echo "${versions[*]}" | sed 's/,/, /g'))"
