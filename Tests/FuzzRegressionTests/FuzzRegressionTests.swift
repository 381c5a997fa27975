import FlyGateFuzzing
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
}
