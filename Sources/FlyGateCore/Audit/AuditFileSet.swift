#if canImport(Glibc)
import Glibc
#endif

/// The files of one audit log: rotated files `<path>.<last seq, 12 digits>` in chain order,
/// then the active file `<path>`.
package enum AuditFileSet {
    /// The name a file gets when it is rotated after record `lastSeq`.
    package static func rotatedName(of path: String, lastSeq: UInt64) -> String {
        path + "." + AuditTime.pad(lastSeq, 12)
    }

    /// The rotated files of the log at `path`, oldest first.
    package static func rotatedFiles(of path: String) -> [String] {
        let directory = AuditFile.directory(of: path)
        let base = String(path.split(separator: "/").last ?? "")
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var found: [(UInt64, String)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let number = rotationNumber(name, base: base) {
                found.append((number, directory == "." && !path.hasPrefix("./") ? name : directory + "/" + name))
            }
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Every file of the log at `path` in chain order (the active file last, when it exists).
    package static func allFiles(of path: String) -> [String] {
        var files = rotatedFiles(of: path)
        if access(path, F_OK) == 0 { files.append(path) }
        return files
    }

    /// `files` in chain order: rotated files by their number, then files without one, as given.
    package static func ordered(_ files: [String]) -> [String] {
        let numbered = files.compactMap { file -> (UInt64, String)? in
            let name = String(file.split(separator: "/").last ?? "")
            guard let dot = name.lastIndex(of: ".") else { return nil }
            return rotationNumber(name, base: String(name[..<dot])).map { ($0, file) }
        }
        let numberedFiles = Set(numbered.map(\.1))
        return numbered.sorted { $0.0 < $1.0 }.map(\.1) + files.filter { !numberedFiles.contains($0) }
    }

    private static func rotationNumber(_ name: String, base: String) -> UInt64? {
        guard name.hasPrefix(base + "."), name.count == base.count + 13 else { return nil }
        let suffix = name.dropFirst(base.count + 1)
        guard suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber) else { return nil }
        return UInt64(suffix)
    }
}
