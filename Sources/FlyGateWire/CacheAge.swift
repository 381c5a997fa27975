import Foundation

/// How the daemon says a successful answer came from its read cache: ttrpc Responses have no
/// metadata, so the age travels as a code-0 `status` with one detail,
/// `Any{type_url: "flygate/cache-age-ms", value: <UTF-8 decimal milliseconds>}`.
package enum CacheAge {
    /// The detail's `type_url`.
    package static let typeURL = "flygate/cache-age-ms"

    /// The OK status carrying `age`, in whole milliseconds.
    package static func status(_ age: Duration) -> Ttrpc_Status {
        let (seconds, attoseconds) = age.components
        let milliseconds = max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        var detail = Ttrpc_Any()
        detail.typeURL = typeURL
        detail.value = Data(String(milliseconds).utf8)
        var status = Ttrpc_Status()
        status.code = 0
        status.details = [detail]
        return status
    }

    /// The age a Response reports, or nil when it was not served from the cache.
    package static func age(of response: Ttrpc_Response) -> Duration? {
        guard response.hasStatus, response.status.code == 0,
            let detail = response.status.details.first(where: { $0.typeURL == typeURL }),
            let milliseconds = Int64(String(decoding: detail.value, as: UTF8.self))
        else { return nil }
        return .milliseconds(milliseconds)
    }
}
