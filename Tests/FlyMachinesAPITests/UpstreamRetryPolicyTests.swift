import FlyMachinesAPI
import FlyMachinesProto
import Testing

@Suite("UpstreamRetryPolicy and Retry-After: pure rules")
struct UpstreamRetryPolicyTests {
    @Test("which outcomes may be retried for which rpcs")
    func rules() {
        typealias P = UpstreamRetryPolicy
        for rpc in MachinesRPC.allCases {
            let replayable = !rpc.traits.mutates || rpc == .releaseLease
            #expect(P.isRetryable(rpc, after: .notSent))
            #expect(P.isRetryable(rpc, after: .status(429, retryAfter: nil)))
            #expect(P.isRetryable(rpc, after: .ambiguous) == replayable)
            for status in [502, 503, 504] { #expect(P.isRetryable(rpc, after: .status(status, retryAfter: nil)) == replayable) }
            for status in [400, 401, 404, 408, 409, 412, 422, 500, 501] {
                #expect(!P.isRetryable(rpc, after: .status(status, retryAfter: nil)))
            }
        }
        #expect(!P.isRetryable(.create, after: .status(503, retryAfter: nil)))
        #expect(P.isRetryable(.releaseLease, after: .status(503, retryAfter: nil)))
    }

    @Test("backoff doubles with jitter up to the cap; Retry-After wins for 429; the budget ends retries")
    func delays() {
        let policy = UpstreamRetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(300))
        #expect(policy.backoff(attempt: 1, random: { $0.upperBound }) == .milliseconds(100))
        #expect(policy.backoff(attempt: 2, random: { $0.upperBound }) == .milliseconds(200))
        #expect(policy.backoff(attempt: 3, random: { $0.upperBound }) == .milliseconds(300))
        #expect(policy.backoff(attempt: 9, random: { $0.lowerBound }) == .milliseconds(150))
        #expect(policy.delay(for: .start, after: .status(429, retryAfter: .seconds(7)), attempt: 1) == .seconds(7))
        #expect(policy.delay(for: .show, after: .ambiguous, attempt: 3) != nil)
        #expect(policy.delay(for: .show, after: .ambiguous, attempt: 4) == nil)
        #expect(policy.delay(for: .start, after: .ambiguous, attempt: 1) == nil)
    }

    @Test("Retry-After as seconds or an HTTP date")
    func retryAfter() {
        #expect(RetryAfter.parse("1") == .seconds(1))
        #expect(RetryAfter.parse("0") == .zero)
        #expect(RetryAfter.parse("soon") == nil)
        #expect(RetryAfter.parse("-3") == nil)
        #expect(RetryAfter.parseIMFFixdate("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:40 GMT", nowUnixSeconds: 784_111_777) == .seconds(3))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:30 GMT", nowUnixSeconds: 784_111_777) == .zero)
        #expect(RetryAfter.parseIMFFixdate("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
    }
}
