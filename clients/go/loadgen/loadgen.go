// Package loadgen is the measuring part the Go load generators share (flygate-grpc-load,
// flygate-ttrpc-load): the flags of a load shape, the warm-up, the callers, the clock, the
// daemon's CPU time from /proc and the JSON report. Each program brings its own transport as
// a function that opens one connection and makes one call on it.
//
// The figures mean what flygate-bench's mean: calls counts the calls that succeeded, errors
// those that failed, seconds is the wall time of the measured part, calls_per_second is
// calls / seconds, and the percentiles (nearest rank, whole microseconds) are over every call
// made, failed ones included. ended_by says whether the calls or the duration ended the run.
// Before the clock starts every connection makes -warmup calls (default 1), as the bench's
// warm-up does; a warm-up that fails, or that has not finished within -warmup-limit, ends the
// run with an error and no report. With -daemon-pid P, daemon_cpu_seconds is the user +
// system CPU time process P used during the measured part (from /proc/P/stat, in clock ticks),
// and daemon_write_syscalls the write system calls it made meanwhile (syscw in /proc/P/io).
// With -upstream-pid U (the simulator a Show goes to), upstream_cpu_seconds is U's CPU time
// over the same part; client_cpu_seconds is always the load generator's own.
//
// Every loop is bounded in count and time: the warm-up within -warmup-limit, the measured part
// after at most MaxCalls calls or when -duration has passed (no call begins after it) plus at
// most one call's -timeout; the watchdog ends the process should anything hang past the sum
// of the three and 10 s.
package loadgen

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ChartPercentiles are the percentiles flygate-bench's JSON carries for its latency chart.
var ChartPercentiles = []float64{1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9}

// MaxCalls bounds a run's calls whatever the duration (and the latencies kept, 8 bytes each).
const MaxCalls = 10_000_000

// Shape is the load: the flags every load generator shares.
type Shape struct {
	Connections int
	InFlight    int
	Calls       int
	Duration    time.Duration
	Warmup      int
	WarmupLimit time.Duration
	Timeout     time.Duration
	DaemonPid   int
	UpstreamPid int

	seconds float64
}

// Flags registers the shape's flags on the command line; read the shape after flag.Parse.
func Flags() *Shape {
	s := &Shape{}
	flag.IntVar(&s.Connections, "connections", 1, "connections to open")
	flag.IntVar(&s.InFlight, "inflight", 1, "calls in flight per connection (goroutines per connection)")
	flag.Float64Var(&s.seconds, "duration", 3, "seconds to run (at most, with -calls)")
	flag.IntVar(&s.Calls, "calls", 0, fmt.Sprintf("calls to make, shared out among the goroutines (0: as many as -duration allows, at most %d)", MaxCalls))
	flag.IntVar(&s.Warmup, "warmup", 1, "calls per connection before the clock starts")
	flag.DurationVar(&s.WarmupLimit, "warmup-limit", 30*time.Second, "time the whole warm-up may take")
	flag.IntVar(&s.DaemonPid, "daemon-pid", 0, "a process (flygate's) whose CPU time over the measured part to report")
	flag.IntVar(&s.UpstreamPid, "upstream-pid", 0, "a process (the simulator) whose CPU time over the measured part to report")
	flag.DurationVar(&s.Timeout, "timeout", 10*time.Second, "each call's deadline")
	return s
}

// Check says what is wrong with the parsed flags, or "".
func (s *Shape) Check() string {
	switch {
	case s.Connections < 1 || s.InFlight < 1:
		return "-connections and -inflight are at least 1"
	case !(s.seconds > 0) || s.Timeout <= 0 || s.WarmupLimit <= 0:
		return "-duration, -timeout and -warmup-limit are positive"
	case s.Calls < 0 || s.Calls > MaxCalls || s.Warmup < 1:
		return fmt.Sprintf("-calls is 0 to %d and -warmup at least 1", MaxCalls)
	case s.DaemonPid < 0 || s.UpstreamPid < 0:
		return "-daemon-pid and -upstream-pid are process ids"
	}
	s.Duration = time.Duration(s.seconds * float64(time.Second))
	return ""
}

