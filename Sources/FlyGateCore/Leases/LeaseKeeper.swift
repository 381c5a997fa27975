import FlyGateWire
import FlyMachinesProto
import Logging

/// Does the lease book's upstream work: refreshes renewing leases at about a third of their
/// TTL, and releases leases whose holders are gone, each under a fresh deadline with a small
/// retry budget. Runs in the daemon's `run()`; every task it starts is a child of it.
///
/// Its calls go through the daemon's interceptors and pipeline like a peer's (``DaemonCaller``),
/// marked as the daemon's own and naming the lease's holder.
package struct LeaseKeeper: Sendable {
    /// How hard the keeper tries.
    package struct Configuration: Sendable {
        /// Attempts per release ("lease not found" counts as released).
        package var releaseAttempts: Int
        /// The fresh deadline of each release attempt.
        package var releaseTimeout: Duration
        /// The pause after a failed release attempt (times the attempt number).
        package var releaseBackoff: Duration
        /// The longest wait for one refresh.
        package var refreshTimeout: Duration
        /// The shortest time between refreshes, whatever the TTL.
        package var minimumRefreshInterval: Duration

        /// Every field.
        package init(
            releaseAttempts: Int, releaseTimeout: Duration, releaseBackoff: Duration, refreshTimeout: Duration,
            minimumRefreshInterval: Duration
        ) {
            self.releaseAttempts = releaseAttempts
            self.releaseTimeout = releaseTimeout
            self.releaseBackoff = releaseBackoff
            self.refreshTimeout = refreshTimeout
            self.minimumRefreshInterval = minimumRefreshInterval
        }

        /// Three release attempts of 5 s each, 200 ms apart and more; refreshes of at most 10 s,
        /// never more often than every 500 ms.
        package static var defaults: Configuration {
            Configuration(
                releaseAttempts: 3, releaseTimeout: .seconds(5), releaseBackoff: .milliseconds(200),
                refreshTimeout: .seconds(10), minimumRefreshInterval: .milliseconds(500))
        }
    }

    let book: LeaseBook
    let caller: DaemonCaller
    let configuration: Configuration
    let logger: Logger

    /// A keeper doing `book`'s work through `caller`.
    package init(book: LeaseBook, caller: DaemonCaller, configuration: Configuration = .defaults, logger: Logger) {
        self.book = book
        self.caller = caller
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs the book's work until its stream ends (``LeaseBook/shutDown()``); then stops the
    /// renewals and waits for every release to finish.
    package func run() async {
        await withDiscardingTaskGroup { releases in
            await withDiscardingTaskGroup { renewals in
                for await work in book.work {
                    switch work {
                    case .renew(let key, let nonce, let holder):
                        renewals.addTask { await renew(key, nonce: nonce, holder: holder) }
                    case .release(let records):
                        for record in records {
                            releases.addTask { await release(record) }
                        }
                    }
                }
                renewals.cancelAll()
            }
        }
    }

    /// Refreshes the lease every third of its TTL until the book says stop (or cancellation).
    func renew(_ key: LeaseKey, nonce: String, holder: LeaseHolder) async {
        while case .refresh(let ttl, _) = book.renewal(key, nonce: nonce) {
            let interval = max(Duration.seconds(ttl) / 3, configuration.minimumRefreshInterval)
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            guard case .refresh(let ttl, let description) = book.renewal(key, nonce: nonce) else { return }
            var request = Flygate_Machines_V1_CreateLeaseRequest()
            request.appName = key.app
            request.machineID = key.machine
            request.leaseNonce = nonce
            request.body.ttl = ttl
            if !description.isEmpty { request.body.description_p = description }
            do {
                let deadline = ContinuousClock.now + min(interval, configuration.refreshTimeout)
                let initiated = DaemonInitiated(reason: "lease renewal", onBehalfOf: holder)
                let lease = try await caller.call(request, deadline: deadline, initiated: initiated).body
                guard lease.nonce.isEmpty || lease.nonce == nonce else {
                    // Fly handed out a different lease: ours is gone, and we must not adopt a nonce
                    // its holder never saw.
                    fail(key, nonce: nonce, "the refresh returned a different nonce; no longer renewing")
                    return
                }
                // The lease stage booked the new expiry on the way back.
                logger.debug("lease refreshed", metadata: ["flygate.lease.machine": "\(key)"])
            } catch {
                if Task.isCancelled { return }
                let status = RPCError(converting: error)
                fail(key, nonce: nonce, "refresh failed: \(status.code.name): \(status.message)")
                if status.code == .notFound {
                    // "lease not found": it lapsed; nothing is left to renew or release.
                    book.released(key, nonce: nonce)
                    return
                }
            }
        }
    }

    private func fail(_ key: LeaseKey, nonce: String, _ message: String) {
        book.refreshFailed(key, nonce: nonce, message: message)
        logger.warning(
            "lease refresh failed",
            metadata: ["flygate.lease.machine": "\(key)", "flygate.lease.nonce_prefix": "\(LeaseRecord.prefix(of: nonce))", "error": "\(message)"])
    }

    /// Releases one lease: a few attempts, each under a fresh deadline. NOT_FOUND ("lease not
    /// found", or the machine is gone) and FAILED_PRECONDITION (someone else holds it now) mean
    /// ours is gone already.
    func release(_ record: LeaseRecord) async {
        var request = Flygate_Machines_V1_ReleaseLeaseRequest()
        request.appName = record.app
        request.machineID = record.machine
        request.leaseNonce = record.nonce
        var lastMessage = ""
        for attempt in 1...max(1, configuration.releaseAttempts) {
            do {
                let initiated = DaemonInitiated(reason: "lease release", onBehalfOf: record.holder)
                _ = try await caller.call(request, deadline: ContinuousClock.now + configuration.releaseTimeout, initiated: initiated)
                book.released(record.key, nonce: record.nonce)
                logger.info("lease released", metadata: LeaseBook.metadata(record))
                return
            } catch {
                let status = RPCError(converting: error)
                if status.code == .notFound || status.code == .failedPrecondition {
                    book.released(record.key, nonce: record.nonce)
                    logger.info("lease already gone upstream", metadata: LeaseBook.metadata(record))
                    return
                }
                lastMessage = "release failed: \(status.code.name): \(status.message)"
            }
            if attempt < configuration.releaseAttempts {
                try? await Task.sleep(for: configuration.releaseBackoff * attempt)
            }
        }
        book.releaseFailed(record.key, nonce: record.nonce, message: lastMessage)
        var metadata = LeaseBook.metadata(record)
        metadata["error"] = "\(lastMessage)"
        logger.error("cannot release a lease; it lapses at its expiry", metadata: metadata)
    }
}
