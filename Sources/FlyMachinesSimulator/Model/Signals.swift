/// Signal names and numbers as Fly accepts them.
package enum Signals {
    /// Names `SignalRequest` allows, with their Linux numbers.
    package static let numbers: [String: Int] = [
        "SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6, "SIGFPE": 8,
        "SIGKILL": 9, "SIGUSR1": 10, "SIGSEGV": 11, "SIGUSR2": 12, "SIGPIPE": 13, "SIGALRM": 14, "SIGTERM": 15,
    ]

    /// Names a stop or restart may use (`StopRequest.signal`, restart's `signal`).
    package static let stopSignals: Set<String> = ["SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGTERM"]

    /// The name for a signal number, if `SignalRequest` allows it.
    package static func name(forNumber number: Int) -> String? {
        numbers.first(where: { $0.value == number })?.key
    }
}