// StartWatchdog ends the process with exit 1, naming program, should it still run past every
// bound of the shape and 10 s more. Call it after Check.
func (s *Shape) StartWatchdog(program string) {
	limit := s.WarmupLimit + s.Duration + s.Timeout + 10*time.Second
	time.AfterFunc(limit, func() {
		fmt.Fprintf(os.Stderr, "%s: still running after %v; giving up\n", program, limit)
		os.Exit(1)
	})
}

// Report is the JSON line; flygate-bench reads calls, seconds, errors, ended_by,
// percentiles_us, the three CPU times and daemon_write_syscalls.
type Report struct {
	Calls              int              `json:"calls"`
	Seconds            float64          `json:"seconds"`
	CallsPerSecond     float64          `json:"calls_per_second"`
	P50us              int64            `json:"p50_us"`
	P90us              int64            `json:"p90_us"`
	P99us              int64            `json:"p99_us"`
	Errors             int              `json:"errors"`
	EndedBy            string           `json:"ended_by"`
	Method             string           `json:"method"`
	Connections        int              `json:"connections"`
	InFlight           int              `json:"inflight"`
	Percentiles        map[string]int64 `json:"percentiles_us"`
	DaemonCPUSeconds   *float64         `json:"daemon_cpu_seconds,omitempty"`
	DaemonWrites       *int64           `json:"daemon_write_syscalls,omitempty"`
	UpstreamCPUSeconds *float64         `json:"upstream_cpu_seconds,omitempty"`
	ClientCPUSeconds   float64          `json:"client_cpu_seconds"`
	FirstError         string           `json:"first_error,omitempty"`
}

// Call makes one call with ctx (which carries the call's deadline).
type Call func(ctx context.Context) error

// Open opens connection number i (from 0) and returns the call to make on it. Closing what it
// opened is its own business (a deferred close in the caller of Run, say).
type Open func(i int) (Call, error)

