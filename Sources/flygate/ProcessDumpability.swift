#if canImport(Glibc)
import Glibc
#endif

/// Whether the kernel may write a core dump of the daemon (which would hold the Fly token) or
/// let another process of its uid read its memory through /proc or ptrace.
enum ProcessDumpability {
    /// `prctl(PR_SET_DUMPABLE, 0)`; false when it fails.
    ///
    /// `prctl` is variadic in C, which Swift does not import: it is called through its symbol,
    /// with every argument an integer, as the kernel's ABI takes them.
    static func disable() -> Bool {
        #if os(Linux)
        return prctl(setDumpable, 0) == 0 && prctl(getDumpable, 0) == 0
        #else
        return true
        #endif
    }

    #if os(Linux)
    // <linux/prctl.h>
    private static let getDumpable: Int32 = 3
    private static let setDumpable: Int32 = 4

    private typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

    private static func prctl(_ option: Int32, _ argument: UInt) -> Int32 {
        // RTLD_DEFAULT is the null handle on Linux.
        guard let symbol = dlsym(nil, "prctl") else { return -1 }
        return unsafeBitCast(symbol, to: Prctl.self)(option, argument, 0, 0, 0)
    }
    #endif
}
