/// The `stage` of an audit record: a call's two moments, and the log's own events.
package enum AuditRecordStage: String, Sendable, CaseIterable {
    /// A mutation arrived; written and synced before the call goes upstream.
    case received
    /// A call was answered (every call, reads included).
    case completed
    /// The daemon opened the log.
    case start
    /// The daemon closed the log at a graceful stop.
    case stop
    /// The first record of a file after rotation; chains to the last record of the previous file.
    case rotated
    /// The daemon found a torn last line after a crash and cut it off.
    case recovered
    /// Calls the access policy refused, summarized per uid (at most one record per uid a second).
    case denied
}
