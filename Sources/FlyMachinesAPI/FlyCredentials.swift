#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Fly API token(s) and the `Authorization` header they make (FLY_API.md §9). Its
/// descriptions redact the token; only `authorizationHeader` reveals it, for the HTTP request.
package struct FlyCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The authorization scheme Fly expects for these tokens.
    package enum Scheme: String, Sendable {
        /// Macaroon tokens (`fm1r_`, `fm1a_`, `fm2_`), from `fly tokens create`.
        case flyV1 = "FlyV1"
        /// User OAuth tokens, from `fly auth token`.
        case bearer = "Bearer"
    }

    /// Where a token comes from.
    package enum Source: Sendable, Equatable {
        /// The environment variable `FLY_API_TOKEN` (the dictionary the executable passes in).
        case environment
        /// A file holding the token; refused when group- or world-readable, or owned by
        /// someone other than the daemon's user or root.
        case file(String)
    }

    /// The scheme chosen.
    package let scheme: Scheme
    /// How many tokens the header carries.
    package var tokenCount: Int { tokens.count }
    private let tokens: [String]

    /// Parses a token as flyctl does: strips any `Bearer `/`FlyV1 ` scheme (repeatedly, any
    /// case), splits on commas, and sends `FlyV1 <macaroons>` when any token is a macaroon (user
    /// tokens dropped), else `Bearer <tokens>`.
    package init(token: String) throws(FlyAPIError) {
        var rest = Substring(token).drop(while: Self.isSpace)
        while true {
            let lowered = rest.prefix(6).lowercased()
            if lowered.hasPrefix("bearer"), rest.dropFirst(6).first.map(Self.isSpace) ?? false {
                rest = rest.dropFirst(6).drop(while: Self.isSpace)
            } else if lowered.hasPrefix("flyv1"), rest.dropFirst(5).first.map(Self.isSpace) ?? false {
                rest = rest.dropFirst(5).drop(while: Self.isSpace)
            } else {
                break
            }
        }
        let all = rest.split(separator: ",").map { String($0.filter { !Self.isSpace($0) }) }.filter { !$0.isEmpty }
        guard !all.isEmpty else { throw .configuration("the Fly API token is empty") }
        guard all.allSatisfy(\.isVisibleASCII) else {
            throw .configuration("the Fly API token has characters a header cannot carry")
        }
        let macaroons = all.filter { $0.hasPrefix("fm1r_") || $0.hasPrefix("fm1a_") || $0.hasPrefix("fm2_") }
        if macaroons.isEmpty {
            scheme = .bearer
            tokens = all
        } else {
            scheme = .flyV1
            tokens = macaroons
        }
        authorizationHeader = "\(scheme.rawValue) \(tokens.joined(separator: ","))"
    }

    /// Loads the token from `source`, reading `environment` (never the process's own).
    package static func load(from source: Source, environment: [String: String]) throws(FlyAPIError) -> FlyCredentials {
        switch source {
        case .environment:
            guard let token = environment["FLY_API_TOKEN"], !token.isEmpty else {
                throw .configuration("no Fly API token: set FLY_API_TOKEN or give a token file")
            }
            return try FlyCredentials(token: token)
        case .file(let path):
            return try FlyCredentials(token: readTokenFile(path))
        }
    }

    /// The `Authorization` header value. Put it in the request and nowhere else.
    package let authorizationHeader: String

    /// True when `text` contains any of the tokens (to scrub text that came from elsewhere).
    package func appears(in text: String) -> Bool {
        tokens.contains { text.contains($0) }
    }

    /// `FlyCredentials(FlyV1, 1 token, redacted)`.
    package var description: String {
        "FlyCredentials(\(scheme.rawValue), \(tokens.count) token\(tokens.count == 1 ? "" : "s"), redacted)"
    }

    /// Same as `description`: the token stays out of debug output too.
    package var debugDescription: String { description }

    private static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r"
    }

    /// Reads a token file that only its owner, the daemon's user or root, can read (at most 64 KiB).
    private static func readTokenFile(_ path: String) throws(FlyAPIError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .configuration("cannot open the token file \(path) (errno \(errno))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .configuration("cannot stat the token file \(path)") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .configuration("the token file \(path) is not a regular file") }
        // Whoever owns the file can chmod it, and so read the token or put their own in its place.
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            throw .configuration(
                "the token file \(path) is owned by uid \(info.st_uid), not by the daemon's uid \(geteuid()) or root; chown it")
        }
        guard info.st_mode & 0o077 == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw .configuration(
                "the token file \(path) is readable by group or others (mode \(mode)); chmod 600 it")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 65536 {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .configuration("cannot read the token file \(path)")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard bytes.count <= 65536 else { throw .configuration("the token file \(path) is larger than 64 KiB") }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension FlyCredentials: CustomReflectable {
    /// The scheme and the count only: `dump` and other reflection never reach the tokens or
    /// the header made of them.
    package var customMirror: Mirror {
        Mirror(self, children: ["scheme": scheme.rawValue, "tokenCount": tokenCount], displayStyle: .struct)
    }
}
