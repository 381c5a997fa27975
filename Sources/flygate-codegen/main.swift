import FlyGateCodegen
import Foundation

// flygate-codegen OPENAPI_JSON OUTPUT_ROOT
// Reads Fly's OpenAPI document (and OUTPUT_ROOT's field-number locks) and writes the generated
// contract files, the updated lock among them, below OUTPUT_ROOT.
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: flygate-codegen OPENAPI_JSON OUTPUT_ROOT\n".utf8))
    exit(2)
}
do {
    let input = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
    let root = URL(fileURLWithPath: arguments[2])
    // The committed field-number locks keep every field's number (absent: document order).
    var locks: [String: String] = [:]
    for path in Codegen.fieldNumbersPaths {
        locks[path] = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }
    let files = try Codegen.generate(openAPIDocument: Array(input), fieldNumbers: locks)
    for (path, text) in files.sorted(by: { $0.key < $1.key }) {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        print("wrote \(path)")
    }
} catch {
    FileHandle.standardError.write(Data("flygate-codegen: \(error)\n".utf8))
    exit(1)
}
