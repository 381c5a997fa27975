import FlyMachinesAPI
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("FlyCredentials: scheme, sources, redaction")
struct FlyCredentialsTests {
    static let cases: [(String, String)] = [
        ("abc123", "Bearer abc123"),
        ("Bearer abc123", "Bearer abc123"),
        ("bearer   abc123", "Bearer abc123"),
        ("FlyV1 fm2_aaa", "FlyV1 fm2_aaa"),
        ("flyv1 FlyV1 fm2_aaa", "FlyV1 fm2_aaa"),
        ("Bearer FlyV1 fm1r_x,fm1a_y", "FlyV1 fm1r_x,fm1a_y"),
        ("FlyV1 fm2_m, oauth-user-token", "FlyV1 fm2_m"),
        ("user1,user2", "Bearer user1,user2"),
        ("  fm2_lead\n", "FlyV1 fm2_lead"),
    ]

    @Test("the scheme is chosen as flyctl does", arguments: cases)
    func scheme(token: String, header: String) throws {
        #expect(try FlyCredentials(token: token).authorizationHeader == header)
    }

    @Test("empty tokens and header-breaking characters are refused")
    func refused() {
        for bad in ["", "Bearer ", "FlyV1  ,", "tok\u{7F}en"] {
            #expect(throws: FlyAPIError.self) { try FlyCredentials(token: bad) }
        }
    }

    @Test("FLY_API_TOKEN comes from the dictionary given, not the process environment")
    func environment() throws {
        let credentials = try FlyCredentials.load(from: .environment, environment: ["FLY_API_TOKEN": "fm2_env"])
        #expect(credentials.scheme == .flyV1)
        let missing = #expect(throws: FlyAPIError.self) { try FlyCredentials.load(from: .environment, environment: [:]) }
        #expect(missing?.message.contains("FLY_API_TOKEN") == true)
    }

    @Test("a token file is read when only its owner can read it, refused otherwise")
    func tokenFile() throws {
        let path = NSTemporaryDirectory() + "flygate-token-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "FlyV1 fm2_from_file\n".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let refused = #expect(throws: FlyAPIError.self) { try FlyCredentials.load(from: .file(path), environment: [:]) }
        #expect(refused?.message.contains("readable by group or others") == true)
        #expect(refused?.message.contains("fm2_from_file") == false)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let credentials = try FlyCredentials.load(from: .file(path), environment: ["FLY_API_TOKEN": "ignored"])
        #expect(credentials.authorizationHeader == "FlyV1 fm2_from_file")
        #expect(throws: FlyAPIError.self) { try FlyCredentials.load(from: .file(path + ".missing"), environment: [:]) }
    }

    @Test(
        "a token file owned by another uid is refused, naming it, though only its owner can read it",
        .enabled(if: geteuid() == 0, "needs root to chown"))
    func tokenFileOwner() throws {
        let path = NSTemporaryDirectory() + "flygate-token-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "FlyV1 fm2_from_file\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chmod(path, 0o600) == 0 && chown(path, 65534, 65534) == 0)
        let refused = #expect(throws: FlyAPIError.self) { try FlyCredentials.load(from: .file(path), environment: [:]) }
        #expect(refused?.message.contains("the token file \(path) is owned by uid 65534") == true, "\(refused?.message ?? "")")
        // Root's own file (the tests run as root: the daemon's uid and root at once) is read.
        #expect(chown(path, 0, 0) == 0)
        #expect(try FlyCredentials.load(from: .file(path), environment: [:]).authorizationHeader == "FlyV1 fm2_from_file")
    }

    @Test("descriptions and reflection never show the token")
    func redaction() throws {
        let credentials = try FlyCredentials(token: "fm2_top-secret,fm1r_also-secret")
        var dumped = ""
        dump(credentials, to: &dumped)
        // Also what holds the credentials: a dump walks into every stored property.
        dump(["credentials": credentials], to: &dumped)
        for text in [credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains("secret"), "\(text)")
        }
        #expect(dumped.contains("tokenCount: 2"))
        #expect(credentials.description == "FlyCredentials(FlyV1, 2 tokens, redacted)")
    }
}
