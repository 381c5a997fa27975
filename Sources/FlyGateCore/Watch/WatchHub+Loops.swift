import FlyGateWire
import FlyMachinesProto

extension WatchHub {
    /// The settled states Fly's `wait` takes; a machine loop waits for any but the current one.
    static let settledStates = ["started", "stopped", "suspended", "failed", "destroyed"]
    /// How long a loop's single reads (Show, ListEvents, List) may take.
    static let readTimeout = Duration.seconds(15)

    /// Watches one machine until it is gone or the loop is cancelled.
    func runMachineLoop(app: String, id: String, feed: WatchFeed<PendingMachineUpdate>) async {
        var log = EventLog()
        var last: Flygate_Machines_V1_Machine?
        var followUps: ArraySlice<Duration> = []
        var failures = 0
        while !Task.isCancelled {
            let machine: Flygate_Machines_V1_Machine
            do {
                machine = try await upstream.show(.with { ($0.appName, $0.machineID) = (app, id) }, options: .init(timeout: Self.readTimeout)).body
                // Fly lists a machine's latest events, 50 at the most: more than that between two
                // reads would be missed (after a mutation the loop reads every few hundred ms).
                let listed = try await upstream.listEvents(
                    .with { ($0.appName, $0.machineID, $0.limit) = (app, id, 50) }, options: .init(timeout: Self.readTimeout)
                ).body
                let fresh = log.add(listed)
                let gone = machine.state == "destroyed"
                if last.map({ Self.differs($0, machine) }) ?? true || !fresh.isEmpty || gone {
                    feed.publish(
                        [.init(machine: machine, events: fresh, gone: gone)],
                        replay: [.init(machine: machine, events: log.recent, gone: gone)])
                }
                last = machine
                failures = 0
                if gone { return }
            } catch {
                guard !Task.isCancelled else { return }
                if Self.code(of: error) == .notFound {
                    var vanished = last ?? Flygate_Machines_V1_Machine()
                    vanished.id = id
                    feed.publish([.init(machine: vanished, events: [], gone: true)], replay: [.init(machine: vanished, events: [], gone: true)])
                    return
                }
                failures += 1
                logger.debug("Machine watch read failed", metadata: ["watch.app": "\(app)", "watch.machine": "\(id)", "error": "\(error)"])
                if await feed.wake.race({ [delay = retryPause(failures)] in try? await Task.sleep(for: delay) }) {
                    followUps = configuration.followUps[...]
                }
                continue
            }
            let pause = followUps.popFirst()
            let newestID = log.newestID
            let rang = await feed.wake.race { [self] in
                if let pause {
                    try? await Task.sleep(for: pause)
                } else {
                    await self.waitForChange(app: app, machine: machine, after: newestID)
                }
            }
            if rang { followUps = configuration.followUps[...] }
        }
    }

    /// Long-polls `wait` for any settled state but `machine`'s, for at most the poll interval.
    private func waitForChange(app: String, machine: Flygate_Machines_V1_Machine, after eventID: String?) async {
        let seconds = max(1, min(60, Int64(configuration.pollInterval.components.seconds)))
        var request = Flygate_Machines_V1_WaitRequest()
        (request.appName, request.machineID, request.timeout) = (app, machine.id, seconds)
        request.state = Self.settledStates.filter { $0 != machine.state }
        if !machine.instanceID.isEmpty { request.version = machine.instanceID }
        if let eventID { request.fromEventID = eventID }
        do {
            _ = try await upstream.wait(request, options: .init(timeout: .seconds(seconds + 10)))
        } catch {
            // A timeout means nothing settled; anything else (a replaced version, a refusal)
            // must not turn the loop into a busy one: wait out the interval.
            guard !Task.isCancelled, Self.code(of: error) != .deadlineExceeded else { return }
            try? await Task.sleep(for: configuration.pollInterval)
        }
    }

