import FlyGateWire
import Testing

@Suite("socket path rule")
struct SocketPathTests {
    @Test(
        "the default path follows DESIGN.md's order",
        arguments: [
            (["FLYGATE_SOCKET": "/srv/fg.sock", "XDG_RUNTIME_DIR": "/run/user/1000"], UInt32(1000), "/srv/fg.sock"),
            (["XDG_RUNTIME_DIR": "/run/user/1000"], UInt32(1000), "/run/user/1000/flygate/flygate.sock"),
            (["XDG_RUNTIME_DIR": "/run/user/1000/"], UInt32(1000), "/run/user/1000/flygate/flygate.sock"),
            (["FLYGATE_SOCKET": "", "XDG_RUNTIME_DIR": ""], UInt32(0), "/run/flygate/flygate.sock"),
            ([:], UInt32(0), "/run/flygate/flygate.sock"),
            ([:], UInt32(1000), "/tmp/flygate-1000/flygate.sock"),
        ]
    )
    func defaultPath(environment: [String: String], userID: UInt32, expected: String) {
        #expect(SocketPath.default(environment: environment, userID: userID) == expected)
    }

    @Test("paths up to 107 bytes are accepted; longer ones are refused with a clear message")
    func lengthLimit() throws {
        let fits = "/" + String(repeating: "a", count: 106)
        try SocketPath.validate(fits)
        let tooLong = fits + "b"
        let error = #expect(throws: RPCError.self) {
            try SocketPath.validate(tooLong)
        }
        #expect(error?.message.contains("108 bytes") == true)
        #expect(error?.message.contains("107") == true)
        #expect(throws: RPCError.self) { try SocketPath.validate("") }
    }
}
