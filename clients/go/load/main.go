// Command flygate-grpc-load measures flygate's gRPC service: -connections connections, each
// with -inflight goroutines making unary calls back to back (Gateway/Health or Machines/Show)
// for -duration seconds. It prints one JSON line:
//
//	{"calls":..,"seconds":..,"calls_per_second":..,"p50_us":..,"p90_us":..,"p99_us":..,"errors":..,...}
//
// The figures mean what flygate-bench's mean: calls counts the calls that succeeded, errors
// those that failed, seconds is the wall time of the measured part, calls_per_second is
// calls / seconds, and the percentiles (nearest rank, whole microseconds) are over every call
// made, failed ones included. Before the clock starts every connection makes one call, as the
// bench's warm-up does; a warm-up that fails ends the run with exit 1 and no JSON.
//
//	flygate-grpc-load -socket S -method health -connections 4 -inflight 16 -duration 3
//	flygate-grpc-load -socket S -method show -app bench -machine ID -duration 3
//
// Show calls carry flygate-no-coalesce: true (as the bench's Show scenario does), so that
// identical calls in flight are each answered on their own; -no-coalesce=false drops it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	gatewayv1 "github.com/flygate/flygate/proto/flygate/gateway/v1"
	machinesv1 "github.com/flygate/flygate/proto/flygate/machines/v1"
)

// The percentiles flygate-bench's JSON carries for its latency chart.
var chartPercentiles = []float64{1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9}

func main() {
	socket := flag.String("socket", "", "flygate's Unix socket (required)")
	method := flag.String("method", "health", "health (Gateway/Health) or show (Machines/Show)")
	connections := flag.Int("connections", 1, "connections to open")
	inflight := flag.Int("inflight", 1, "calls in flight per connection (goroutines per connection)")
	duration := flag.Float64("duration", 3, "seconds to run")
	app := flag.String("app", "", "the app (show)")
	machine := flag.String("machine", "", "the machine id (show)")
	timeout := flag.Duration("timeout", 10*time.Second, "each call's deadline")
	noCoalesce := flag.Bool("no-coalesce", true, "send flygate-no-coalesce: true with Show")
	flag.Parse()

	usage := func(message string) {
		fmt.Fprintf(os.Stderr, "flygate-grpc-load: %s\n", message)
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
	case *connections < 1 || *inflight < 1:
		usage("-connections and -inflight are at least 1")
	case !(*duration > 0) || *timeout <= 0:
		usage("-duration and -timeout are positive")
	}

	report, err := measure(*socket, *method, *app, *machine, *connections, *inflight,
		time.Duration(*duration*float64(time.Second)), *timeout, *noCoalesce)
	if err != nil {
		fmt.Fprintf(os.Stderr, "flygate-grpc-load: %v\n", err)
		os.Exit(1)
	}
	line, err := json.Marshal(report)
	if err != nil {
		fmt.Fprintf(os.Stderr, "flygate-grpc-load: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(string(line))
}

// Report is the JSON line; the first seven fields are the ones the bench reads.
type Report struct {
	Calls          int              `json:"calls"`
	Seconds        float64          `json:"seconds"`
	CallsPerSecond float64          `json:"calls_per_second"`
	P50us          int64            `json:"p50_us"`
	P90us          int64            `json:"p90_us"`
	P99us          int64            `json:"p99_us"`
	Errors         int              `json:"errors"`
	Method         string           `json:"method"`
	Connections    int              `json:"connections"`
	InFlight       int              `json:"inflight"`
	Percentiles    map[string]int64 `json:"percentiles_us"`
	FirstError     string           `json:"first_error,omitempty"`
}

func measure(socket, method, app, machine string, connections, inflight int, duration, timeout time.Duration,
	noCoalesce bool) (*Report, error) {
	path, err := filepath.Abs(socket)
	if err != nil {
		return nil, err
	}
	base := context.Background()
	if method == "show" && noCoalesce {
		base = metadata.NewOutgoingContext(base, metadata.Pairs("flygate-no-coalesce", "true"))
	}

	// One ClientConn is one HTTP/2 connection to the socket; its calls are streams on it.
	calls := make([]func(context.Context) error, connections)
	for i := range calls {
		conn, err := grpc.Dial("unix://"+path, grpc.WithInsecure())
		if err != nil {
			return nil, fmt.Errorf("dial %s: %v", socket, err)
		}
		defer conn.Close()
		switch method {
		case "health":
			client := gatewayv1.NewGatewayClient(conn)
			request := &gatewayv1.HealthRequest{}
			calls[i] = func(ctx context.Context) error { _, err := client.Health(ctx, request); return err }
		case "show":
			client := machinesv1.NewMachinesClient(conn)
			request := &machinesv1.ShowRequest{AppName: proto.String(app), MachineId: proto.String(machine)}
			calls[i] = func(ctx context.Context) error { _, err := client.Show(ctx, request); return err }
		}
		ctx, cancel := context.WithTimeout(base, timeout)
		err = calls[i](ctx)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("warm-up call on connection %d: %v", i+1, err)
		}
	}

	type result struct {
		latencies []time.Duration
		errors    int
		first     error
	}
	results := make([]result, connections*inflight)
	var group sync.WaitGroup
	start := time.Now()
	end := start.Add(duration)
	for caller := range results {
		group.Add(1)
		go func(caller int) {
			defer group.Done()
			call := calls[caller%connections]
			mine := &results[caller]
			mine.latencies = make([]time.Duration, 0, 4096)
			for {
				begun := time.Now()
				if !begun.Before(end) {
					return
				}
				ctx, cancel := context.WithTimeout(base, timeout)
				err := call(ctx)
				cancel()
				mine.latencies = append(mine.latencies, time.Since(begun))
				if err != nil {
					mine.errors++
					if mine.first == nil {
						mine.first = err
					}
				}
			}
		}(caller)
	}
	group.Wait()
	elapsed := time.Since(start)

	var all []time.Duration
	report := &Report{Method: method, Connections: connections, InFlight: inflight, Percentiles: map[string]int64{}}
	for _, r := range results {
		all = append(all, r.latencies...)
		report.Errors += r.errors
		if r.first != nil && report.FirstError == "" {
			report.FirstError = r.first.Error()
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	report.Calls = len(all) - report.Errors
	report.Seconds = math.Round(elapsed.Seconds()*1e6) / 1e6
	report.CallsPerSecond = math.Round(float64(report.Calls)/elapsed.Seconds()*10) / 10
	report.P50us = microseconds(quantile(all, 0.5))
	report.P90us = microseconds(quantile(all, 0.9))
	report.P99us = microseconds(quantile(all, 0.99))
	for _, p := range chartPercentiles {
		report.Percentiles["p"+strconv.FormatFloat(p, 'f', -1, 64)] = microseconds(quantile(all, p/100))
	}
	return report, nil
}

// quantile is the nearest-rank quantile of sorted latencies, as flygate-bench's BenchReport.
func quantile(sorted []time.Duration, fraction float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(fraction*float64(len(sorted)))) - 1
	if rank < 0 {
		rank = 0
	}
	if rank > len(sorted)-1 {
		rank = len(sorted) - 1
	}
	return sorted[rank]
}

func microseconds(d time.Duration) int64 {
	return int64(math.Round(float64(d) / float64(time.Microsecond)))
}
