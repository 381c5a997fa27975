// Command flygate-grpc-load measures flygate's gRPC service: -connections connections, each
// with -inflight goroutines making unary calls back to back (Gateway/Health or Machines/Show)
// for -duration seconds or, with -calls N, until N calls are made (shared out among the
// goroutines as flygate-bench shares them), whichever comes first. It prints one JSON line:
//
//	{"calls":..,"seconds":..,"calls_per_second":..,"p50_us":..,"p90_us":..,"p99_us":..,"errors":..,...}
//
// The figures, the warm-up (-warmup calls per connection within -warmup-limit), -daemon-pid,
// -upstream-pid and the bounds on every loop are the loadgen package's, shared with
// flygate-ttrpc-load.
//
//	flygate-grpc-load -socket S -method health -connections 4 -inflight 16 -duration 3
//	flygate-grpc-load -socket S -method show -app bench -machine ID -inflight 16 -calls 5000 -warmup 200
//
// Show calls carry flygate-no-coalesce: true (as the bench's Show scenario does), so that
// identical calls in flight are each answered on their own; -no-coalesce=false drops it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	"github.com/flygate/flygate/clients/go/loadgen"
	gatewayv1 "github.com/flygate/flygate/proto/flygate/gateway/v1"
	machinesv1 "github.com/flygate/flygate/proto/flygate/machines/v1"
)

const program = "flygate-grpc-load"

func main() {
	socket := flag.String("socket", "", "flygate's Unix socket (required)")
	method := flag.String("method", "health", "health (Gateway/Health) or show (Machines/Show)")
	app := flag.String("app", "", "the app (show)")
	machine := flag.String("machine", "", "the machine id (show)")
	noCoalesce := flag.Bool("no-coalesce", true, "send flygate-no-coalesce: true with Show")
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
	case *socket == "":
		usage("-socket is required")
	case *method != "health" && *method != "show":
		usage("-method is health or show")
	case *method == "show" && (*app == "" || *machine == ""):
		usage("-method show needs -app and -machine")
	}
	if complaint := shape.Check(); complaint != "" {
		usage(complaint)
	}
	shape.StartWatchdog(program)

	path, err := filepath.Abs(*socket)
	if err != nil {
		loadgen.Print(program, nil, err)
	}
	base := context.Background()
	if *method == "show" && *noCoalesce {
		base = metadata.NewOutgoingContext(base, metadata.Pairs("flygate-no-coalesce", "true"))
	}
	// One ClientConn is one HTTP/2 connection to the socket; its calls are streams on it.
	var conns []*grpc.ClientConn
	report, err := loadgen.Run(base, shape, *method, func(int) (loadgen.Call, error) {
		conn, err := grpc.Dial("unix://"+path, grpc.WithInsecure())
		if err != nil {
			return nil, fmt.Errorf("dial %s: %v", *socket, err)
		}
		conns = append(conns, conn)
		switch *method {
		case "health":
			client := gatewayv1.NewGatewayClient(conn)
			request := &gatewayv1.HealthRequest{}
			return func(ctx context.Context) error { _, err := client.Health(ctx, request); return err }, nil
		default:
			client := machinesv1.NewMachinesClient(conn)
			request := &machinesv1.ShowRequest{AppName: proto.String(*app), MachineId: proto.String(*machine)}
			return func(ctx context.Context) error { _, err := client.Show(ctx, request); return err }, nil
		}
	})
	for _, conn := range conns {
		conn.Close()
	}
	loadgen.Print(program, report, err)
}
