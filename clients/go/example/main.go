// Command flygate-grpc-example drives one machine through flygate's gRPC service on its Unix
// socket: it creates a machine, waits for it to start, finds it in the app's list, stops it
// and waits for it to stop. It prints one line per step and exits 0, or prints what failed
// and exits 1 (2 for a usage error).
//
//	flygate-grpc-example -socket /run/flygate/flygate.sock -app my-app
//
// It uses only google.golang.org/grpc and the stubs protoc-gen-go and protoc-gen-go-grpc make
// from proto/ (clients/go/build.sh).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	gatewayv1 "github.com/flygate/flygate/proto/flygate/gateway/v1"
	machinesv1 "github.com/flygate/flygate/proto/flygate/machines/v1"
)

func main() {
	socket := flag.String("socket", defaultSocket(), "flygate's Unix socket")
	app := flag.String("app", "go-grpc-example", "the Fly app to create the machine in")
	image := flag.String("image", "nginx:1.27", "the machine's image")
	timeout := flag.Duration("timeout", 30*time.Second, "each call's deadline (a wait gets 10 s more than Fly's wait timeout)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s [-socket PATH] [-app NAME] [-image IMAGE] [-timeout DURATION]\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 || *app == "" || *timeout <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*socket, *app, *image, *timeout); err != nil {
		fmt.Fprintf(os.Stderr, "flygate-grpc-example: %v\n", err)
		os.Exit(1)
	}
}

// defaultSocket is the daemon's rule: $FLYGATE_SOCKET, $XDG_RUNTIME_DIR/flygate/flygate.sock,
// /run/flygate/flygate.sock as root, else /tmp/flygate-$UID/flygate.sock.
func defaultSocket() string {
	if path := os.Getenv("FLYGATE_SOCKET"); path != "" {
		return path
	}
	if runtime := os.Getenv("XDG_RUNTIME_DIR"); runtime != "" {
		return filepath.Join(runtime, "flygate", "flygate.sock")
	}
	if os.Getuid() == 0 {
		return "/run/flygate/flygate.sock"
	}
	return fmt.Sprintf("/tmp/flygate-%d/flygate.sock", os.Getuid())
}

func run(socket, app, image string, timeout time.Duration) error {
	// The connection is made lazily: a daemon that is not there shows up as the first call's
	// UNAVAILABLE, within that call's deadline.
	conn, err := grpc.Dial("unix://"+absolute(socket), grpc.WithInsecure())
	if err != nil {
		return fmt.Errorf("dial %s: %v", socket, err)
	}
	defer conn.Close()
	machines := machinesv1.NewMachinesClient(conn)
	gateway := gatewayv1.NewGatewayClient(conn)

	// call gives each call its deadline and a flygate-request-id (it tags the call in the
	// daemon's audit log).
	call := func(step string, deadline time.Duration) (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		return metadata.AppendToOutgoingContext(ctx, "flygate-request-id", "go-grpc-example-"+step), cancel
	}

	ctx, cancel := call("health", timeout)
	health, err := gateway.Health(ctx, &gatewayv1.HealthRequest{})
	cancel()
	if err != nil {
		return describe("health", err)
	}
	fmt.Printf("health: %s, flygate %s, simulator %t\n", health.GetStatus(), health.GetVersion(), health.GetSimulator())

	ctx, cancel = call("create", timeout)
	created, err := machines.Create(ctx, &machinesv1.CreateRequest{
		AppName: proto.String(app),
		Body: &machinesv1.CreateMachineRequest{
			Config: &machinesv1.MachineConfig{
				Image: proto.String(image),
				Guest: &machinesv1.MachineGuest{Cpus: proto.Int64(1), MemoryMb: proto.Int64(256)},
			},
		},
	})
	cancel()
	if err != nil {
		return describe("create", err)
	}
	id := created.GetBody().GetId()
	if id == "" {
		return fmt.Errorf("create: the answer has no machine id: %v", created)
	}
	fmt.Printf("created: machine %s in app %s, state %s\n", id, app, created.GetBody().GetState())

	if err := wait(call, machines, app, id, "started", timeout); err != nil {
		return err
	}

	ctx, cancel = call("list", timeout)
	listed, err := machines.List(ctx, &machinesv1.ListRequest{AppName: proto.String(app)})
	cancel()
	if err != nil {
		return describe("list", err)
	}
	var found *machinesv1.Machine
	for _, machine := range listed.GetBody() {
		if machine.GetId() == id {
			found = machine
		}
	}
	if found == nil {
		return fmt.Errorf("list: machine %s is not among the %d machines of app %s", id, len(listed.GetBody()), app)
	}
	fmt.Printf("listed: app %s has %d machine(s), %s among them, state %s\n", app, len(listed.GetBody()), id, found.GetState())

	ctx, cancel = call("stop", timeout)
	stopped, err := machines.Stop(ctx, &machinesv1.StopRequest{AppName: proto.String(app), MachineId: proto.String(id)})
	cancel()
	if err != nil {
		return describe("stop", err)
	}
	fmt.Printf("stop: machine %s, ok %t\n", id, stopped.GetBody().GetOk())

	if err := wait(call, machines, app, id, "stopped", timeout); err != nil {
		return err
	}
	fmt.Printf("done: machine %s in app %s is stopped\n", id, app)
	return nil
}

// wait asks Fly to answer once the machine is in state, within Fly's wait timeout (whole
// seconds); the call's own deadline is 10 s longer.
func wait(call func(string, time.Duration) (context.Context, context.CancelFunc), machines machinesv1.MachinesClient,
	app, id, state string, timeout time.Duration) error {
	seconds := int64(timeout / time.Second)
	if seconds < 1 {
		seconds = 1
	}
	ctx, cancel := call("wait-"+state, time.Duration(seconds)*time.Second+10*time.Second)
	defer cancel()
	waited, err := machines.Wait(ctx, &machinesv1.WaitRequest{
		AppName:   proto.String(app),
		MachineId: proto.String(id),
		State:     []string{state},
		Timeout:   proto.Int64(seconds),
	})
	if err != nil {
		return describe("wait for "+state, err)
	}
	if got := waited.GetBody().GetState(); got != "" && got != state {
		return fmt.Errorf("wait for %s: machine %s is %s", state, id, got)
	}
	fmt.Printf("waited: machine %s is %s\n", id, state)
	return nil
}

// describe names the step, the gRPC code and message, and what flygate says Fly answered
// (the status details "flygate/upstream.http_status" and the like hold UTF-8 text).
func describe(step string, err error) error {
	st, ok := status.FromError(err)
	if !ok {
		return fmt.Errorf("%s: %v", step, err)
	}
	var upstream []string
	for _, detail := range st.Proto().GetDetails() {
		name := strings.TrimPrefix(detail.GetTypeUrl(), "flygate/upstream.")
		if name != detail.GetTypeUrl() {
			upstream = append(upstream, fmt.Sprintf("%s=%s", name, detail.GetValue()))
		}
	}
	text := fmt.Sprintf("%s: %s: %s", step, st.Code(), st.Message())
	if len(upstream) > 0 {
		text += " (upstream " + strings.Join(upstream, ", ") + ")"
	}
	return fmt.Errorf("%s", text)
}

// absolute makes a relative socket path absolute: "unix://" takes an absolute path.
func absolute(path string) string {
	if full, err := filepath.Abs(path); err == nil {
		return full
	}
	return path
}
