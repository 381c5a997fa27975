import FlyGateClient
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One local user's flood of upstream calls does not starve another's: the daemon's limiter
/// gives each uid a bounded share of a bucket's queue.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct FairnessEndToEndTests {
    /// Pipelines `count` Show calls (no coalescing, 20 s deadlines) over 4 connections, prints
    /// `sent`, then reads every answer and prints `done <codes>`.
    static let flood = RawTTRPC.pythonHelpers + #"""
path, app, machine, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
payload = field(1, app) + field(2, machine)
metadata = field(5, field(1, "flygate-no-coalesce") + field(2, "true"))
request = field(1, "flygate.machines.v1.Machines") + field(2, "Show") + field(3, payload) + field(4, 20_000_000_000) + metadata
connections = []
per = count // 4
for _ in range(4):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(60)
    s.connect(path)
    s.sendall(b"".join(struct.pack(">IIBB", len(request), 2 * i + 1, 1, 0) + request for i in range(per)))
    connections.append(s)
print("sent", flush=True)
codes = {}
for s in connections:
    buffer = b""
    for _ in range(per):
        while len(buffer) < 10:
            chunk = s.recv(65536)
            if not chunk: raise SystemExit("connection closed")
            buffer += chunk
        length = struct.unpack(">I", buffer[:4])[0]
        while len(buffer) < 10 + length:
            chunk = s.recv(65536)
            if not chunk: raise SystemExit("connection closed")
            buffer += chunk
        status = fields(fields(buffer[10:10 + length]).get(1, b""))
        codes[status.get(1, 0)] = codes.get(status.get(1, 0), 0) + 1
        buffer = buffer[10 + length:]
print("done", sorted(codes.items()), flush=True)
"""#

    @Test(
        "a uid flooding Show on a machine delays another uid's Show on it by a bounded share, and its Stop not at all",
        .enabled(if: DaemonLifecycleEndToEndTests.canDropPrivileges, "needs root, /usr/bin/setpriv and /usr/bin/python3")
    )
    func floodIsBounded() async throws {
        // nogroup may read; the owner (root) may do everything. Show is 5/s, burst 10, upstream.
        let config = #"""
            {"socket": {"group": "nogroup"}, "simulator": {"rate_limits": false},
             "policy": {"rules": [{"name": "readers", "gids": ["nogroup"], "classes": ["read"]}]}}
            """#
        try await DaemonProcess.with(config: config) { daemon in
            try await daemon.withClient { owner in
                let machine = try await owner.create(Machines.create("fair")).body.id
                let script = daemon.directory + "/flood.py"
                try Self.flood.write(toFile: script, atomically: true, encoding: .utf8)
                chmod(script, 0o644)
                let flooder = try ChildProcess(
                    "/usr/bin/setpriv",
                    ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", script,
                     daemon.socketPath, "fair", machine, "200"])
                try await withResource({ flooder }, release: { await $0.stop() }) { flooder in
                    _ = try await flooder.waitForOutput(containing: "sent")
                    // Every flood call has reached the limiter: answered (refused) or in flight.
                    #expect(try await eventually(within: .seconds(20)) {
                        let stats = try await owner.stats(timeout: .seconds(5))
                        let shows = stats.methods.first { $0.method == MachinesRPC.machinesServiceName + "/Show" }
                        return (shows?.callsByCode.values.reduce(0, +) ?? 0) + stats.callsInFlight >= 199
                    })
                    // The flood's 190 queued Shows would take 38 s at 5/s; the owner's Show, with a
                    // 15 s deadline (room for a loaded machine, far short of 38 s), comes after at
                    // most 8 of the flooder's slots instead.
                    var show = Flygate_Machines_V1_ShowRequest()
                    (show.appName, show.machineID) = ("fair", machine)
                    let noCoalesce = MachinesCallOptions(timeout: .seconds(15), metadata: [(key: "flygate-no-coalesce", value: "true")])
                    #expect(try await owner.show(show, options: noCoalesce).body.id == machine)
                    // Another rpc has its own bucket: Stop goes through whatever the flood.
                    var stop = Flygate_Machines_V1_StopRequest()
                    (stop.appName, stop.machineID) = ("fair", machine)
                    _ = try await owner.stop(stop, options: MachinesCallOptions(timeout: .seconds(15)))
                    #expect(try await flooder.waitForExit(timeout: .seconds(60)) == 0)
                    let done = flooder.text
                    // Most of the flood was refused at once (RESOURCE_EXHAUSTED, 8), not queued.
                    #expect(done.contains("(8, "), "\(done)")
                }
            }
        }
    }
}
