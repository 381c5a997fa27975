import FlyGateWire
import NIOHPACK

/// A gRPC request's headers, checked: the method to call, its deadline and its metadata.
package struct GRPCRequestHead: Sendable {
    /// Why headers cannot start a gRPC call: an HTTP status (not gRPC at all) or a gRPC status.
    package enum Refusal: Error {
        case http(status: Int)
        case grpc(RPCError)
    }

    package var service: String
    package var method: String
    /// The content type to answer with: the request's own (`application/grpc` or `+proto`).
    package var contentType: String
    /// From `grpc-timeout`; 0 when none was sent.
    package var timeoutNanoseconds: Int64
    /// Every header that is not a pseudo-header or reserved by HTTP/2 or gRPC, keys lower-case.
    package var metadata: [(key: String, value: String)]

    /// Headers gRPC or HTTP reserve: not passed to handlers as metadata.
    package static let reservedHeaders: Set<String> = [
        "content-type", "te", "user-agent", "content-length", "accept-encoding", "host", "connection",
    ]

    /// Checks `headers`; throws the answer to give when they cannot start a call.
    package init(_ headers: HPACKHeaders) throws(Refusal) {
        guard headers.first(name: ":method") == "POST" else { throw .http(status: 405) }
        let contentType = headers.first(name: "content-type") ?? ""
        guard contentType == "application/grpc" || contentType.hasPrefix("application/grpc+")
            || contentType.hasPrefix("application/grpc;")
        else { throw .http(status: 415) }
        guard contentType == "application/grpc" || contentType.hasPrefix("application/grpc+proto")
            || contentType.hasPrefix("application/grpc;")
        else {
            throw .grpc(RPCError(code: .unimplemented, message: "content type \(contentType): only protobuf messages are served"))
        }
        self.contentType = contentType
        if let encoding = headers.first(name: "grpc-encoding"), encoding != "identity" {
            throw .grpc(RPCError(code: .unimplemented, message: "grpc-encoding \(encoding) is not supported (identity only)"))
        }
        let path = headers.first(name: ":path") ?? ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else {
            throw .grpc(RPCError(code: .unimplemented, message: "path \(path) is not /service/method"))
        }
        self.service = String(parts[1])
        self.method = String(parts[2])
        if let timeout = headers.first(name: "grpc-timeout") {
            guard let nanoseconds = Self.nanoseconds(ofTimeout: timeout) else {
                throw .grpc(RPCError(code: .invalidArgument, message: "grpc-timeout \(timeout) does not parse"))
            }
            // A timeout of 0 has already passed.
            self.timeoutNanoseconds = nanoseconds == 0 ? -1 : nanoseconds
        } else {
            self.timeoutNanoseconds = 0
        }
        self.metadata = headers.compactMap { name, value, _ in
            let key = name.lowercased()
            guard !key.hasPrefix(":"), !key.hasPrefix("grpc-"), !Self.reservedHeaders.contains(key) else { return nil }
            return (key: key, value: value)
        }
    }

    /// `grpc-timeout`'s value (1 to 8 digits and a unit, H M S m u n) in nanoseconds, or nil.
    package static func nanoseconds(ofTimeout value: String) -> Int64? {
        guard let unit = value.last, (2...9).contains(value.count) else { return nil }
        let digits = value.dropLast()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let amount = Int64(digits) else { return nil }
        let scale: Int64
        switch unit {
        case "H": scale = 3_600_000_000_000
        case "M": scale = 60_000_000_000
        case "S": scale = 1_000_000_000
        case "m": scale = 1_000_000
        case "u": scale = 1_000
        case "n": scale = 1
        default: return nil
        }
        let (product, overflow) = amount.multipliedReportingOverflow(by: scale)
        return overflow ? Int64.max : product
    }
}

extension HPACKHeaders {
    /// Trailers carrying `status`, with the message percent-encoded as gRPC requires.
    mutating func addStatus(_ code: RPCStatusCode, message: String) {
        self.add(name: "grpc-status", value: String(code.rawValue))
        if !message.isEmpty { self.add(name: "grpc-message", value: Self.percentEncoded(message)) }
    }

    /// `text` with every byte outside printable ASCII, and `%`, as `%XX` (the grpc-message rule).
    package static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            if (0x20...0x7E).contains(byte), byte != UInt8(ascii: "%") {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
