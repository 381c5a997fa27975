import FlyGateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The harness every other test relies on to end: the bounded waits, the event-driven child
/// process and the test command's watchdog, each made to face what would otherwise hang.
@Suite(.timeLimit(.minutes(1)))
struct TestHarnessTests {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test("withTimeout cancels what runs past its limit and says what it was")
    func timeoutCancels() async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: TimeoutError.self) {
            try await withTimeout(.milliseconds(100), "a sleep of an hour") { try await Task.sleep(for: .seconds(3600)) }
        }
        #expect(error?.description.contains("a sleep of an hour") == true)
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test("eventually gives up after its limit with false, and stops at once when cancelled")
    func eventuallyIsBounded() async throws {
        #expect(try await eventually(within: .milliseconds(100)) { false } == false)
        let task = Task { try await eventually(within: .seconds(3600)) { false } }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }

    @Test("repeatBounded stops at its count, backs off after failures and stops when cancelled")
    func repeatIsBounded() async {
        #expect(await repeatBounded(count: 5, within: .seconds(60)) { (goOn: true, succeeded: true) } == 5)
        let started = ContinuousClock.now
        let rounds = await repeatBounded(count: 1_000_000, within: .milliseconds(200), backoff: .milliseconds(20)) {
            (goOn: true, succeeded: false)
        }
        // A body that fails at once backs off: about 10 rounds in 200 ms, not a million.
        #expect(rounds < 100 && ContinuousClock.now - started < .seconds(30))
    }

    @Test("a child's marker, its exit and all its output arrive as events; a marker it never prints fails when it exits")
    func childProcessEvents() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo ready; sleep 0.2; echo done; exit 3"])
        #expect(try await child.waitForOutput(containing: "ready", timeout: .seconds(20)).contains("ready"))
        #expect(try await child.waitForExit(timeout: .seconds(20)) == 3)

        let quiet = try ChildProcess("/bin/sh", ["-c", "echo something else"])
        await #expect(throws: ChildProcessError.self) { try await quiet.waitForOutput(containing: "never", timeout: .seconds(20)) }

        let (status, output) = try await ChildProcess.run("/bin/sh", ["-c", "for i in 1 2 3; do echo line $i; done"])
        #expect(status == 0 && output == "line 1\nline 2\nline 3\n")
    }

    @Test("a child reads its given input whole; one that ends without reading it neither blocks nor breaks the test")
    func childProcessInput() async throws {
        let text = "line one\nline two, no newline at the end"
        let echoed = try await ChildProcess.run("/bin/cat", [], input: Data(text.utf8))
        #expect(echoed.status == 0 && echoed.output == text)
        // More than a pipe holds (64 KiB), to a child that never reads it.
        let ignored = try await ChildProcess.run("/bin/sh", ["-c", "exit 5"], input: Data(repeating: 0x61, count: 1 << 20))
        #expect(ignored.status == 5)
        let none = try await ChildProcess.run("/bin/cat", [])
        #expect(none.status == 0 && none.output.isEmpty)
    }

    @Test("a wait on a child that hangs times out, and kill ends it")
    func childProcessTimeout() async throws {
        let child = try ChildProcess("/bin/sleep", ["3600"])
        await #expect(throws: ChildProcessError.self) { _ = try await child.waitForExit(timeout: .milliseconds(200)) }
        #expect(child.isRunning)
        await child.kill()
        #expect(!child.isRunning)
        await #expect(throws: ChildProcessError.self) {
            _ = try await ChildProcess.run("/bin/sleep", ["3600"], timeout: .milliseconds(200))
        }
    }

    @Test(
        "the watchdog stops a hung suite, names the test still running and kills what it started, even in a new session",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setsid"), "needs setsid(1)"))
    func watchdogStopsAHang() async throws {
        let pidFile = NSTemporaryDirectory() + "watchdog-escapee-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        // A fake suite: one test passes, one hangs, and a process escapes into a session of its own.
        let suite = """
            echo '◇ Test fast() started.'
            echo '✔ Test fast() passed after 0.001 seconds.'
            echo '◇ Test "a test that hangs" started.'
            echo 'tests/test_a.py::test_done PASSED [ 50%]'
            printf 'tests/test_a.py::test_stuck '
            setsid sleep 3600 & echo $! > \(pidFile)
            sleep 3600
            """
        // SIGKILL 1 s after SIGTERM: a child of this process may have SIGTERM blocked.
        let (status, output) = try await ChildProcess.run(
            "/usr/bin/env", ["FLYGATE_WATCHDOG_KILL_AFTER=1", Self.root + "/scripts/watchdog", "2", "/bin/bash", "-c", suite],
            timeout: .seconds(50))
        #expect(status == 124, "\(output)")
        #expect(output.contains("ran past its limit of 2 s"), "\(output)")
        let named = output.components(separatedBy: "still running when it fired:").last ?? ""
        #expect(named.contains("\"a test that hangs\"") && !named.contains("fast()"), "\(output)")
        #expect(named.contains("tests/test_a.py::test_stuck") && !named.contains("test_done"), "\(output)")
        let escapee = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(output.contains("killing left-over process \(escapee)"), "\(output)")
        // Gone, or at most a zombie waiting for its reaper.
        let state = (try? String(contentsOfFile: "/proc/\(escapee)/stat", encoding: .utf8))?
            .split(separator: ")").last?.split(separator: " ").first
        #expect(state == nil || state == "Z", "the escaped process is still alive")
    }

    @Test("a suite that ends but leaves a process behind fails, and the process is killed")
    func watchdogFailsALeak() async throws {
        let (status, output) = try await ChildProcess.run(
            Self.root + "/scripts/watchdog", ["30", "/bin/bash", "-c", "setsid sleep 3600 & exit 0"], timeout: .seconds(50))
        #expect(status == 1, "\(output)")
        #expect(output.contains("left processes running"), "\(output)")
    }
}
