import FlyGateJSON
import FlyGateServer
import FlyMachinesAPI
import Foundation
import Testing

@testable import FlyGateCore

@Suite struct ConfigurationLoaderTests {
    @Test("the README's table of defaults is what the code defaults to, and the components get the daemon's settings")
    func readmeDefaultsAreTheCodes() throws {
        let readme = try String(
            contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md").path,
            encoding: .utf8)
        let table = try #require(readme.range(of: "| field | default |")).upperBound
        let section = readme[table...].prefix { _ in true }.components(separatedBy: "\n\n")[0]
        let rows = section.split(separator: "\n").compactMap { line -> (key: String, value: String)? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, cells[0].hasPrefix("`"), cells[0].hasSuffix("`") else { return nil }
            return (String(cells[0].dropFirst().dropLast()), cells[1])
        }
        #expect(rows.count == 23)
        let configuration = DaemonConfiguration.defaults(environment: [:], userID: 1000)
        let effective = configuration.effectiveJSON(token: "none")
        for (key, value) in rows {
            let found = key.split(separator: ".").reduce(Optional(effective)) { $0?[String($1)] }
            #expect(found?.serialized == value, "README says \(key) defaults to \(value); the code: \(found?.serialized ?? "nothing")")
        }
        // The components are built from the daemon's settings, with the components' own defaults.
        let server = configuration.serverConfiguration(inheritedSocket: nil)
        #expect(server.maxConnections == configuration.maxConnections && server.maxFrameBytes == configuration.maxFrameBytes)
        #expect(server.maxOutboundBufferBytes == RPCServer.Configuration.defaults.maxOutboundBufferBytes)
        #expect(configuration.serverConfiguration(inheritedSocket: 3).listener == .inheritedSocket(descriptor: 3))
        var changed = configuration
        changed.maxConnections = 7
        changed.upstreamRateLimits = false
        changed.simulatorTransitionDelay = .milliseconds(5)
        #expect(changed.serverConfiguration(inheritedSocket: nil).maxConnections == 7)
        #expect(changed.upstreamClientConfiguration(baseURL: "http://x").rateLimits.enabled == false)
        #expect(changed.simulatorConfiguration.transitionDelay == .milliseconds(5))
        changed.watchPollInterval = .seconds(3)
        changed.watchMaxPerUID = 9
        #expect(changed.watch.pollInterval == .seconds(3) && changed.watch.maxWatchesPerUID == 9)
        #expect(changed.watch.followUps == WatchHub.Configuration.defaults.followUps)
    }

