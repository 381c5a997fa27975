import FlyGateJSON
import FlyMachinesProto

#if canImport(Glibc)
import Glibc
#endif

extension ConfigurationLoader {
    /// Reads typed values out of the merged settings, naming field and source on error.
    struct Reader {
        let settings: [String: Setting]

        func error(_ field: String, _ message: String) -> ConfigurationError {
            ConfigurationError(field: field, source: settings[field]?.source ?? "defaults", message: message)
        }

        func check(_ field: String, _ condition: Bool, _ message: String) throws(ConfigurationError) {
            if !condition { throw error(field, message) }
        }

        mutating func string(_ field: String) throws(ConfigurationError) -> String? {
            guard let setting = settings[field] else { return nil }
            guard let text = setting.value.stringValue else { throw error(field, "expected a string, got \(setting.value.kindName)") }
            guard !text.isEmpty else { throw error(field, "must not be empty") }
            return text
        }

        mutating func int(_ field: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
            guard let setting = settings[field] else { return nil }
            let number: Int64? =
                switch setting.value {
                case .number: setting.value.int64Value
                case .string(let text): Int64(text)
                default: nil
                }
            guard let number, let value = Int(exactly: number), range.contains(value) else {
                throw error(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(setting.value.serialized)")
            }
            return value
        }

        mutating func bool(_ field: String) throws(ConfigurationError) -> Bool? {
            guard let setting = settings[field] else { return nil }
            switch setting.value {
            case .bool(let value): return value
            case .string("true"), .string("1"), .string("yes"): return true
            case .string("false"), .string("0"), .string("no"): return false
            default: throw error(field, "must be true or false, got \(setting.value.serialized)")
            }
        }

        /// `[{name, uids, gids, classes, apps}]`; uids and gids may be numbers or names.
        mutating func rules(_ field: String) throws(ConfigurationError) -> [AccessPolicy.Rule] {
            guard let setting = settings[field] else { return [] }
            guard let items = setting.value.arrayValue else { throw error(field, "must be a list of rules") }
            var rules: [AccessPolicy.Rule] = []
            for (index, item) in items.enumerated() {
                let at = "\(field)[\(index)]"
                guard let object = item.objectValue else { throw error(field, "\(at) must be an object") }
                for key in object.keys where !["name", "uids", "gids", "classes", "apps"].contains(key) {
                    throw error(field, "\(at).\(key) is not a rule field (name, uids, gids, classes, apps)")
                }
                let name = object["name"]?.stringValue ?? "rule \(index)"
                let uids = try ids(object["uids"], at: "\(at).uids", field: field, resolve: Self.userID(named:))
                let gids = try ids(object["gids"], at: "\(at).gids", field: field, resolve: Self.groupID(named:))
                guard !uids.isEmpty || !gids.isEmpty else { throw error(field, "\(at) names no uids or gids") }
                var classes: Set<MethodClass> = []
                for value in object["classes"]?.arrayValue ?? [] {
                    guard let text = value.stringValue, let methodClass = MethodClass(rawValue: text) else {
                        throw error(field, "\(at).classes: \(value.serialized) is not read, operate or admin")
                    }
                    classes.insert(methodClass)
                }
                guard !classes.isEmpty else { throw error(field, "\(at).classes must list read, operate and/or admin") }
                var apps: Set<String>?
                if let list = object["apps"] {
                    guard let names = list.arrayValue?.compactMap(\.stringValue), names.count == list.arrayValue?.count else {
                        throw error(field, "\(at).apps must be a list of app names")
                    }
                    apps = Set(names)
                }
                rules.append(AccessPolicy.Rule(name: name, uids: uids, gids: gids, classes: classes, apps: apps))
            }
            return rules
        }

        private func ids(
            _ value: JSONValue?,
            at: String,
            field: String,
            resolve: (String) -> UInt32?
        ) throws(ConfigurationError) -> Set<UInt32> {
            guard let value else { return [] }
            guard let items = value.arrayValue else { throw error(field, "\(at) must be a list") }
            var result: Set<UInt32> = []
            for item in items {
                if let number = item.int64Value, let id = UInt32(exactly: number) {
                    result.insert(id)
                } else if let name = item.stringValue, let id = resolve(name) {
                    result.insert(id)
                } else {
                    throw error(field, "\(at): \(item.serialized) is not a known id or name")
                }
            }
            return result
        }

        static func userID(named name: String) -> UInt32? {
            guard let entry = getpwnam(name) else { return nil }
            return entry.pointee.pw_uid
        }

        static func groupID(named name: String) -> UInt32? {
            guard let entry = getgrnam(name) else { return nil }
            return entry.pointee.gr_gid
        }
    }
}