    /// Watches an app's machines until the loop is cancelled or the app is gone.
    func runAppLoop(app: String, region: String, state: String, feed: WatchFeed<PendingAppUpdates>) async {
        var known: [String: Flygate_Machines_V1_Machine]?
        var followUps: ArraySlice<Duration> = []
        var failures = 0
        while !Task.isCancelled {
            var pause = followUps.popFirst() ?? configuration.pollInterval
            do {
                var request = Flygate_Machines_V1_ListRequest()
                request.appName = app
                if !region.isEmpty { request.region = region }
                if !state.isEmpty { request.state = state }
                let machines = try await upstream.list(request, options: .init(timeout: Self.readTimeout)).body
                let now = Dictionary(machines.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                var changes: [PendingAppUpdates.Change] = []
                for machine in machines {
                    switch known?[machine.id] {
                    case nil: changes.append(.init(kind: .added, machine: machine))
                    case let before? where Self.differs(before, machine): changes.append(.init(kind: .changed, machine: machine))
                    default: break
                    }
                }
                for (id, before) in known ?? [:] where now[id] == nil {
                    changes.append(.init(kind: .removed, machine: before))
                }
                if known == nil || !changes.isEmpty {
                    feed.publish(changes, replay: machines.map { .init(kind: .added, machine: $0) })
                }
                known = now
                failures = 0
            } catch {
                guard !Task.isCancelled else { return }
                if Self.code(of: error) == .notFound { return }
                failures += 1
                logger.debug("App watch read failed", metadata: ["watch.app": "\(app)", "error": "\(error)"])
                pause = retryPause(failures)
            }
            if await feed.wake.race({ [pause] in try? await Task.sleep(for: pause) }) {
                followUps = configuration.followUps[...]
            }
        }
    }

    /// The pause after the `failures`-th failure in a row: the retry delay, doubling, at most
    /// the poll interval.
    private func retryPause(_ failures: Int) -> Duration {
        let doubled = configuration.retryDelay * (1 << min(failures - 1, 16))
        return min(doubled, configuration.pollInterval)
    }

    /// True when a watcher should hear of the change from `before` to `after`.
    static func differs(_ before: Flygate_Machines_V1_Machine, _ after: Flygate_Machines_V1_Machine) -> Bool {
        before.state != after.state || before.instanceID != after.instanceID || before.updatedAt != after.updatedAt
            || before.region != after.region || before.name != after.name
    }

    static func code(of error: any Error) -> RPCStatusCode? {
        (error as? any RPCErrorConvertible)?.rpcError.code
    }
}

/// The events a machine loop has seen: their ids (so each reaches a watcher once) and the most
/// recent ones (for watchers that start from an event id).
struct EventLog {
    /// Most event ids remembered; Fly lists a machine's recent events only.
    static let maxIDs = 1024
    /// Most events kept for watchers joining later.
    static let maxRecent = PendingMachineUpdate.maxEvents

    private var ids: Set<String> = []
    private var order: [String] = []
    private(set) var recent: [Flygate_Machines_V1_MachineEvent] = []

    var newestID: String? { recent.last?.id }

    /// Notes `listed` (in Fly's order, newest first; a list that is plainly oldest first is
    /// taken as it is) and returns those not seen before, oldest first. Events of the same
    /// millisecond keep Fly's order: timestamps cannot order them.
    mutating func add(_ listed: [Flygate_Machines_V1_MachineEvent]) -> [Flygate_Machines_V1_MachineEvent] {
        let oldestFirst = listed.count > 1 && listed[0].timestamp < listed[listed.count - 1].timestamp
        let events = oldestFirst ? listed : listed.reversed()
        let fresh = events.filter { !$0.id.isEmpty && !ids.contains($0.id) }
        for event in fresh {
            ids.insert(event.id)
            order.append(event.id)
        }
        if order.count > Self.maxIDs {
            let excess = order.count - Self.maxIDs
            for id in order.prefix(excess) { ids.remove(id) }
            order.removeFirst(excess)
        }
        recent += fresh
        if recent.count > Self.maxRecent { recent.removeFirst(recent.count - Self.maxRecent) }
        return fresh
    }
}
