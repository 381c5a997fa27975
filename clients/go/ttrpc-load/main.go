// Command flygate-ttrpc-load is flygate-grpc-load's twin for the references flygate-bench
// measures the daemon against: the same load shapes, flags and JSON line, made with clients
// nobody here wrote.
//
//   - With -socket S it calls Gateway/Health or Machines/Show over ttrpc with containerd's Go
//     ttrpc client (github.com/containerd/ttrpc 1.1, one ttrpc.Client per connection, the
//     in-flight calls as goroutines): against flygate's socket, or against
//     flygate-ttrpc-echo's, which answers Health as a plain Go ttrpc server does.
//   - With -url U it makes Show directly, the way a program calls the Machines API itself:
//     Go's net/http with one pooled client per connection (keep-alive, up to -inflight idle
//     connections kept per host), GET U/v1/apps/{app}/machines/{id} with the authorization,
//     user-agent and accept headers flygate sends upstream (the token from FLY_API_TOKEN), the
//     answer read whole and decoded as JSON. This is the direct path flygate's Show is
//     compared with, against the simulator the daemon proxies to.
//
// The figures, the warm-up, -daemon-pid, -upstream-pid and the bounds on every loop are the
// loadgen package's (see flygate-grpc-load).
//
//	flygate-ttrpc-load -socket S -method health -connections 4 -inflight 16 -duration 3
//	flygate-ttrpc-load -socket S -method show -app bench -machine ID -inflight 16 -calls 5000 -warmup 200
//	FLY_API_TOKEN=... flygate-ttrpc-load -url http://127.0.0.1:PORT -method show -app bench -machine ID -inflight 16
//
// Show calls over ttrpc carry flygate-no-coalesce: true (as the bench's Show scenario does),
// so that identical calls in flight are each answered on their own; -no-coalesce=false drops it.
// -machine takes a comma-separated list too: each Show names the next machine in turn, so that
// with as many machines as calls in flight the calls in flight at once differ, and a daemon's
// coalescing stage (with -no-coalesce=false) has nothing to share.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"

	"github.com/containerd/ttrpc"
	"google.golang.org/protobuf/proto"

	"github.com/flygate/flygate/clients/go/loadgen"
	"github.com/flygate/flygate/clients/go/machinesapi"
	"github.com/flygate/flygate/clients/go/ttrpcstub"
	gatewayv1 "github.com/flygate/flygate/proto/flygate/gateway/v1"
	machinesv1 "github.com/flygate/flygate/proto/flygate/machines/v1"
)

const program = "flygate-ttrpc-load"

func main() {
	socket := flag.String("socket", "", "a ttrpc Unix socket: flygate's, or flygate-ttrpc-echo's")
	base := flag.String("url", "", "the Machines API base URL, without /v1, to call Show on directly over HTTP (instead of -socket)")
	method := flag.String("method", "health", "health (Gateway/Health, ttrpc only) or show (Machines/Show)")
	app := flag.String("app", "", "the app (show)")
	machine := flag.String("machine", "", "the machine id (show); a comma-separated list is taken in turn, one per call")
	noCoalesce := flag.Bool("no-coalesce", true, "send flygate-no-coalesce: true with Show over ttrpc")
	shape := loadgen.Flags()
	flag.Parse()

	usage := func(message string) {
		fmt.Fprintf(os.Stderr, "%s: %s\n", program, message)
		flag.Usage()
		os.Exit(2)
	}
	switch {
	case flag.NArg() != 0:
		usage("unexpected arguments")
	case (*socket == "") == (*base == ""):
		usage("give one of -socket and -url")
	case *method != "health" && *method != "show":
		usage("-method is health or show")
	case *base != "" && *method != "show":
		usage("-url makes Show calls: -method show")
	case *method == "show" && (*app == "" || *machine == ""):
		usage("-method show needs -app and -machine")
	}
	if complaint := shape.Check(); complaint != "" {
		usage(complaint)
	}
	shape.StartWatchdog(program)

	var report *loadgen.Report
	var err error
	if *socket != "" {
		report, err = overTTRPC(shape, *socket, *method, *app, newMachineCycle(*machine), *noCoalesce)
	} else {
		report, err = overHTTP(shape, *base, *app, newMachineCycle(*machine))
	}
	loadgen.Print(program, report, err)
}

