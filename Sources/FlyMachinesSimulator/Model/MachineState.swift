/// The states of FLY_API.md §8 that the simulator uses.
package enum MachineState: String, Sendable, CaseIterable {
    case created, starting, started, stopping, stopped, suspending, suspended
    case restarting, replacing, destroying, destroyed, failed

    /// A state the machine only passes through.
    package var isTransient: Bool {
        switch self {
        case .starting, .stopping, .suspending, .restarting, .replacing, .destroying: true
        default: false
        }
    }

    /// The machine is running, or on its way up: it must be stopped (or forced) before a delete.
    package var isRunning: Bool {
        switch self {
        case .starting, .started, .restarting, .replacing, .stopping, .suspending: true
        default: false
        }
    }
}
