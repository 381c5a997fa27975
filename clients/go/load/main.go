// Command flygate-grpc-load measures flygate's gRPC service: -connections connections, each
// with -inflight goroutines making unary calls back to back (Gateway/Health or Machines/Show)
// for -duration seconds or, with -calls N, until N calls are made (shared out among the
// goroutines as flygate-bench shares them), whichever comes first. It prints one JSON line:
//
//	{"calls":..,"seconds":..,"calls_per_second":..,"p50_us":..,"p90_us":..,"p99_us":..,"errors":..,...}
//
// The figures mean what flygate-bench's mean: calls counts the calls that succeeded, errors
// those that failed, seconds is the wall time of the measured part, calls_per_second is
// calls / seconds, and the percentiles (nearest rank, whole microseconds) are over every call
// made, failed ones included. ended_by says whether the calls or the duration ended the run.
// Before the clock starts every connection makes -warmup calls (default 1), as the bench's
// warm-up does; a warm-up that fails, or that has not finished within -warmup-limit, ends the
// run with exit 1 and no JSON. With -daemon-pid P, daemon_cpu_seconds is the user + system CPU
// time process P used during the measured part (from /proc/P/stat, in clock ticks).
//
//	flygate-grpc-load -socket S -method health -connections 4 -inflight 16 -duration 3
//	flygate-grpc-load -socket S -method show -app bench -machine ID -inflight 16 -calls 5000 -warmup 200
//
// Every loop is bounded in count and time, and the program stops by itself: the warm-up within
// -warmup-limit, the measured part after at most 10,000,000 calls or when -duration has passed
// (no call begins after it) plus at most one call's -timeout. A watchdog ends the process with exit 1 should anything
// (closing a connection, say) hang past the sum of the three and 10 s.
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
	"strings"
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

// maxCalls bounds a run's calls whatever the duration (and the latencies kept, 8 bytes each).
const maxCalls = 10_000_000

func main() {
	socket := flag.String("socket", "", "flygate's Unix socket (required)")
	method := flag.String("method", "health", "health (Gateway/Health) or show (Machines/Show)")
	connections := flag.Int("connections", 1, "connections to open")
	inflight := flag.Int("inflight", 1, "calls in flight per connection (goroutines per connection)")
	duration := flag.Float64("duration", 3, "seconds to run (at most, with -calls)")
	calls := flag.Int("calls", 0, fmt.Sprintf("calls to make, shared out among the goroutines (0: as many as -duration allows, at most %d)", maxCalls))
	warmup := flag.Int("warmup", 1, "calls per connection before the clock starts")
	warmupLimit := flag.Duration("warmup-limit", 30*time.Second, "time the whole warm-up may take")
	daemonPid := flag.Int("daemon-pid", 0, "a process (flygate's) whose CPU time over the measured part to report")
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
	case !(*duration > 0) || *timeout <= 0 || *warmupLimit <= 0:
		usage("-duration, -timeout and -warmup-limit are positive")
	case *calls < 0 || *calls > maxCalls || *warmup < 1:
		usage(fmt.Sprintf("-calls is 0 to %d and -warmup at least 1", maxCalls))
	case *daemonPid < 0:
		usage("-daemon-pid is a process id")
	}

	run := time.Duration(*duration * float64(time.Second))
	limit := *warmupLimit + run + *timeout + 10*time.Second
	time.AfterFunc(limit, func() {
		fmt.Fprintf(os.Stderr, "flygate-grpc-load: still running after %v; giving up\n", limit)
		os.Exit(1)
	})

	report, err := measure(config{
		socket: *socket, method: *method, app: *app, machine: *machine,
		connections: *connections, inflight: *inflight, calls: *calls, duration: run,
		warmup: *warmup, warmupLimit: *warmupLimit, timeout: *timeout, noCoalesce: *noCoalesce, daemonPid: *daemonPid,
	})
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

// Report is the JSON line; flygate-bench reads calls, seconds, errors, ended_by,
// percentiles_us and daemon_cpu_seconds.
type Report struct {
	Calls            int              `json:"calls"`
	Seconds          float64          `json:"seconds"`
	CallsPerSecond   float64          `json:"calls_per_second"`
	P50us            int64            `json:"p50_us"`
	P90us            int64            `json:"p90_us"`
	P99us            int64            `json:"p99_us"`
	Errors           int              `json:"errors"`
	EndedBy          string           `json:"ended_by"`
	Method           string           `json:"method"`
	Connections      int              `json:"connections"`
	InFlight         int              `json:"inflight"`
	Percentiles      map[string]int64 `json:"percentiles_us"`
	DaemonCPUSeconds *float64         `json:"daemon_cpu_seconds,omitempty"`
	FirstError       string           `json:"first_error,omitempty"`
}

// config is the command line.
type config struct {
	socket, method, app, machine string
	connections, inflight, calls int
	duration                     time.Duration
	warmup                       int
	warmupLimit, timeout         time.Duration
	noCoalesce                   bool
	daemonPid                    int
}

