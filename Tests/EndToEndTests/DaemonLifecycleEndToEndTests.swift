import FlyGateClient
import FlyGateCore
import FlyGateJSON
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Policy by peer uid, SIGHUP reload, graceful SIGTERM and start-up refusals, on a real process.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DaemonLifecycleEndToEndTests {
    /// Another uid can be had only as root, with util-linux's setpriv and the system Python.
    static var canDropPrivileges: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    }

    /// Calls `Machines/List` for `app` as uid/gid 65534 (nobody/nogroup) in a child process.
    static func listAsNobody(_ daemon: DaemonProcess, app: String) async throws -> (code: Int, message: String) {
        try await callAsNobody(daemon, service: MachinesRPC.machinesServiceName, method: "List", app: app)
    }

    /// Calls `service`/`method` (with `app` as field 1 of the request) as uid/gid 65534 in a child process.
    /// With `groups`, those are the child's supplementary groups (none otherwise).
    static func callAsNobody(
        _ daemon: DaemonProcess, service: String, method: String, app: String = "", groups: [UInt32] = []
    ) async throws -> (code: Int, message: String) {
        // A file, not `python3 -c`: -c puts the working directory first on sys.path.
        let script = daemon.directory + "/client.py"
        try RawTTRPC.pythonClient.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o644)
        let (status, output) = try await runCommand(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", groups.isEmpty ? "--clear-groups" : "--groups=" + groups.map(String.init).joined(separator: ","),
             "/usr/bin/python3", script,
             daemon.socketPath, service, method, app]
        )
        let line = output.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = line.split(separator: " ", maxSplits: 1)
        guard status == 0, let first = parts.first, let code = Int(first) else {
            throw TestFailure("the unprivileged client failed (\(status)): \(output)")
        }
        return (code, parts.count > 1 ? String(parts[1]) : "")
    }

    @Test(
        "another uid is refused, an app allow-list is honoured, and SIGHUP reloads the policy without dropping connections",
        .enabled(if: canDropPrivileges, "needs root, /usr/bin/setpriv and /usr/bin/python3 to act as another uid")
    )
    func policyAndReload() async throws {
        let group = #"{"socket": {"group": "nogroup"}, "simulator": {"rate_limits": false}}"#
        try await DaemonProcess.with(config: group) { daemon in
            try await daemon.withClient { owner in
                let refused = try await Self.listAsNobody(daemon, app: "allowed")
                #expect(refused.code == Int(RPCStatusCode.permissionDenied.rawValue))
                #expect(refused.message.contains("uid 65534") && refused.message.contains("List"), "\(refused.message)")
                // Gateway methods pass the same policy interceptor: Stats is a read, and
                // Health is open to anyone who may connect, by their declared rules.
                let stats = try await Self.callAsNobody(daemon, service: GatewayService.serviceName, method: "Stats")
                #expect(stats.code == Int(RPCStatusCode.permissionDenied.rawValue), "\(stats.message)")
                #expect(try await Self.callAsNobody(daemon, service: GatewayService.serviceName, method: "Health").code == 0)

                // Allow nogroup to read one app, and reload.
                let withRule = #"""
                    {"socket": {"group": "nogroup"}, "simulator": {"rate_limits": false},
                     "policy": {"rules": [{"name": "readers", "gids": ["nogroup"], "classes": ["read"], "apps": ["allowed"]}]}}
                    """#
                try withRule.write(toFile: daemon.directory + "/config.json", atomically: true, encoding: .utf8)
                daemon.signal(SIGHUP)
                try await daemon.waitForLog(containing: "reloaded")

                #expect(try await Self.listAsNobody(daemon, app: "allowed").code == 0)
                let otherApp = try await Self.listAsNobody(daemon, app: "other")
                #expect(otherApp.code == Int(RPCStatusCode.permissionDenied.rawValue))
                #expect(otherApp.message.contains("rule \"readers\" does not allow app other"), "\(otherApp.message)")

                // The owner's connection, opened before the reload, still works.
                var list = Flygate_Machines_V1_ListRequest()
                list.appName = "allowed"
                #expect(try await owner.list(list).body.isEmpty)

                // The audit log shows the refused attempts, with who made them: summarized
                // `denied` records (written within a second), never a record per refused call.
                func records() throws -> [JSONValue] {
                    try String(contentsOfFile: daemon.stateDirectory + "/audit.log", encoding: .utf8)
                        .split(separator: "\n").map { try JSONValue(parsing: String($0)) }
                }
                func deniedCount() throws -> Int64 {
                    try records().filter { $0["stage"] == "denied" && $0["peer"]?["uid"]?.int64Value == 65534 }
                        .reduce(0) { $0 + ($1["count"]?.int64Value ?? 0) }
                }
                #expect(try await eventually(within: .seconds(10)) { try deniedCount() == 3 }, "two List refusals and a Stats one")
                let denied = try records().filter { $0["stage"] == "denied" }
                #expect(Set(denied.flatMap { $0["methods"]?.arrayValue ?? [] }.compactMap(\.stringValue)) == ["List", "Stats"])
                #expect(!(try records()).contains { $0["stage"] != "denied" && $0["peer"]?["uid"]?.int64Value == 65534 && $0["outcome"]?["code"] == "PERMISSION_DENIED" })
            }
        }
    }

    @Test(
        "a rule naming a supplementary group of the caller allows it, though its primary gid is in no rule",
        .enabled(if: canDropPrivileges, "needs root, /usr/bin/setpriv and /usr/bin/python3 to act as another uid")
    )
    func supplementaryGroupMatchesARule() async throws {
        // nogroup (65534) lets the caller connect; gid 4242 need not exist to be a supplementary group.
        let config = #"""
            {"socket": {"group": "nogroup"}, "simulator": {"rate_limits": false},
             "policy": {"rules": [{"name": "team", "gids": [4242], "classes": ["read"]}]}}
            """#
        try await DaemonProcess.with(config: config) { daemon in
            let member = try await Self.callAsNobody(daemon, service: MachinesRPC.machinesServiceName, method: "List", app: "web", groups: [4242])
            #expect(member.code == 0, "\(member.message)")
            let outsider = try await Self.callAsNobody(daemon, service: MachinesRPC.machinesServiceName, method: "List", app: "web", groups: [4243])
            #expect(outsider.code == Int(RPCStatusCode.permissionDenied.rawValue))
            #expect(outsider.message.contains("groups 4243"), "\(outsider.message)")
            #expect(try await Self.listAsNobody(daemon, app: "web").code == Int(RPCStatusCode.permissionDenied.rawValue))

            // The audit record shows the groups the decision saw.
            let records = try String(contentsOfFile: daemon.stateDirectory + "/audit.log", encoding: .utf8)
                .split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            let allowed = records.filter { $0["stage"] == "completed" && $0["method"] == "List" && $0["outcome"]?["code"] == "OK" }
            #expect(allowed.count == 1 && allowed.first?["peer"]?["groups"] == .array([.int(4242)]), "\(allowed)")
        }
    }

    @Test("SIGTERM lets a call in flight finish, exits 0 and removes the socket")
    func gracefulStop() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false, "transition_delay_ms": 1500}}"#) { daemon in
            try await daemon.withClient { client in
                let id = try await client.create(Machines.create("drain")).body.id

                // A wait that lasts until the machine is started, a few transition delays from now.
                async let waited = client.wait(Machines.wait("drain", id, state: "started", timeout: 30))
                let inFlight = try await daemon.withClient { observer in
                    try await eventually { try await observer.stats().callsInFlight >= 2 }  // the wait, and this Stats call
                }
                try #require(inFlight, "the wait never reached the daemon")
                daemon.signal(SIGTERM)

                let answer = try await waited.body
                #expect(answer.ok && answer.state == "started")
                #expect(try await daemon.waitForExit() == 0)
                #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
                #expect(daemon.log.contains("draining"))
            }
        }
    }

    @Test("a second daemon refuses the socket a live one answers on, exit 69")
    func socketInUse() async throws {
        try await DaemonProcess.with { first in
            let (status, output) = try await runCommand(
                DaemonProcess.binary,
                ["serve", "--socket", first.socketPath, "--state-directory", first.stateDirectory + "2"],
                environment: ["HOME": first.directory, "PATH": "/usr/bin:/bin"]
            )
            #expect(status == 69, "\(output)")
            #expect(output.contains(first.socketPath))
            // The first daemon still answers.
            try await first.withClient { client async throws in
                #expect(try await client.health().status == "serving")
            }
        }
    }

    @Test("the daemon serves on one event loop unless told otherwise; --event-loop-threads sets how many, and calls work on each")
    func eventLoopThreads() async throws {
        /// The daemon's event-loop threads: NIO names its singleton group's `NIO-SGLTN-<group>-#<n>`.
        func loops(_ daemon: DaemonProcess) throws -> Int {
            let tasks = "/proc/\(daemon.processID)/task"
            return try FileManager.default.contentsOfDirectory(atPath: tasks).filter { task in
                let name = (try? String(contentsOfFile: "\(tasks)/\(task)/comm", encoding: .utf8)) ?? ""
                return name.hasPrefix("NIO-SGLTN-") && name.contains("-#")
            }.count
        }
        try await DaemonProcess.with { daemon in
            #expect(try loops(daemon) == 1)
            try await daemon.withClient { client async throws in #expect(try await client.health().status == "serving") }
        }
        // NIO's own variable loses to the setting.
        try await DaemonProcess.with(arguments: ["--event-loop-threads", "3"], environment: ["NIO_SINGLETON_GROUP_LOOP_COUNT": "5"]) { daemon in
            #expect(try loops(daemon) == 3)
            // Connections take the loops in turn; calls on each are answered.
            for _ in 0..<6 {
                try await daemon.withClient { client async throws in
                    var list = Flygate_Machines_V1_ListRequest()
                    list.appName = "web"
                    #expect(try await client.list(list).body.isEmpty)
                }
            }
        }
        let refused = try await runCommand(DaemonProcess.binary, ["serve", "--print-config", "--event-loop-threads", "0"])
        #expect(refused.status == 78 && refused.output.contains("event_loop_threads"), "\(refused.output)")
    }

    @Test("flygate simulator refuses a log level it does not know, exit 64, as serve refuses one")
    func simulatorLogLevel() async throws {
        let refused = try await runCommand(DaemonProcess.binary, ["simulator", "--listen", "127.0.0.1:0", "--log-level", "verbose"])
        #expect(refused.status == 64, "\(refused.output)")
        #expect(refused.output.contains("--log-level must be one of trace, debug, info"), "\(refused.output)")
    }

    @Test("invalid configuration is refused at start naming the field, exit 78; --print-config redacts the token")
    func configurationAtStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fgc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json").path
        try #"{"socket": {"max_frame_bytes": -1}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["HOME": directory.path, "PATH": "/usr/bin:/bin", "FLY_API_TOKEN": "fm2_secret-token-value"]

        let refused = try await runCommand(DaemonProcess.binary, ["serve", "--config", config], environment: environment)
        #expect(refused.status == 78)
        #expect(refused.output.contains("socket.max_frame_bytes") && refused.output.contains(config))

        let printed = try await runCommand(
            DaemonProcess.binary, ["serve", "--print-config", "--socket", "/tmp/x.sock"], environment: environment)
        #expect(printed.status == 0)
        #expect(printed.output.contains("\"path\": \"/tmp/x.sock\"") && printed.output.contains("redacted"))
        #expect(!printed.output.contains("secret-token-value"))
    }

    @Test("--upstream-max-connections sets upstream.max_connections; 0 is refused at start, exit 78")
    func upstreamMaxConnectionsFlag() async throws {
        let printed = try await runCommand(DaemonProcess.binary, ["serve", "--print-config", "--upstream-max-connections", "24"])
        #expect(printed.status == 0, "\(printed.output)")
        #expect(printed.output.contains("\"max_connections\": 24"), "\(printed.output)")
        let refused = try await runCommand(DaemonProcess.binary, ["serve", "--print-config", "--upstream-max-connections", "0"])
        #expect(refused.status == 78 && refused.output.contains("upstream.max_connections"), "\(refused.output)")
    }
}
