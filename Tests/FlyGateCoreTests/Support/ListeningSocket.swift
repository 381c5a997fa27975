import Foundation
import Glibc

/// A listening Unix socket bound at `path` by hand, as systemd hands one over or a crashed
/// daemon leaves one behind (bound, and never unlinked once closed); returns its descriptor.
func listeningUnixSocket(at path: String) throws -> Int32 {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EIO) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard bound == 0, listen(descriptor, 16) == 0 else {
        close(descriptor)
        throw POSIXError(.EADDRINUSE)
    }
    return descriptor
}
