package ttrpcstub

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/signal"
	"syscall"
	"time"

	"github.com/containerd/ttrpc"
)

// Serve runs server on a Unix socket it creates at socket (which must not exist) until SIGTERM
// or SIGINT, or until lifetime has passed, so that a benchmark that dies cannot leave it behind
// for long. It prints "PROGRAM: ready, serving on PATH" once it accepts connections; on the way
// out it closes the connections and removes the socket.
func Serve(program string, server *ttrpc.Server, socket string, lifetime time.Duration) error {
	listener, err := net.Listen("unix", socket)
	if err != nil {
		return err
	}
	// Closing the listener removes the socket file (net.UnixListener unlinks what it bound).
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ctx, expire := context.WithTimeout(ctx, lifetime)
	defer expire()
	served := make(chan error, 1)
	go func() { served <- server.Serve(ctx, listener) }()
	fmt.Printf("%s: ready, serving on %s\n", program, socket)

	select {
	case err := <-served:
		server.Close()
		return err
	case <-ctx.Done():
	}
	// Close, not Shutdown: the benchmark's clients have finished; nothing is left to drain.
	closed := server.Close()
	if err := <-served; err != nil && !errors.Is(err, ttrpc.ErrServerClosed) {
		return err
	}
	if closed != nil && !errors.Is(closed, ttrpc.ErrServerClosed) {
		return closed
	}
	return nil
}
