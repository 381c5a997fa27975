import ArgumentParser

/// `KEY=VALUE` as given to `--env`, `--metadata` and `metadata patch --set`.
package struct KeyValueArgument: ExpressibleByArgument, Sendable, Equatable {
    /// The part before the first `=`; never empty.
    package var key: String
    /// The part after the first `=`; may be empty and may hold more `=`.
    package var value: String

    /// Parses `KEY=VALUE`; nil for no `=` or an empty key.
    package init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        key = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }

    /// What `--help` shows for the value.
    package static var defaultValueDescription: String { "KEY=VALUE" }

    /// The pairs as a dictionary; a later key wins.
    package static func dictionary(_ pairs: [KeyValueArgument]) -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs { result[pair.key] = pair.value }
        return result
    }
}

/// Checks of the names a user types: apps, machine ids, metadata keys.
package enum ResourceName {
    /// Throws a usage error unless `value` is a plausible name for `what`: not empty, no `/`,
    /// `?`, `#`, `%`, blanks or control characters (they would change the REST path).
    package static func validate(_ value: String, as what: String) throws {
        if value.isEmpty {
            throw ValidationError("\(what) must not be empty")
        }
        if let bad = value.unicodeScalars.first(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || "/?#%".unicodeScalars.contains($0) }) {
            let shown = bad.value < 0x20 || bad.value == 0x7F ? "a control character" : "'\(bad)'"
            throw ValidationError("\(what) must not contain \(shown): \(TableFormatter.sanitized(value))")
        }
    }
}
