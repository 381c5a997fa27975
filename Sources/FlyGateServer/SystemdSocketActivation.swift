/// systemd socket activation: the listening socket systemd passes as fd 3.
package enum SystemdSocketActivation {
    /// The first descriptor systemd passes (`SD_LISTEN_FDS_START`).
    package static let firstDescriptor: Int32 = 3

    /// The inherited listening descriptor, when `environment` says systemd passed one to
    /// process `processID` (`LISTEN_PID` matches and `LISTEN_FDS` is at least 1); else `nil`.
    package static func listeningDescriptor(environment: [String: String], processID: Int32) -> Int32? {
        guard let pid = environment["LISTEN_PID"].flatMap({ Int32($0) }), pid == processID,
            let count = environment["LISTEN_FDS"].flatMap({ Int($0) }), count >= 1
        else {
            return nil
        }
        return Self.firstDescriptor
    }
}