// overTTRPC measures with one containerd ttrpc client per connection to socket.
func overTTRPC(shape *loadgen.Shape, socket, method, app string, machines *machineCycle, noCoalesce bool) (*loadgen.Report, error) {
	ctx := context.Background()
	if method == "show" && noCoalesce {
		ctx = ttrpc.WithMetadata(ctx, ttrpc.MD{"flygate-no-coalesce": []string{"true"}})
	}
	requests := make([]*machinesv1.ShowRequest, len(machines.ids))
	for i, id := range machines.ids {
		requests[i] = &machinesv1.ShowRequest{AppName: proto.String(app), MachineId: proto.String(id)}
	}
	var clients []*ttrpc.Client
	defer func() {
		for _, client := range clients {
			client.Close()
		}
	}()
	return loadgen.Run(ctx, shape, method, func(int) (loadgen.Call, error) {
		conn, err := net.DialTimeout("unix", socket, shape.Timeout)
		if err != nil {
			return nil, fmt.Errorf("dial %s: %v", socket, err)
		}
		client := ttrpc.NewClient(conn)
		clients = append(clients, client)
		if method == "health" {
			gateway := ttrpcstub.GatewayClient{Client: client}
			request := &gatewayv1.HealthRequest{}
			return func(ctx context.Context) error { _, err := gateway.Health(ctx, request); return err }, nil
		}
		stub := ttrpcstub.MachinesClient{Client: client}
		return func(ctx context.Context) error {
			i := machines.take()
			response, err := stub.Show(ctx, requests[i])
			if err == nil && response.GetBody().GetId() != machines.ids[i] {
				err = fmt.Errorf("Show answered machine %q, not %q", response.GetBody().GetId(), machines.ids[i])
			}
			return err
		}, nil
	})
}

// overHTTP measures Show made directly with one pooled net/http client per connection.
func overHTTP(shape *loadgen.Shape, base, app string, machines *machineCycle) (*loadgen.Report, error) {
	parsed, err := url.Parse(base)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return nil, fmt.Errorf("-url %q is not an http(s) URL", base)
	}
	token := os.Getenv("FLY_API_TOKEN")
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("no Fly API token: set FLY_API_TOKEN")
	}
	authorization := machinesapi.AuthorizationHeader(token)
	targets := make([]string, len(machines.ids))
	for i, id := range machines.ids {
		targets[i] = machinesapi.MachineURL(base, app, id)
	}

	var clients []*http.Client
	defer func() {
		for _, client := range clients {
			client.CloseIdleConnections()
		}
	}()
	return loadgen.Run(context.Background(), shape, "show", func(int) (loadgen.Call, error) {
		// Enough idle connections for every call in flight.
		client := machinesapi.NewClient(shape.Timeout, shape.InFlight)
		clients = append(clients, client)
		return func(ctx context.Context) error {
			i := machines.take()
			return show(ctx, client, targets[i], authorization, machines.ids[i])
		}, nil
	})
}

// show makes one Get Machine call and checks that the answer is the machine asked for.
func show(ctx context.Context, client *http.Client, target, authorization, machine string) error {
	code, body, err := machinesapi.GetMachine(ctx, client, target, authorization, program)
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		if len(body) > 200 {
			body = body[:200]
		}
		return fmt.Errorf("GET Machine: %d %s: %s", code, http.StatusText(code), body)
	}
	var answer struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return fmt.Errorf("GET Machine: %v", err)
	}
	if answer.ID != machine {
		return fmt.Errorf("GET Machine answered machine %q, not %q", answer.ID, machine)
	}
	return nil
}

// machineCycle hands out the machines of -machine in turn, one per Show, across every
// connection.
type machineCycle struct {
	ids  []string
	next uint64
}

func newMachineCycle(list string) *machineCycle {
	return &machineCycle{ids: strings.Split(list, ",")}
}

// take is the index of the next call's machine.
func (c *machineCycle) take() int {
	return int((atomic.AddUint64(&c.next, 1) - 1) % uint64(len(c.ids)))
}