    @Test func defaultsFollowTheSocketRule() throws {
        let configuration = try ConfigurationLoader(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"], userID: 1000).load()
        #expect(configuration.socketPath == "/run/user/1000/flygate/flygate.sock")
        #expect(configuration.maxFrameBytes == 4 * 1024 * 1024)
        #expect(configuration.rules.isEmpty)
    }

    @Test func fileThenEnvironmentThenFlags() throws {
        let file = #"{"socket": {"path": "/tmp/a.sock", "max_connections": 10}, "log": {"level": "debug"}, "upstream": {"url": "http://127.0.0.1:4280"}}"#
        var loader = ConfigurationLoader(environment: ["FLYGATE_SOCKET": "/tmp/b.sock", "FLYGATE_LOG_LEVEL": "warning"], userID: 1000)
        try loader.applyFile(Array(file.utf8), path: "/etc/flygate/config.json")
        loader.applyFlags([(field: "log.level", value: "error", flag: "--log-level")])
        let configuration = try loader.load()
        #expect(configuration.socketPath == "/tmp/b.sock")  // environment over file
        #expect(configuration.maxConnections == 10)  // file over defaults
        #expect(configuration.logLevel == "error")  // flags over environment
        #expect(configuration.upstreamURL == "http://127.0.0.1:4280")
    }

    @Test(arguments: [
        (#"{"socket": {"max_frame_bytes": "huge"}}"#, "socket.max_frame_bytes"),
        (#"{"socket": {"pth": "/x"}}"#, "socket.pth"),
        (#"{"log": {"level": "loud"}}"#, "log.level"),
        (#"{"log": {"format": "xml"}}"#, "log.format"),
        (#"{"metrics": {"listen": "nowhere"}}"#, "metrics.listen"),
        (#"{"policy": {"rules": [{"uids": [1001], "classes": ["everything"]}]}}"#, "policy.rules"),
        (#"{"policy": {"rules": [{"classes": ["read"]}]}}"#, "policy.rules"),
        (#"{"upstream": {"url": "ftp://example"}}"#, "upstream.url"),
        (#"{"cache": {"max_entries": -1}}"#, "cache.max_entries"),
        (#"{"cache": {"max_bytes": 100}}"#, "cache.max_bytes"),
        (#"{"cache": {"max_bytes": "lots"}}"#, "cache.max_bytes"),
        (#"{"coalescing": {"enabled": "maybe"}}"#, "coalescing.enabled"),
        (#"{"coalescing": {"max_waiters": 3}}"#, "coalescing.max_waiters"),
        (#"{"audit": {"max_bytes": 10}}"#, "audit.max_bytes"),
        (#"{"event_loop_threads": 0}"#, "event_loop_threads"),
        (#"{"event_loop_threads": "many"}"#, "event_loop_threads"),
        (#"{"upstream": {"max_connections": 0}}"#, "upstream.max_connections"),
        (#"{"upstream": {"max_connections": 1025}}"#, "upstream.max_connections"),
        (#"{"audit": {"enabled": "maybe"}}"#, "audit.enabled"),
        (#"{"audit": {"path": "/var/log/"}}"#, "audit.path"),
        (#"{"watch": {"poll_interval_seconds": 0}}"#, "watch.poll_interval_seconds"),
        (#"{"watch": {"max_per_uid": 0}}"#, "watch.max_per_uid"),
        (#"[1]"#, "(file)"),
        (#"{"socket": "#, "(file)"),
    ])
    func invalidConfigurationNamesTheField(_ file: String, _ field: String) throws {
        var loader = ConfigurationLoader(environment: [:], userID: 1000)
        let error = #expect(throws: ConfigurationError.self) {
            try loader.applyFile(Array(file.utf8), path: "config.json")
            _ = try loader.load()
        }
        #expect(error?.field == field)
        #expect(error?.description.contains("config file config.json") == true)
    }

    @Test func coalescingAndCacheSettingsReachTheStage() throws {
        let defaults = try ConfigurationLoader(environment: [:], userID: 1000).load()
        #expect(defaults.coalescing == CoalescingStage.Configuration.defaults)
        #expect(defaults.cacheMaxEntries == 10_000 && defaults.cacheMaxBytes == 64 << 20 && defaults.coalescingEnabled)

        let file = #"{"coalescing": {"enabled": false}, "cache": {"max_entries": 500, "max_bytes": 1048576}}"#
        var loader = ConfigurationLoader(environment: [:], userID: 1000)
        try loader.applyFile(Array(file.utf8), path: "config.json")
        loader.applyFlags([(field: "cache.max_entries", value: "0", flag: "--cache-max-entries")])
        let configuration = try loader.load()
        #expect(configuration.coalescing.enabled == false)
        #expect(configuration.coalescing.maxCacheEntries == 0)  // flag over file
        #expect(configuration.coalescing.maxCacheBytes == 1_048_576)
        let printed = configuration.effectiveJSON(token: "(none)").serialized
        #expect(printed.contains(#""cache":{"max_entries":0,"max_bytes":1048576}"#))
    }

    @Test("upstream.max_connections comes from the file or --upstream-max-connections and reaches the upstream client")
    func upstreamConnectionsReachTheClient() throws {
        let defaults = try ConfigurationLoader(environment: [:], userID: 1000).load()
        #expect(defaults.upstreamClientConfiguration(baseURL: "http://x").maxConnectionsPerHost == 8)
        var loader = ConfigurationLoader(environment: [:], userID: 1000)
        try loader.applyFile(Array(#"{"upstream": {"max_connections": 32}}"#.utf8), path: "config.json")
        #expect(try loader.load().upstreamClientConfiguration(baseURL: "http://x").maxConnectionsPerHost == 32)
        loader.applyFlags([(field: "upstream.max_connections", value: "2", flag: "--upstream-max-connections")])
        let configuration = try loader.load()
        let client = configuration.upstreamClientConfiguration(baseURL: "http://x")
        #expect(client.maxConnectionsPerHost == 2)  // flag over file
        #expect(client.maxLongCallConnectionsPerHost == FlyMachinesClient.Configuration.defaults.maxLongCallConnectionsPerHost)
        #expect(configuration.effectiveJSON(token: "(none)").serialized.contains(#""max_connections":2"#))
    }

    @Test("watch.poll_interval_seconds and watch.max_per_uid come from the file and reach the watch hub")
    func watchSettingsReachTheHub() throws {
        let file = #"{"watch": {"poll_interval_seconds": 4, "max_per_uid": 12}}"#
        var loader = ConfigurationLoader(environment: [:], userID: 1000)
        try loader.applyFile(Array(file.utf8), path: "config.json")
        let configuration = try loader.load()
        #expect(configuration.watch.pollInterval == .seconds(4))
        #expect(configuration.watch.maxWatchesPerUID == 12)
        #expect(configuration.effectiveJSON(token: "(none)").serialized.contains(#""watch":{"poll_interval_seconds":4,"max_per_uid":12}"#))
    }

    @Test func auditLogDefaultsToTheStateDirectoryAndCanBeMovedOrTurnedOff() throws {
        let defaults = try ConfigurationLoader(environment: ["STATE_DIRECTORY": "/var/lib/fg"], userID: 1000).load()
        #expect(defaults.auditEnabled && defaults.auditLogPath == "/var/lib/fg/audit.log")
        #expect(defaults.auditMaxBytes == 64 * 1024 * 1024)
        var loader = ConfigurationLoader(environment: ["FLYGATE_AUDIT_LOG": "/srv/audit/a.log"], userID: 1000)
        try loader.applyFile(Array(#"{"audit": {"max_bytes": 8192, "enabled": false}}"#.utf8), path: "c.json")
        let configured = try loader.load()
        #expect(configured.auditLogPath == "/srv/audit/a.log" && configured.auditMaxBytes == 8192 && !configured.auditEnabled)
        loader.applyFlags([(field: "audit.path", value: "/tmp/x.log", flag: "--audit-log")])
        #expect(try loader.load().auditLog == AuditLog.Configuration(path: "/tmp/x.log", maxBytes: 8192))
    }

    @Test("the abuse bounds are read from the file, 0 turns a timeout off, and they reach the server")
    func abuseBoundsReachTheServer() throws {
        let defaults = try ConfigurationLoader(environment: [:], userID: 1000).load().serverConfiguration(inheritedSocket: nil)
        #expect(defaults.maxConnectionsPerUID == 128 && defaults.firstFrameTimeout == .seconds(60))
        #expect(defaults.idleTimeout == .seconds(300) && defaults.maxBufferedBytes == 64 << 20)
        let file = #"{"socket": {"max_connections_per_uid": 3, "first_frame_timeout_seconds": 2, "idle_timeout_seconds": 0, "max_buffered_bytes": 1048576}}"#
        var loader = ConfigurationLoader(environment: [:], userID: 1000)
        try loader.applyFile(Array(file.utf8), path: "c.json")
        let configuration = try loader.load()
        let server = configuration.serverConfiguration(inheritedSocket: nil)
        #expect(server.maxConnectionsPerUID == 3 && server.firstFrameTimeout == .seconds(2))
        #expect(server.idleTimeout == nil && server.maxBufferedBytes == 1_048_576)
        #expect(configuration.effectiveJSON(token: "-")["socket"]?["idle_timeout_seconds"] == .int(0))
        var small = ConfigurationLoader(environment: [:], userID: 1000)
        try small.applyFile(Array(#"{"socket": {"max_buffered_bytes": 100}}"#.utf8), path: "c.json")
        #expect(throws: ConfigurationError.self) { try small.load() }
    }

    @Test("socket.grpc_path is off by default, comes from the file, FLYGATE_GRPC_SOCKET or --grpc-socket, and reaches the server")
    func grpcSocketPath() throws {
        let defaults = try ConfigurationLoader(environment: [:], userID: 1000).load()
        #expect(defaults.grpcSocketPath == nil && defaults.serverConfiguration(inheritedSocket: nil).grpcOnlyListener == nil)
        #expect(defaults.effectiveJSON(token: "-")["socket"]?["grpc_path"] == .null)

        var loader = ConfigurationLoader(environment: [:], userID: 1000)
        try loader.applyFile(Array(#"{"socket": {"path": "/run/fg/f.sock", "grpc_path": "/run/fg/g.sock"}}"#.utf8), path: "c.json")
        let configured = try loader.load()
        #expect(configured.grpcSocketPath == "/run/fg/g.sock")
        #expect(configured.serverConfiguration(inheritedSocket: nil).grpcOnlyListener == .socketPath("/run/fg/g.sock"))
        // An inherited socket replaces the socket's path only; the gRPC-only socket is still bound at its own.
        let inherited = configured.serverConfiguration(inheritedSocket: 3)
        #expect(inherited.listener == .inheritedSocket(descriptor: 3) && inherited.grpcOnlyListener == .socketPath("/run/fg/g.sock"))
        #expect(configured.effectiveJSON(token: "-")["socket"]?["grpc_path"] == .string("/run/fg/g.sock"))
        try configured.serverConfiguration(inheritedSocket: nil).validate()

        var layered = ConfigurationLoader(environment: ["FLYGATE_GRPC_SOCKET": "/run/fg/env.sock"], userID: 1000)
        try layered.applyFile(Array(#"{"socket": {"grpc_path": "/run/fg/g.sock"}}"#.utf8), path: "c.json")
        #expect(try layered.load().grpcSocketPath == "/run/fg/env.sock")
        layered.applyFlags([(field: "socket.grpc_path", value: "/run/fg/flag.sock", flag: "--grpc-socket")])
        #expect(try layered.load().grpcSocketPath == "/run/fg/flag.sock")
    }

    @Test(
        "a gRPC-only socket path that is the socket's, empty or over 107 bytes is refused, naming the field and its source",
        arguments: [
            (#"{"socket": {"path": "/run/fg/f.sock", "grpc_path": "/run/fg/f.sock"}}"#, [:], "config file c.json", "must differ from socket.path"),
            (#"{"socket": {"path": "/run/fg/f.sock", "grpc_path": "/run//fg/./f.sock"}}"#, [:], "config file c.json", "must differ"),
            (#"{"socket": {"grpc_path": "/run/fg/f.sock"}}"#, ["FLYGATE_SOCKET": "/run/fg/f.sock"], "config file c.json", "must differ"),
            (#"{"socket": {"path": "/run/fg/f.sock"}}"#, ["FLYGATE_GRPC_SOCKET": "/run/fg/f.sock"], "FLYGATE_GRPC_SOCKET", "must differ"),
            (#"{"socket": {"grpc_path": ""}}"#, [:], "config file c.json", "must not be empty"),
            (#"{"socket": {"grpc_path": 7}}"#, [:], "config file c.json", "expected a string"),
            (#"{"socket": {"grpc_path": "/tmp/\#(String(repeating: "p", count: 100))/g.sock"}}"#, [:], "config file c.json", "107"),
            (#"{"socket": {"grpc": "/run/fg/g.sock"}}"#, [:], "config file c.json", "unknown field"),
        ] as [(String, [String: String], String, String)]
    )
    func grpcSocketPathRefused(_ file: String, _ environment: [String: String], _ source: String, _ message: String) throws {
        var loader = ConfigurationLoader(environment: environment, userID: 1000)
        let error = #expect(throws: ConfigurationError.self) {
            try loader.applyFile(Array(file.utf8), path: "c.json")
            _ = try loader.load()
        }
        #expect(error?.field.hasPrefix("socket.grpc") == true, "\(String(describing: error))")
        #expect(error?.source == source && error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func environmentErrorsNameTheVariable() {
        let loader = ConfigurationLoader(environment: ["FLYGATE_LOG_FORMAT": "yaml"], userID: 1000)
        let error = #expect(throws: ConfigurationError.self) { try loader.load() }
        #expect(error?.source == "FLYGATE_LOG_FORMAT")
    }

    @Test func rulesResolveNamesAndAppLists() throws {
        let file = #"{"policy": {"rules": [{"name": "ci", "uids": [1001, "root"], "gids": ["root"], "classes": ["read", "operate"], "apps": ["web"]}]}}"#
        var loader = ConfigurationLoader(environment: [:], userID: 1000)
        try loader.applyFile(Array(file.utf8), path: "c.json")
        let rule = try #require(try loader.load().rules.first)
        #expect(rule.name == "ci" && rule.uids == [1001, 0] && rule.gids == [0])
        #expect(rule.classes == [.read, .operate] && rule.apps == ["web"])
    }

    @Test func printedConfigurationNeverHoldsTheToken() throws {
        let configuration = try ConfigurationLoader(environment: [:], userID: 1000).load()
        let text = configuration.effectiveJSON(token: "(set from FLY_API_TOKEN; redacted)").prettyPrinted
        #expect(text.contains("redacted"))
        #expect(try JSONValue(parsing: text)["socket"]?["path"] == .string(configuration.socketPath))
    }
}