func measure(c config) (*Report, error) {
	path, err := filepath.Abs(c.socket)
	if err != nil {
		return nil, err
	}
	base := context.Background()
	if c.method == "show" && c.noCoalesce {
		base = metadata.NewOutgoingContext(base, metadata.Pairs("flygate-no-coalesce", "true"))
	}

	// One ClientConn is one HTTP/2 connection to the socket; its calls are streams on it.
	warmupCtx, warmupDone := context.WithTimeout(base, c.warmupLimit)
	defer warmupDone()
	calls := make([]func(context.Context) error, c.connections)
	for i := range calls {
		conn, err := grpc.Dial("unix://"+path, grpc.WithInsecure())
		if err != nil {
			return nil, fmt.Errorf("dial %s: %v", c.socket, err)
		}
		defer conn.Close()
		switch c.method {
		case "health":
			client := gatewayv1.NewGatewayClient(conn)
			request := &gatewayv1.HealthRequest{}
			calls[i] = func(ctx context.Context) error { _, err := client.Health(ctx, request); return err }
		case "show":
			client := machinesv1.NewMachinesClient(conn)
			request := &machinesv1.ShowRequest{AppName: proto.String(c.app), MachineId: proto.String(c.machine)}
			calls[i] = func(ctx context.Context) error { _, err := client.Show(ctx, request); return err }
		}
		for n := 0; n < c.warmup; n++ {
			ctx, cancel := context.WithTimeout(warmupCtx, c.timeout)
			err = calls[i](ctx)
			cancel()
			if err != nil {
				// By the clock, not warmupCtx.Err(): a call begun just before the deadline can
				// fail with DeadlineExceeded (the daemon answers a grpc-timeout of 0 at once)
				// before the context's timer has fired.
				if deadline, _ := warmupCtx.Deadline(); !time.Now().Before(deadline) {
					return nil, fmt.Errorf("warm-up call %d on connection %d: the warm-up did not finish within %v: %v",
						n+1, i+1, c.warmupLimit, err)
				}
				return nil, fmt.Errorf("warm-up call %d on connection %d: %v", n+1, i+1, err)
			}
		}
	}
	cpuBefore, err := cpuSeconds(c.daemonPid)
	if err != nil {
		return nil, err
	}

	type result struct {
		latencies []time.Duration
		errors    int
		first     error
		cutShort  bool // the duration passed before this goroutine's share of the calls was made
	}
	callers := c.connections * c.inflight
	results := make([]result, callers)
	var group sync.WaitGroup
	start := time.Now()
	end := start.Add(c.duration)
	for caller := range results {
		// The calls are shared out as flygate-bench shares them: the first calls % callers
		// goroutines make one more than the rest.
		total := c.calls
		if total == 0 {
			total = maxCalls
		}
		share := total / callers
		if caller < total%callers {
			share++
		}
		group.Add(1)
		go func(caller, share int) {
			defer group.Done()
			call := calls[caller%c.connections]
			mine := &results[caller]
			capacity := share
			if c.calls == 0 {
				capacity = 4096
			}
			mine.latencies = make([]time.Duration, 0, capacity)
			for made := 0; made < share; made++ {
				begun := time.Now()
				if !begun.Before(end) {
					mine.cutShort = true
					return
				}
				ctx, cancel := context.WithTimeout(base, c.timeout)
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
		}(caller, share)
	}
	group.Wait()
	elapsed := time.Since(start)
	cpuAfter, err := cpuSeconds(c.daemonPid)
	if err != nil {
		return nil, err
	}

	var all []time.Duration
	report := &Report{Method: c.method, Connections: c.connections, InFlight: c.inflight, Percentiles: map[string]int64{}}
	report.EndedBy = "calls"
	if c.daemonPid > 0 {
		used := math.Round((cpuAfter-cpuBefore)*1e3) / 1e3
		report.DaemonCPUSeconds = &used
	}
	for _, r := range results {
		all = append(all, r.latencies...)
		report.Errors += r.errors
		if r.cutShort {
			report.EndedBy = "duration"
		}
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

// cpuSeconds is the user + system CPU time process pid has used, from /proc/pid/stat; 0 for pid 0.
func cpuSeconds(pid int) (float64, error) {
	if pid == 0 {
		return 0, nil
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("-daemon-pid: %v", err)
	}
	// After "pid (comm) ", state is field 3; utime and stime are fields 14 and 15, in clock
	// ticks of 10 ms (USER_HZ is 100 on every Linux this runs on).
	text := string(stat)
	fields := strings.Fields(text[strings.LastIndexByte(text, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("-daemon-pid: cannot read /proc/%d/stat", pid)
	}
	user, userErr := strconv.ParseInt(fields[11], 10, 64)
	system, systemErr := strconv.ParseInt(fields[12], 10, 64)
	if userErr != nil || systemErr != nil {
		return 0, fmt.Errorf("-daemon-pid: cannot read /proc/%d/stat", pid)
	}
	return float64(user+system) / 100, nil
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
