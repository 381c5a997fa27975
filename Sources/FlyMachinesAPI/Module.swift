// FlyMachinesAPI — the upstream REST client of flygate.
//
// `FlyMachinesClient` turns each `flygate.machines.v1` request message into its Fly Machines
// REST call (route table from the generated `MachinesRPC`, identifiers validated and
// percent-encoded, lease header, JSON body) over one pooled AsyncHTTPClient, and the answer back
// into the response message. Around each call: a token-bucket limiter at Fly's documented rates
// (`UpstreamRateLimiter`), retries inside the caller's deadline (`UpstreamRetryPolicy`), long
// waits served by repeating the upstream wait (`WaitPlan`), and one error type (`FlyAPIError`).
// Credentials (`FlyCredentials`) never appear in a log, an error or a description.
//
// Imports: FlyGateJSON, FlyMachinesProto, AsyncHTTPClient, NIO and Logging. Never the socket,
// the wire or the daemon's core; never the real environment (the executable passes it in).
