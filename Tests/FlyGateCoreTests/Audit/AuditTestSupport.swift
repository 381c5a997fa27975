import FlyGateCore
import FlyGateJSON
import Foundation
import Logging

/// A logger that drops everything.
let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A small record body for log tests.
func auditFields(_ number: Int, padding: Int = 0) -> JSONObject {
    var fields = JSONObject()
    fields.append("method", .string("Cordon"))
    fields.append("n", .int(number))
    if padding > 0 { fields.append("pad", .string(String(repeating: "x", count: padding))) }
    return fields
}

/// Opens a log at `path`, appends `count` records and closes it.
func writeAuditLog(
    _ path: String, count: Int, maxBytes: Int = 1 << 20, maxRotatedFiles: Int = AuditLog.Configuration.defaultMaxRotatedFiles,
    padding: Int = 0
) async throws -> AuditLog {
    let log = try await AuditLog.open(
        configuration: AuditLog.Configuration(path: path, maxBytes: maxBytes, maxRotatedFiles: maxRotatedFiles),
        daemonVersion: "test", logger: quietLogger)
    for number in 0..<count {
        try await log.append(.completed, auditFields(number, padding: padding), durable: number % 3 == 0)
    }
    await log.close()
    return log
}

/// The lines of a file (without newlines).
func fileLines(_ path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return Array(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast(text.hasSuffix("\n") ? 1 : 0))
}

/// Parsed records of a file.
func fileRecords(_ path: String) throws -> [JSONValue] {
    try fileLines(path).map { try JSONValue(parsing: $0) }
}
