import FlyGateWire
import Foundation

/// The status details that carry what Fly answered: the HTTP status, `fly-request-id` and,
/// for RESOURCE_EXHAUSTED, when to retry. Each is a `ttrpc.Any` whose `type_url` names it and
/// whose `value` is the UTF-8 text of the value, so a client in any language reads them
/// without a schema.
package enum UpstreamStatusDetails {
    package static let httpStatusType = "flygate/upstream.http_status"
    package static let flyRequestIDType = "flygate/upstream.fly_request_id"
    package static let retryAfterType = "flygate/upstream.retry_after_ms"

    package static func details(httpStatus: Int?, flyRequestID: String?, retryAfter: Duration?) -> [Ttrpc_Any] {
        var details: [Ttrpc_Any] = []
        func add(_ type: String, _ text: String) {
            var any = Ttrpc_Any()
            any.typeURL = type
            any.value = Data(text.utf8)
            details.append(any)
        }
        if let httpStatus { add(httpStatusType, String(httpStatus)) }
        if let flyRequestID, !flyRequestID.isEmpty { add(flyRequestIDType, flyRequestID) }
        if let retryAfter {
            let (seconds, attoseconds) = retryAfter.components
            add(retryAfterType, String(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        }
        return details
    }

    /// Reads the details back (clients, tests).
    package static func read(_ details: [Ttrpc_Any]) -> (httpStatus: Int?, flyRequestID: String?, retryAfterMilliseconds: Int?) {
        func text(_ type: String) -> String? {
            details.first { $0.typeURL == type }.map { String(decoding: $0.value, as: UTF8.self) }
        }
        return (text(httpStatusType).flatMap(Int.init), text(flyRequestIDType), text(retryAfterType).flatMap(Int.init))
    }
}
