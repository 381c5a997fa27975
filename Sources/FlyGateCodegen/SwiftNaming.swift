/// The Swift names protoc-gen-swift gives proto messages and fields (its NamingUtils rules,
/// for the identifiers Fly's schemas use).
enum SwiftNaming {
    private static let abbreviations: Set<String> = ["url", "http", "https", "id"]
    /// Field names protoc-gen-swift suffixes with `_p`.
    private static let reservedFieldNames: Set<String> = [
        "description", "debugDescription", "dynamicType", "hashValue", "init", "self", "isInitialized", "unknownFields",
    ]
    /// Swift keywords, which protoc-gen-swift quotes with backticks as property names.
    private static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "inout", "internal",
        "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as",
        "await", "false", "is", "nil", "super", "throws", "true", "try",
    ]

    /// `flygate.machines.v1` + `Machine` -> `Flygate_Machines_V1_Machine`.
    static func typeName(package: String, message: String) -> String {
        package.split(separator: ".").map { camel(String($0), initialUpper: true) }.joined(separator: "_") + "_" + message
    }

    /// The property name of a field: `machine_id` -> `machineID`, `description` -> `description_p`,
    /// `has_fly_certificate` -> `hasFlyCertificate_p`.
    static func property(_ field: String) -> String {
        let name = camel(field, initialUpper: false)
        if needsSuffix(name) { return name + "_p" }
        if keywords.contains(name) { return "`\(name)`" }
        return name
    }

    /// The `has` accessor of an optional field: `machine_id` -> `hasMachineID`.
    static func hasAccessor(_ field: String) -> String {
        let base = camel(field, initialUpper: false)
        let suffix = needsSuffix(base) ? "_p" : ""
        return "has" + camel(field, initialUpper: true) + suffix
    }

    /// protoc-gen-swift suffixes `_p` to reserved names and to names that look like a `has` or
    /// `clear` accessor themselves (`hasFoo`, `clearFoo`).
    private static func needsSuffix(_ lowerCamel: String) -> Bool {
        func upper(at offset: Int) -> Bool {
            guard let scalar = lowerCamel.unicodeScalars.dropFirst(offset).first else { return false }
            return ("A"..."Z").contains(scalar)
        }
        return reservedFieldNames.contains(lowerCamel)
            || (lowerCamel.hasPrefix("has") && upper(at: 3))
            || (lowerCamel.hasPrefix("clear") && upper(at: 5))
    }

    /// A method name for an rpc: `CreateLease` -> `createLease`.
    static func method(_ rpc: String) -> String {
        rpc.prefix(1).lowercased() + rpc.dropFirst()
    }

    /// protoc-gen-swift's camel-casing: split on `_`, digits and case; known abbreviations
    /// upper-cased except as the first word of a lower-camel name.
    static func camel(_ text: String, initialUpper: Bool) -> String {
        enum CharacterClass { case digit, lower, upper, underscore, other }
        func characterClass(_ scalar: Unicode.Scalar) -> CharacterClass {
            switch scalar {
            case "0"..."9": .digit
            case "a"..."z": .lower
            case "A"..."Z": .upper
            case "_": .underscore
            default: .other
            }
        }
        var result = ""
        var current = ""
        var last = CharacterClass.other
        func flush() {
            guard !current.isEmpty else { return }
            if result.isEmpty && !initialUpper {
                result += current
            } else if abbreviations.contains(current) {
                result += current.uppercased()
            } else {
                result += current.prefix(1).uppercased() + current.dropFirst()
            }
            current = ""
        }
        for scalar in text.unicodeScalars {
            let kind = characterClass(scalar)
            switch kind {
            case .digit:
                if last != .digit { flush() }
                if result.isEmpty && current.isEmpty { result += "_" }
                current.unicodeScalars.append(scalar)
            case .upper:
                if last != .upper { flush() }
                current += String(scalar).lowercased()
            case .lower:
                if last != .lower && last != .upper { flush() }
                current.unicodeScalars.append(scalar)
            case .underscore:
                flush()
                if last == .underscore { result += "_" }
            case .other:
                flush()
                current.unicodeScalars.append(scalar)
            }
            last = kind
        }
        flush()
        if last == .underscore { result += "_" }
        return result
    }
}
