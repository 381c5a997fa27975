// FlyMachinesAPI — the upstream REST client of flygate.
//
// `FlyMachinesClient` turns each `flygate.machines.v1` request message into its Fly Machines
// REST call (route table from the generated `MachinesRPC`, identifiers validated and
// percent-encoded, lease header, JSON body) over a pooled HTTP client, and the answer back
// into the response message. The client is flygate's own HTTP/1.1 pool on the caller's event
// loop for plain `http://` (`HTTP1Transport`), AsyncHTTPClient for `https://` (TLS, HTTP/2). Around each call: a token-bucket limiter at Fly's documented rates
// (`UpstreamRateLimiter`), retries inside the caller's deadline (`UpstreamRetryPolicy`), long
// waits served by repeating the upstream wait (`WaitPlan`), and one error type (`FlyAPIError`).
// Credentials (`FlyCredentials`) never appear in a log, an error or a description.
//
// Imports: FlyGateJSON, FlyMachinesProto, AsyncHTTPClient, NIO (NIOHTTP1) and Logging. Never the socket,
// the wire or the daemon's core; never the real environment (the executable passes it in).
