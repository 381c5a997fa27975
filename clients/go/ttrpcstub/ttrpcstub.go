// Package ttrpcstub holds hand-written ttrpc stubs for the two flygate methods the Go
// reference programs call and serve, Gateway/Health and Machines/Show, over containerd's Go
// ttrpc 1.1 (Debian's golang-github-containerd-ttrpc-dev), with the messages protoc-gen-go
// generates from proto/, and the serving loop of the two servers (Serve).
//
// Written by hand because ttrpc 1.1's codec is gogo/protobuf's: it marshals a message that has
// Marshal/Unmarshal methods through them, and any other by reflection over its struct tags,
// which does not work for protoc-gen-go 1.28's messages (gogo's unmarshaller panics on their
// untagged internal fields). protoc-gen-go-ttrpc's stubs pass the messages to the codec as
// they are, which suits ttrpc 1.2 (whose codec is google.golang.org/protobuf's), and Debian
// ships no binary of it anyway. Here every message crosses the codec inside Message, which
// marshals it with google.golang.org/protobuf.
//
// What this cannot mend: ttrpc 1.1 decodes its own Response envelope with gogo too, and the
// status's details are github.com/golang/protobuf's Any, which Debian's 1.5 makes a
// google.golang.org/protobuf message. So a Go ttrpc 1.1 client built from Debian's packages
// panics on a status with details ("protobuf tag not enough fields in Any.state",
// containerd/ttrpc issue 62), which flygate sends with some errors (an upstream NOT_FOUND, for
// one). The benchmark's calls succeed; ttrpc 1.2 decodes with google.golang.org/protobuf.
package ttrpcstub

import (
	"context"

	"github.com/containerd/ttrpc"
	"google.golang.org/protobuf/proto"

	gatewayv1 "github.com/flygate/flygate/proto/flygate/gateway/v1"
	machinesv1 "github.com/flygate/flygate/proto/flygate/machines/v1"
)

// The ttrpc service names: the proto services' full names.
const (
	GatewayService  = "flygate.gateway.v1.Gateway"
	MachinesService = "flygate.machines.v1.Machines"
)

// Message carries a protoc-gen-go message through ttrpc 1.1's gogo codec: gogo's Marshal and
// Unmarshal call these methods when a message has them.
type Message struct{ M proto.Message }

// Marshal encodes the message with google.golang.org/protobuf.
func (m Message) Marshal() ([]byte, error) { return proto.Marshal(m.M) }

// Unmarshal decodes into the message with google.golang.org/protobuf.
func (m Message) Unmarshal(data []byte) error { return proto.Unmarshal(data, m.M) }

// Reset, String and ProtoMessage make Message a gogo proto.Message.
func (m Message) Reset()         { proto.Reset(m.M) }
func (m Message) String() string { return "ttrpcstub.Message" }
func (Message) ProtoMessage()    {}

// GatewayClient calls flygate.gateway.v1.Gateway over one ttrpc client.
type GatewayClient struct{ Client *ttrpc.Client }

// Health calls Gateway/Health.
func (c GatewayClient) Health(ctx context.Context, request *gatewayv1.HealthRequest) (*gatewayv1.HealthResponse, error) {
	response := &gatewayv1.HealthResponse{}
	if err := c.Client.Call(ctx, GatewayService, "Health", Message{request}, Message{response}); err != nil {
		return nil, err
	}
	return response, nil
}

// MachinesClient calls flygate.machines.v1.Machines over one ttrpc client.
type MachinesClient struct{ Client *ttrpc.Client }

// Show calls Machines/Show.
func (c MachinesClient) Show(ctx context.Context, request *machinesv1.ShowRequest) (*machinesv1.ShowResponse, error) {
	response := &machinesv1.ShowResponse{}
	if err := c.Client.Call(ctx, MachinesService, "Show", Message{request}, Message{response}); err != nil {
		return nil, err
	}
	return response, nil
}

// GatewayHealthServer answers Gateway/Health.
type GatewayHealthServer interface {
	Health(ctx context.Context, request *gatewayv1.HealthRequest) (*gatewayv1.HealthResponse, error)
}

// RegisterGatewayHealth serves Gateway/Health from server on srv (the service's other methods
// are left out: a call to them is UNIMPLEMENTED).
func RegisterGatewayHealth(srv *ttrpc.Server, server GatewayHealthServer) {
	srv.Register(GatewayService, map[string]ttrpc.Method{"Health": method(server.Health)})
}

// MachinesShowServer answers Machines/Show.
type MachinesShowServer interface {
	Show(ctx context.Context, request *machinesv1.ShowRequest) (*machinesv1.ShowResponse, error)
}

// RegisterMachinesShow serves Machines/Show from server on srv (the service's other methods
// are left out: a call to them is UNIMPLEMENTED).
func RegisterMachinesShow(srv *ttrpc.Server, server MachinesShowServer) {
	srv.Register(MachinesService, map[string]ttrpc.Method{"Show": method(server.Show)})
}

// method is a ttrpc method of handle: it decodes the request (a new Request), and encodes
// handle's answer, each through Message.
func method[Request any, RequestMessage interface {
	*Request
	proto.Message
}, Response proto.Message](handle func(context.Context, RequestMessage) (Response, error)) ttrpc.Method {
	return func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
		request := RequestMessage(new(Request))
		if err := unmarshal(Message{request}); err != nil {
			return nil, err
		}
		response, err := handle(ctx, request)
		if err != nil {
			return nil, err
		}
		return Message{response}, nil
	}
}
