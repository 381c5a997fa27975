import FlyGateClient
import FlyGateCore
import FlyGateJSON
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The audit log of a real `flygate serve`, checked with the real `flygate audit` binary.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct AuditEndToEndTests {
    static let token = "fm2_e2eAuditTokenSECRET0123456789"
    static let envSecret = "env-value-SECRET-4711"
    static let stdinSecret = "stdin-SECRET-contents-0815"

    @Test("every rpc is audited with the right fields, and no token, nonce, env value or stdin reaches the log")
    func everyRPCIsAudited() async throws {
        try await DaemonProcess.withSimulator(token: Self.token) { daemon in
            let nonce = try await daemon.withClient { client in
                try await AuditDriver.callEveryRPC(client, app: "audit", envSecret: Self.envSecret, stdinSecret: Self.stdinSecret)
            }
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit() == 0)

            let path = daemon.stateDirectory + "/audit.log"
            let records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(records.first?["stage"] == "start" && records.last?["stage"] == "stop")
            for rpc in MachinesRPC.rpcs(of: MachinesRPC.machinesServiceName) {
                let mine = records.filter { $0["method"]?.stringValue == rpc.rawValue }
                let completed = mine.filter { $0["stage"] == "completed" }
                let received = mine.filter { $0["stage"] == "received" }
                #expect(!completed.isEmpty, "\(rpc) has no completed record")
                #expect(received.count == (rpc.traits.mutates ? completed.count : 0), "\(rpc): \(received.count) received, \(completed.count) completed")
                for record in received {
                    let answer = completed.first { $0["request_id"] == record["request_id"] }
                    #expect((answer?["seq"]?.int64Value ?? 0) > (record["seq"]?.int64Value ?? 0), "\(rpc): completed must follow received")
                }
                for record in mine {
                    #expect(record["peer"]?["pid"]?.int64Value == Int64(getpid()) && record["peer"]?["uid"]?.int64Value == Int64(getuid()))
                    #expect(record["peer"]?["exe"]?.stringValue?.isEmpty == false && record["payload_sha256"]?.stringValue?.count == 64)
                    if rpc != .listOrgMachines { #expect(record["app"] == "audit") }
                }
            }
            func completed(_ method: String) -> [JSONValue] { records.filter { $0["method"]?.stringValue == method && $0["stage"] == "completed" } }
            #expect(completed("Stop").first?["args"]?["signal"] == "SIGTERM" && completed("Stop").first?["args"]?["timeout"] == "5s")
            #expect(completed("Signal").first?["args"]?["signal"] == "SIGUSR1")
            #expect(completed("Wait").first?["args"]?["state"] == "started")
            #expect(completed("Exec").first?["args"]?["command"] == ["cat"])
            #expect(completed("Exec").first?["args"]?["stdin_sha256"]?.stringValue == AuditChain.digest(Array(Self.stdinSecret.utf8)))
            #expect(completed("UpdateMetadata").first?["args"]?["key"] == "role")
            #expect(completed("Create").first?["args"]?["region"] == "ord")
            #expect(completed("ReleaseLease").first?["lease_nonce_present"] == true)
            #expect(completed("Show").first?["outcome"]?["http_status"]?.int64Value == 200)
            #expect(completed("Show").first?["outcome"]?["fly_request_id"]?.stringValue?.isEmpty == false)

            let everything = try String(contentsOfFile: path, encoding: .utf8)
                + (try String(contentsOfFile: daemon.stateDirectory + "/audit.head", encoding: .utf8))
            for secret in [Self.token, "e2eAuditToken", nonce, Self.envSecret, Self.stdinSecret] {
                #expect(!everything.contains(secret), "the audit log holds a secret")
            }

            let verified = try await runCommand(DaemonProcess.binary, ["audit", "verify", path, "--head-file", daemon.stateDirectory + "/audit.head"])
            #expect(verified.status == 0, "\(verified.output)")
            let tail = try await runCommand(DaemonProcess.binary, ["audit", "tail", "-n", "3", path])
            #expect(tail.status == 0 && tail.output.contains("stop"), "\(tail.output)")
        }
    }

    @Test("a machine name full of escape codes is recorded and `audit tail` prints it escaped; the daemon's log stays clean")
    func hostileNamesPrintEscaped() async throws {
        let hostile = "\u{1b}]0;pwned\u{07}\u{1b}[2J\u{9b}31m\u{202e}evil\r\nforged"
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            try await daemon.withClient { client in
                let refused = await #expect(throws: RPCError.self) {
                    _ = try await client.stop(Machines.target(Flygate_Machines_V1_StopRequest.self, "audit", hostile))
                }
                #expect(refused?.code == .invalidArgument)
            }
            let path = daemon.stateDirectory + "/audit.log"
            for arguments in [["audit", "tail", "-n", "5", path], ["audit", "tail", "--json", "-n", "5", path]] {
                let tail = try await runCommand(DaemonProcess.binary, arguments)
                #expect(tail.status == 0, "\(tail.output)")
                for line in tail.output.split(separator: "\n") {
                    #expect(!line.unicodeScalars.contains(where: TerminalText.isUnsafe), "\(arguments): \(line.debugDescription)")
                }
                #expect(tail.output.split(separator: "\n").count >= 3, "\(tail.output)")
            }
            let tail = try await runCommand(DaemonProcess.binary, ["audit", "tail", "-n", "5", path])
            #expect(tail.output.contains(#"Stop audit/\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}evil\u{d}\u{a}forged"#), "\(tail.output)")
            #expect(tail.output.contains("INVALID_ARGUMENT"))
            #expect(!daemon.log.unicodeScalars.contains { $0 != "\n" && TerminalText.isUnsafe($0) }, "\(daemon.log.debugDescription)")
        }
    }

    @Test("verify catches an edited byte, a deleted line, swapped lines and a cut tail, at the right line")
    func verifyCatchesTampering() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            try await daemon.withClient { client in
                let id = try await client.create(Machines.create("tamper")).body.id
                for _ in 0..<4 { _ = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, "tamper", id)) }
            }
            daemon.signal(SIGTERM)
            _ = try await daemon.waitForExit()
            let original = try String(contentsOfFile: daemon.stateDirectory + "/audit.log", encoding: .utf8)
            let lines = original.split(separator: "\n").map(String.init)  // start, received, completed, 4 completed, stop
            #expect(lines.count == 8)

            func verify(_ name: String, _ text: String) async throws -> (status: Int32, output: String) {
                let copy = daemon.directory + "/" + name
                try text.write(toFile: copy, atomically: false, encoding: .utf8)
                return try await runCommand(DaemonProcess.binary, ["audit", "verify", copy])
            }
            var edited = lines
            edited[3] = edited[3].replacingOccurrences(of: "\"Show\"", with: "\"Shop\"")
            let edit = try await verify("edited", edited.joined(separator: "\n") + "\n")
            #expect(edit.status == 1 && edit.output.contains("edited:4 (seq 4)") && edit.output.contains("changed"), "\(edit.output)")

            var deleted = lines
            deleted.remove(at: 4)
            let delete = try await verify("deleted", deleted.joined(separator: "\n") + "\n")
            #expect(delete.status == 1 && delete.output.contains("deleted:5 (seq 6)") && delete.output.contains("removed"), "\(delete.output)")

            var swapped = lines
            swapped.swapAt(4, 5)
            let swap = try await verify("swapped", swapped.joined(separator: "\n") + "\n")
            #expect(swap.status == 1 && swap.output.contains("swapped:5 (seq 6)") && swap.output.contains("reordered"), "\(swap.output)")

            let cut = try await verify("cut", String(original.dropLast(20)))
            #expect(cut.status == 2 && cut.output.contains("cut:8: torn write"), "\(cut.output)")

            let intact = try await verify("intact", original)
            #expect(intact.status == 0, "\(intact.output)")
        }
    }

    @Test("SIGKILL in a burst leaves a log verify accepts up to a torn tail; the restarted daemon continues the chain")
    func killDuringABurst() async throws {
        let config = #"{"simulator": {"rate_limits": false}}"#
        try await DaemonProcess.with(config: config) { first in
            let path = first.stateDirectory + "/audit.log"
            try await first.withClient { client in
                let id = try await client.create(Machines.create("burst")).body.id
                _ = try await client.wait(Machines.wait("burst", id, state: "started"))
                // Eight callers until the kill: each stops at its first failure (the daemon gone),
                // when cancelled, or after 30 s at the most.
                await withTaskGroup(of: Void.self) { group in
                    for caller in 0..<8 {
                        group.addTask {
                            let deadline = Deadline(.seconds(30))
                            while deadline.allowsMore {
                                do {
                                    if caller % 2 == 0 {
                                        _ = try await client.cordon(Machines.target(Flygate_Machines_V1_CordonRequest.self, "burst", id))
                                    } else {
                                        _ = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, "burst", id))
                                    }
                                } catch {
                                    return
                                }
                            }
                        }
                    }
                    try? await Task.sleep(for: .milliseconds(400))
                    first.signal(SIGKILL)
                    #expect((try? await first.waitForExit()) == 128 + SIGKILL)
                    group.cancelAll()
                }
            }

            let afterKill = try await runCommand(DaemonProcess.binary, ["audit", "verify", path])
            #expect(afterKill.status == 0 || afterKill.status == 2, "\(afterKill.output)")
            let lastSeq = try #require(AuditVerifier.verify(files: [path]).head?.seq)
            #expect(lastSeq > 20)

            // The second daemon runs in the first one's folder, which the first one's scope removes last.
            try await DaemonProcess.with(config: config, directory: first.directory) { second in
                try await second.withClient { again in
                    _ = try await again.create(Machines.create("burst"))  // the built-in simulator forgot the old machine
                }
                second.signal(SIGTERM)
                _ = try await second.waitForExit()

                let verified = try await runCommand(DaemonProcess.binary, ["audit", "verify", path])
                #expect(verified.status == 0, "\(verified.output)")
                let records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
                let restart = try #require(records.firstIndex { $0["seq"]?.uint64Value == lastSeq + 1 })
                let stages = records[restart...].prefix(2).compactMap { $0["stage"]?.stringValue }
                #expect(stages == (afterKill.status == 2 ? ["recovered", "start"] : ["start", "received"]), "\(stages)")
            }
        }
    }

    @Test("rotation by size keeps verify passing across files, given in any order")
    func rotationKeepsTheChain() async throws {
        try await DaemonProcess.with(
            config: #"{"simulator": {"rate_limits": false}}"#, arguments: ["--audit-max-bytes", "4096"]) { daemon in
            try await daemon.withClient { client in
                let id = try await client.create(Machines.create("rotate")).body.id
                for _ in 0..<40 { _ = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, "rotate", id)) }
            }
            daemon.signal(SIGTERM)
            _ = try await daemon.waitForExit()
            let files = try FileManager.default.contentsOfDirectory(atPath: daemon.stateDirectory)
                .filter { $0.hasPrefix("audit.log") }.sorted().map { daemon.stateDirectory + "/" + $0 }
            #expect(files.count >= 4, "\(files)")
            let verified = try await runCommand(DaemonProcess.binary, ["audit", "verify"] + files)
            #expect(verified.status == 0 && verified.output.contains("in \(files.count) file(s)"), "\(verified.output)")
            let withoutOne = try await runCommand(DaemonProcess.binary, ["audit", "verify"] + files.filter { $0 != files[2] })
            #expect(withoutOne.status == 1, "\(withoutOne.output)")
        }
    }
}
