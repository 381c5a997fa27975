import FlyGateJSON

/// One entry of a machine's event log (`MachineEvent`).
package struct MachineEventRecord: Sendable {
    /// A ULID, so ids sort by time.
    package var id: String
    /// `launch`, `start`, `stop`, `exit`, `restart`, `suspend`, `update`, `destroy`, `cordon`, `signal`, …
    package var type: String
    /// The machine state the event left it in.
    package var status: String
    /// `user` for API calls, `flyd` for what the host did.
    package var source: String
    /// When it happened.
    package var timestamp: WallClock
    /// Details, e.g. the stop signal and timeout or the exit event.
    package var request: JSONValue?

    /// The `MachineEvent` JSON object.
    package var json: JSONValue {
        var object = JSONObject()
        object.append("id", .string(id))
        object.append("type", .string(type))
        object.append("status", .string(status))
        if let request { object.append("request", request) }
        object.append("source", .string(source))
        object.append("timestamp", .int(timestamp.milliseconds))
        return .object(object)
    }
}
