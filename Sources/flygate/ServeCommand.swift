import ArgumentParser
import FlyGateCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `flygate serve`: the daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the flygate daemon: every Fly Machines operation on a Unix socket.",
        discussion: """
            With a token (FLY_API_TOKEN, or --token-file) the daemon talks to Fly's Machines API \
            (https://api.machines.dev, or --upstream / FLY_FLAPS_BASE_URL). With none it starts the \
            built-in simulator on loopback and says so.

            Configuration comes from a JSON file (--config, $FLYGATE_CONFIG, or \
            /etc/flygate/config.json for root and ~/.config/flygate/config.json otherwise, when \
            present), then environment variables, then these flags: a later source wins. \
            --print-config shows the result (the token redacted) and exits.

            Signals: SIGTERM/SIGINT stop accepting, let calls in flight finish (up to \
            shutdown_grace_seconds) and exit 0; SIGHUP reloads the configuration and the token \
            without dropping connections. Exit codes: 0 clean stop, 1 failure, 69 the socket or the \
            state directory is in use by a live daemon, 78 invalid configuration (also: a socket \
            or state directory, token file or config file another user could change).
            """
    )

    @Option(help: "The JSON configuration file.")
    var config: String?

    @Option(help: "The socket path (default: $FLYGATE_SOCKET, $XDG_RUNTIME_DIR/flygate/flygate.sock, ...).")
    var socket: String?

    @Option(help: "A second socket that serves gRPC only (the socket serves ttrpc and gRPC either way).")
    var grpcSocket: String?

    @Option(help: "A group whose members may connect too (sockets 0660).")
    var socketGroup: String?

    @Option(help: "The Machines API base URL, without /v1 (default https://api.machines.dev).")
    var upstream: String?

    @Option(help: "A file holding the Fly API token (must not be readable by group or others).")
    var tokenFile: String?

    @Option(help: "Where the daemon keeps its state (lease book, audit log).")
    var stateDirectory: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(help: "text (for a terminal) or json (one object per line, for a service manager).")
    var logFormat: String?

    @Option(help: "host:port to serve Prometheus metrics on (GET /metrics).")
    var metricsListen: String?

    @Option(help: "Seconds calls in flight may run after SIGTERM.")
    var shutdownGraceSeconds: Int?

    @Option(help: "Threads serving the sockets and upstream connections (default 1; read at start).")
    var eventLoopThreads: Int?

    @Option(help: "HTTP/1.1 connections to the upstream at most (default 8; read at start).")
    var upstreamMaxConnections: Int?

    @Option(help: "The audit log file (default: <state directory>/audit.log).")
    var auditLog: String?

    @Option(help: "Rotate the audit log once it reaches this many bytes.")
    var auditMaxBytes: Int?

    @Flag(help: "Do not write the audit log.")
    var noAudit = false

    @Flag(help: "Do not pace calls at Fly's documented rate limits.")
    var noRateLimits = false

    @Flag(help: "Print the effective configuration (token redacted) and exit.")
    var printConfig = false

    func run() async throws {
        // Before the token is read: a core dump, or another process of this uid reading our
        // memory through /proc, would hold it.
        guard ProcessDumpability.disable() else { Self.fail("cannot make the process non-dumpable (prctl)", code: 1) }
        let environment = ProcessInfo.processInfo.environment
        let loaded: LoadedConfiguration
        do {
            loaded = try LoadedConfiguration.load(flags: flagSettings, configPath: config, environment: environment)
        } catch let error as ConfigurationError {
            Self.fail("\(error)", code: 78)
        } catch {
            Self.fail("\(error)", code: 78)
        }
        if printConfig {
            print(loaded.configuration.effectiveJSON(token: loaded.token.summary).prettyPrinted)
            return
        }
        let runner = DaemonRunner(loaded: loaded, reloadFlags: flagSettings, configPath: config, environment: environment)
        let status = await runner.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// The flags given, as configuration fields.
    var flagSettings: [(field: String, value: String, flag: String)] {
        var settings: [(field: String, value: String, flag: String)] = []
        func add(_ field: String, _ value: String?, _ flag: String) {
            if let value { settings.append((field, value, flag)) }
        }
        add("socket.path", socket, "--socket")
        add("socket.grpc_path", grpcSocket, "--grpc-socket")
        add("socket.group", socketGroup, "--socket-group")
        add("upstream.url", upstream, "--upstream")
        add("upstream.token_file", tokenFile, "--token-file")
        add("upstream.max_connections", upstreamMaxConnections.map(String.init), "--upstream-max-connections")
        add("state_directory", stateDirectory, "--state-directory")
        add("log.level", logLevel, "--log-level")
        add("log.format", logFormat, "--log-format")
        add("metrics.listen", metricsListen, "--metrics-listen")
        add("shutdown_grace_seconds", shutdownGraceSeconds.map(String.init), "--shutdown-grace-seconds")
        add("event_loop_threads", eventLoopThreads.map(String.init), "--event-loop-threads")
        add("audit.path", auditLog, "--audit-log")
        add("audit.max_bytes", auditMaxBytes.map(String.init), "--audit-max-bytes")
        if noAudit { settings.append(("audit.enabled", "false", "--no-audit")) }
        if noRateLimits { settings.append(("upstream.rate_limits", "false", "--no-rate-limits")) }
        return settings
    }

    /// Prints `flygate: message` on standard error and exits with `code`.
    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("flygate: \(message)\n".utf8))
        Glibc.exit(code)
    }
}
