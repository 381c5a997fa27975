import FlyGateCore
import FlyGateTestSupport
import Foundation
import Testing

/// Google's protobuf in Python speaks to the Swift server: clients/python/tests/wire_check.py.
@Suite("cross-language wire check", .timeLimit(.minutes(1)))
struct CrossLanguageTests {
    /// The repository root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let script = repositoryRoot.appendingPathComponent("clients/python/tests/wire_check.py").path

    /// Runs `arguments` with the environment's PATH (for at most a minute); returns the exit
    /// status and combined output.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run("/usr/bin/env", arguments, timeout: .seconds(60))
    }

    /// python3 with `google.protobuf` and protoc are installed.
    static var toolsAvailable: Bool {
        get async {
            let python = try? await run(["python3", "-c", "import google.protobuf"])
            let protoc = try? await run(["protoc", "--version"])
            return python?.status == 0 && protoc?.status == 0
        }
    }

    @Test("a Python client built from proto/ with protoc gets OK, UNIMPLEMENTED and INVALID_ARGUMENT where due")
    func pythonWireCheck() async throws {
        guard await Self.toolsAvailable else {
            // Required in CI; on a developer machine without the tools, say so instead of failing.
            let ci = ProcessInfo.processInfo.environment["CI"] == "true"
            #expect(!ci, "CI=true but python3 with protobuf or protoc is missing")
            if !ci {
                print("skipping: install python3-protobuf (pip install protobuf) and protobuf-compiler to run this check")
            }
            return
        }
        try await withTestServer(router: TestService.router()) { path in
            let (status, output) = try await Self.run(["python3", Self.script, path])
            #expect(status == 0, "wire_check.py failed:\n\(output)")
            #expect(output.contains("all wire checks passed"))
        }
    }
}
