import FlyGateFuzzing
import FlyGateJSON
import FlyGateWire
import Foundation
import Testing

/// Every input in the corpus (seeds, what the fuzzer kept, and any crash it ever found)
/// runs through the fuzz entry point on every test run.
@Suite struct FuzzRegressionTests {
    static var corpus: [String] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.sorted().map { folder + "/" + $0 }
    }

    @Test func corpusIsNotEmpty() {
        #expect(Self.corpus.count >= 5)
    }

    @Test(.timeLimit(.minutes(1)))
    func corpusReplaysWithoutCrashing() throws {
        for file in Self.corpus {
            FuzzEntry.run(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        }
    }

    @Test("every corpus input that decodes round-trips: parse, serialize, parse gives the same value", .timeLimit(.minutes(1)))
    func corpusRoundTrips() throws {
        var decoded = 0
        var grpcHeads = 0
        for file in Self.corpus {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            let failures = FuzzEntry.roundTripFailures(bytes)
            #expect(failures.isEmpty, "corpus file \(URL(fileURLWithPath: file).lastPathComponent) does not round-trip: \(failures.prefix(5))")
            if (try? JSONValue(parsing: bytes)) != nil || (try? Ttrpc_Request(serializedBytes: bytes)) != nil { decoded += 1 }
            if FuzzEntry.parsesAsGRPCHead(bytes) { grpcHeads += 1 }
        }
        // The check has something to check: the seeds include JSON models, request envelopes
        // and gRPC request heads (every input also goes through the gRPC stream codec).
        #expect(decoded >= 3)
        #expect(grpcHeads >= 2)
    }
}
