import FlyGateJSON

/// A believable process list for `ps`: Fly's init, hallpass (the SSH server) and the app.
package enum ProcessTable {
    /// `sort_by` values accepted.
    package static let sortKeys: Set<String> = ["pid", "cpu", "rss", "rtime", "stime", "command"]

    /// The processes of `machine`, sorted by `sortBy` (default pid) in `order` (`asc` default, or `desc`).
    package static func processes(of machine: SimulatedMachine, sortBy: String, descending: Bool) -> [JSONValue] {
        let entrypoint = appCommand(of: machine)
        let uptimeMillis = max(1, Int(WallClock.now().milliseconds - machine.updatedAt.milliseconds))
        var rows: [(pid: Int, command: String, cpu: Int, rss: Int, rtime: Int, stime: Int, sockets: [JSONValue])] = [
            (1, "/.fly/init", 1, 4 << 20, uptimeMillis, 12, []),
            (313, "/.fly/hallpass", 3, 9 << 20, uptimeMillis - 40, 31, [["proto": "tcp", "address": "[fdaa::3]:22"]]),
            (322, entrypoint, 27, (machine.memoryLimitMB * 45 / 100) << 20, uptimeMillis - 55, 210, appSockets(of: machine)),
        ]
        rows.sort { lhs, rhs in
            let ascending: Bool
            switch sortBy {
            case "cpu": ascending = (lhs.cpu, lhs.pid) < (rhs.cpu, rhs.pid)
            case "rss": ascending = (lhs.rss, lhs.pid) < (rhs.rss, rhs.pid)
            case "rtime": ascending = (lhs.rtime, lhs.pid) < (rhs.rtime, rhs.pid)
            case "stime": ascending = (lhs.stime, lhs.pid) < (rhs.stime, rhs.pid)
            case "command": ascending = (lhs.command, lhs.pid) < (rhs.command, rhs.pid)
            default: ascending = lhs.pid < rhs.pid
            }
            return descending ? !ascending : ascending
        }
        return rows.map { row in
            ["pid": .int(row.pid), "command": .string(row.command), "directory": "/", "cpu": .int(row.cpu),
             "rss": .int(row.rss), "rtime": .int(row.rtime), "stime": .int(row.stime),
             "listen_sockets": .array(row.sockets)]
        }
    }

    private static func appCommand(of machine: SimulatedMachine) -> String {
        let initConfig = machine.config["init"]
        for key in ["exec", "entrypoint", "cmd"] {
            if let words = initConfig?[key]?.arrayValue?.compactMap(\.stringValue), !words.isEmpty {
                return words.joined(separator: " ")
            }
        }
        let image = ImageReference(parsing: machine.config["image"]?.stringValue ?? "app")
        return "/usr/local/bin/" + (image.repository.split(separator: "/").last.map(String.init) ?? "app")
    }

    private static func appSockets(of machine: SimulatedMachine) -> [JSONValue] {
        (machine.config["services"]?.arrayValue ?? []).compactMap { service in
            guard let port = service["internal_port"]?.int64Value else { return nil }
            return ["proto": .string(service["protocol"]?.stringValue ?? "tcp"), "address": .string("0.0.0.0:\(port)")]
        }
    }
}
