// Command flygate-ttrpc-echo is the reference for flygate's own floor: containerd's Go ttrpc
// server (github.com/containerd/ttrpc 1.1) on a Unix socket, answering
// flygate.gateway.v1.Gateway/Health with a constant HealthResponse, as a Go service built on
// ttrpc would. flygate-bench drives it with flygate-ttrpc-load beside the daemon's Health.
//
//	flygate-ttrpc-echo -socket /tmp/echo.sock
//
// Like a containerd shim it checks each connection's peer with SO_PEERCRED (the same user),
// as flygate reads its peer's credentials once per connection. It prints "ready, serving on
// PATH" once it accepts connections; SIGTERM or SIGINT stop it (connections closed, socket
// removed), and it stops by itself after -lifetime, so a bench that dies cannot leave it
// behind for long. Other methods of the service answer UNIMPLEMENTED.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/containerd/ttrpc"

	"github.com/flygate/flygate/clients/go/ttrpcstub"
	gatewayv1 "github.com/flygate/flygate/proto/flygate/gateway/v1"
)

const program = "flygate-ttrpc-echo"

// health answers every Health call with the same message.
type health struct{ answer gatewayv1.HealthResponse }

func (h *health) Health(context.Context, *gatewayv1.HealthRequest) (*gatewayv1.HealthResponse, error) {
	return &h.answer, nil
}

func main() {
	socket := flag.String("socket", "", "the Unix socket to serve on (required; must not exist)")
	lifetime := flag.Duration("lifetime", time.Hour, "stop after this long whatever happens")
	flag.Parse()
	if flag.NArg() != 0 || *socket == "" || *lifetime <= 0 {
		fmt.Fprintf(os.Stderr, "%s: -socket is required, -lifetime positive, no other arguments\n", program)
		flag.Usage()
		os.Exit(2)
	}
	if err := serve(*socket, *lifetime); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", program, err)
		os.Exit(1)
	}
}

func serve(socket string, lifetime time.Duration) error {
	server, err := ttrpc.NewServer(ttrpc.WithServerHandshaker(ttrpc.UnixSocketRequireSameUser()))
	if err != nil {
		return err
	}
	ttrpcstub.RegisterGatewayHealth(server, &health{answer: gatewayv1.HealthResponse{
		Status: "serving", Version: "ttrpc-echo", Upstream: "none", Pid: int64(os.Getpid()),
	}})
	return ttrpcstub.Serve(program, server, socket, lifetime)
}
