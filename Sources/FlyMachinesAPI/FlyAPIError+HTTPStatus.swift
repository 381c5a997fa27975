import FlyGateJSON

extension FlyAPIError.Code {
    /// The code for an upstream HTTP status that is not a success.
    ///
    /// As DESIGN.md lists: 400/422 invalid argument, 401 unauthenticated, 403 permission denied,
    /// 404 not found, 408 deadline exceeded, 409/412 failed precondition (lease held, version
    /// mismatch), 429 resource exhausted, every 5xx unavailable. Our choices for the rest:
    /// 410 not found; 413/414/415/431 invalid argument (the request's shape); 405 unimplemented;
    /// any other 4xx failed precondition; 1xx, 3xx (redirects are not followed), an unexpected
    /// 2xx handled elsewhere, and anything outside 100–599 unknown.
    package init(httpStatus status: Int) {
        switch status {
        case 400, 422, 413, 414, 415, 431: self = .invalidArgument
        case 401: self = .unauthenticated
        case 403: self = .permissionDenied
        case 404, 410: self = .notFound
        case 405: self = .unimplemented
        case 408: self = .deadlineExceeded
        case 409, 412: self = .failedPrecondition
        case 429: self = .resourceExhausted
        case 400..<500: self = .failedPrecondition
        case 500..<600: self = .unavailable
        default: self = .unknown
        }
    }
}

/// Reads Fly's error text out of an error answer's body.
package enum FlyErrorText {
    /// Longest message kept, in UTF-8 bytes.
    package static let maxBytes = 200

    /// `message` preferred over `error` (as FLYGO does) when the body is a JSON object; otherwise
    /// an excerpt of the body. Control characters are dropped and the text bounded to `maxBytes`.
    /// Falls back to `HTTP <status>` when nothing readable is left.
    package static func message(status: Int, body: [UInt8]) -> String {
        var text = ""
        if let json = try? JSONValue(parsing: body), let object = json.objectValue {
            if let message = object["message"]?.stringValue, !message.isEmpty {
                text = message
            } else if let error = object["error"]?.stringValue, !error.isEmpty {
                text = error
            } else {
                text = String(decoding: body.prefix(maxBytes * 2), as: UTF8.self)
            }
        } else {
            text = String(decoding: body.prefix(maxBytes * 2), as: UTF8.self)
        }
        let clean = sanitized(text)
        return clean.isEmpty ? "HTTP \(status)" : clean
    }

    /// `text` without control characters, trimmed of spaces and cut to `maxBytes` on a character boundary.
    package static func sanitized(_ text: String, maxBytes: Int = maxBytes) -> String {
        var result = ""
        var bytes = 0
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                || scalar == "\u{FFFD}"
            {
                continue
            }
            let size = String(scalar).utf8.count
            if bytes + size > maxBytes {
                result.unicodeScalars.append("…")
                break
            }
            result.unicodeScalars.append(scalar)
            bytes += size
        }
        while result.hasPrefix(" ") { result.removeFirst() }
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}
