import Foundation

/// The documents in `../shared/` beside the repository, which the repository never copies.
package enum SharedDocuments {
    /// `$FLY_OPENAPI` when set (as `scripts/generate.sh` and the openapi suite read it), else
    /// `../shared/fly-machines-openapi.json`, beside the package root.
    package static let openAPIPath: String = {
        if let path = ProcessInfo.processInfo.environment["FLY_OPENAPI"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath)  // Tests/FlyGateTestSupport/SharedDocuments.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/fly-machines-openapi.json").path
    }()

    /// Whether the suites that need Fly's OpenAPI document run: when it is present, and always
    /// under CI (where a missing document must fail those suites, not skip them).
    package static var openAPIRequired: Bool {
        FileManager.default.fileExists(atPath: openAPIPath) || ProcessInfo.processInfo.environment["CI"] != nil
    }

    /// The document's bytes; a clear error when it is missing.
    package static func openAPI() throws -> Data {
        guard FileManager.default.fileExists(atPath: openAPIPath) else {
            throw MissingSharedDocument(path: openAPIPath)
        }
        return try Data(contentsOf: URL(fileURLWithPath: openAPIPath))
    }
}

/// A document from `../shared/` that a suite needs is not there.
package struct MissingSharedDocument: Error, CustomStringConvertible {
    package let path: String
    package var description: String { "\(path) is missing: the suites that check against it cannot run (set up ../shared beside the repository, or name the document in $FLY_OPENAPI)" }
}
