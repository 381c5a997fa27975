// Command flygate-ttrpc-proxy is the reference for what any proxy of Show costs: the least a
// Go service on containerd's ttrpc server (github.com/containerd/ttrpc 1.1) does to answer
// flygate.machines.v1.Machines/Show from the Machines API. For each call it decodes the
// request, makes GET {upstream}/v1/apps/{app}/machines/{id} with one pooled net/http client
// (keep-alive, the direct path's headers and Authorization, the call's deadline), decodes
// the JSON answer into the proto Machine (protojson, unknown members dropped) and answers it.
// No policy, audit, coalescing, leases, rate limits or retries: what flygate does on top of
// this is its own cost.
// flygate-bench drives it with flygate-ttrpc-load beside the daemon's Show and the direct one.
//
//	FLY_API_TOKEN=... flygate-ttrpc-proxy -socket /tmp/proxy.sock -upstream http://127.0.0.1:PORT
//
// It checks each connection's peer with SO_PEERCRED (the same user), prints "ready, serving on
// PATH" once it accepts connections; SIGTERM or SIGINT stop it (connections closed, socket
// removed), and it stops by itself after -lifetime, so a bench that dies cannot leave it
// behind for long. Other methods answer UNIMPLEMENTED.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/containerd/ttrpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/flygate/flygate/clients/go/machinesapi"
	"github.com/flygate/flygate/clients/go/ttrpcstub"
	machinesv1 "github.com/flygate/flygate/proto/flygate/machines/v1"
)

const program = "flygate-ttrpc-proxy"

// proxy answers Show from the upstream with one pooled client.
type proxy struct {
	client        *http.Client
	base          string
	authorization string
}

func (p *proxy) Show(ctx context.Context, request *machinesv1.ShowRequest) (*machinesv1.ShowResponse, error) {
	if request.GetAppName() == "" || request.GetMachineId() == "" {
		return nil, status.Error(codes.InvalidArgument, "app_name and machine_id are required")
	}
	target := machinesapi.MachineURL(p.base, request.GetAppName(), request.GetMachineId())
	code, body, err := machinesapi.GetMachine(ctx, p.client, target, p.authorization, program)
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, status.Error(codes.DeadlineExceeded, "deadline exceeded")
	case errors.Is(err, machinesapi.ErrAnswerCutShort):
		return nil, status.Error(codes.Unavailable, "upstream answer cut short")
	case err != nil:
		return nil, status.Error(codes.Unavailable, "upstream unreachable")
	case code == http.StatusNotFound:
		return nil, status.Error(codes.NotFound, "machine not found")
	case code != http.StatusOK:
		return nil, status.Errorf(codes.Unavailable, "upstream answered %d", code)
	}
	machine := &machinesv1.Machine{}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(body, machine); err != nil {
		return nil, status.Error(codes.Internal, "upstream answer is not a Machine")
	}
	return &machinesv1.ShowResponse{Body: machine}, nil
}

func main() {
	socket := flag.String("socket", "", "the Unix socket to serve on (required; must not exist)")
	base := flag.String("upstream", "", "the Machines API base URL, without /v1 (required)")
	lifetime := flag.Duration("lifetime", time.Hour, "stop after this long whatever happens")
	flag.Parse()
	parsed, err := url.Parse(*base)
	if flag.NArg() != 0 || *socket == "" || *lifetime <= 0 || err != nil ||
		(parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		fmt.Fprintf(os.Stderr, "%s: -socket and an http(s) -upstream are required, -lifetime positive, no other arguments\n", program)
		flag.Usage()
		os.Exit(2)
	}
	token := strings.TrimSpace(os.Getenv("FLY_API_TOKEN"))
	if token == "" {
		fmt.Fprintf(os.Stderr, "%s: no Fly API token: set FLY_API_TOKEN\n", program)
		os.Exit(2)
	}
	p := &proxy{
		client:        machinesapi.NewClient(10*time.Second, 64),
		base:          *base,
		authorization: machinesapi.AuthorizationHeader(token),
	}
	if err := serve(*socket, *lifetime, p); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", program, err)
		os.Exit(1)
	}
}

func serve(socket string, lifetime time.Duration, p *proxy) error {
	server, err := ttrpc.NewServer(ttrpc.WithServerHandshaker(ttrpc.UnixSocketRequireSameUser()))
	if err != nil {
		return err
	}
	ttrpcstub.RegisterMachinesShow(server, p)
	return ttrpcstub.Serve(program, server, socket, lifetime)
}