// Run opens s.Connections connections with open, warms each up, then measures: s.InFlight
// goroutines per connection make calls back to back, each with a context derived from base.
func Run(base context.Context, s *Shape, method string, open Open) (*Report, error) {
	warmupCtx, warmupDone := context.WithTimeout(base, s.WarmupLimit)
	defer warmupDone()
	calls := make([]Call, s.Connections)
	for i := range calls {
		call, err := open(i)
		if err != nil {
			return nil, err
		}
		calls[i] = call
		for n := 0; n < s.Warmup; n++ {
			ctx, cancel := context.WithTimeout(warmupCtx, s.Timeout)
			err = call(ctx)
			cancel()
			if err != nil {
				// By the clock, not warmupCtx.Err(): a call begun just before the deadline can
				// fail with a deadline error (a server answers a timeout of 0 at once) before
				// the context's timer has fired.
				if deadline, _ := warmupCtx.Deadline(); !time.Now().Before(deadline) {
					return nil, fmt.Errorf("warm-up call %d on connection %d: the warm-up did not finish within %v: %v",
						n+1, i+1, s.WarmupLimit, err)
				}
				return nil, fmt.Errorf("warm-up call %d on connection %d: %v", n+1, i+1, err)
			}
		}
	}
	before, err := s.cpuTimes()
	if err != nil {
		return nil, err
	}
	writesBefore, writesKnown := WriteSyscalls(s.DaemonPid)

	type result struct {
		latencies []time.Duration
		errors    int
		first     error
		cutShort  bool // the duration passed before this goroutine's share of the calls was made
	}
	callers := s.Connections * s.InFlight
	results := make([]result, callers)
	var group sync.WaitGroup
	start := time.Now()
	end := start.Add(s.Duration)
	for caller := range results {
		// The calls are shared out as flygate-bench shares them: the first calls % callers
		// goroutines make one more than the rest.
		total := s.Calls
		if total == 0 {
			total = MaxCalls
		}
		share := total / callers
		if caller < total%callers {
			share++
		}
		group.Add(1)
		go func(caller, share int) {
			defer group.Done()
			call := calls[caller%s.Connections]
			mine := &results[caller]
			capacity := share
			if s.Calls == 0 {
				capacity = 4096
			}
			mine.latencies = make([]time.Duration, 0, capacity)
			for made := 0; made < share; made++ {
				begun := time.Now()
				if !begun.Before(end) {
					mine.cutShort = true
					return
				}
				ctx, cancel := context.WithTimeout(base, s.Timeout)
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
	after, err := s.cpuTimes()
	if err != nil {
		return nil, err
	}
	writesAfter, writesKnownAfter := WriteSyscalls(s.DaemonPid)

	var all []time.Duration
	report := &Report{Method: method, Connections: s.Connections, InFlight: s.InFlight, Percentiles: map[string]int64{}}
	report.EndedBy = "calls"
	used := func(process int) float64 { return math.Round((after[process]-before[process])*1e3) / 1e3 }
	report.ClientCPUSeconds = used(ownCPU)
	if s.DaemonPid > 0 {
		daemon := used(daemonCPU)
		report.DaemonCPUSeconds = &daemon
		if writesKnown && writesKnownAfter {
			writes := writesAfter - writesBefore
			report.DaemonWrites = &writes
		}
	}
	if s.UpstreamPid > 0 {
		upstream := used(upstreamCPU)
		report.UpstreamCPUSeconds = &upstream
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
	for _, p := range ChartPercentiles {
		report.Percentiles["p"+strconv.FormatFloat(p, 'f', -1, 64)] = microseconds(quantile(all, p/100))
	}
	return report, nil
}

// Print prints report as one JSON line, or err prefixed with program's name on stderr and exits 1.
func Print(program string, report *Report, err error) {
	var line []byte
	if err == nil {
		line, err = json.Marshal(report)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", program, err)
		os.Exit(1)
	}
	fmt.Println(string(line))
}

// The processes whose CPU time a run reads, as indexes of cpuTimes' answer.
const (
	ownCPU = iota
	daemonCPU
	upstreamCPU
)

// cpuTimes is the CPU time, in seconds, of this process, the -daemon-pid one and the
// -upstream-pid one (0 for a process not given).
func (s *Shape) cpuTimes() ([3]float64, error) {
	var times [3]float64
	var err error
	if times[ownCPU], err = CPUSeconds(os.Getpid(), "its own CPU time"); err != nil {
		return times, err
	}
	if times[daemonCPU], err = CPUSeconds(s.DaemonPid, "-daemon-pid"); err != nil {
		return times, err
	}
	times[upstreamCPU], err = CPUSeconds(s.UpstreamPid, "-upstream-pid")
	return times, err
}

// CPUSeconds is the user + system CPU time process pid has used, from /proc/pid/stat; 0 for pid
// 0. An error names the process as `what` (the flag that gave it).
func CPUSeconds(pid int, what string) (float64, error) {
	if pid == 0 {
		return 0, nil
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("%s: %v", what, err)
	}
	// After "pid (comm) ", state is field 3; utime and stime are fields 14 and 15, in clock
	// ticks of 10 ms (USER_HZ is 100 on every Linux this runs on).
	text := string(stat)
	fields := strings.Fields(text[strings.LastIndexByte(text, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("%s: cannot read /proc/%d/stat", what, pid)
	}
	user, userErr := strconv.ParseInt(fields[11], 10, 64)
	system, systemErr := strconv.ParseInt(fields[12], 10, 64)
	if userErr != nil || systemErr != nil {
		return 0, fmt.Errorf("%s: cannot read /proc/%d/stat", what, pid)
	}
	return float64(user+system) / 100, nil
}

// WriteSyscalls is how many write system calls (write, writev, sendmsg, ...) process pid has
// made, from syscw in /proc/pid/io; false when that cannot be read (another user's process).
func WriteSyscalls(pid int) (int64, bool) {
	if pid == 0 {
		return 0, false
	}
	io, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(io), "\n") {
		if strings.HasPrefix(line, "syscw:") {
			count, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(line, "syscw:")), 10, 64)
			return count, err == nil
		}
	}
	return 0, false
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
