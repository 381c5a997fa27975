/// A JSON object that keeps its members in the order they were written.
///
/// Lookups are linear: Fly's objects have tens of members at most, and keeping one array
/// makes copies cheap and order exact.
package struct JSONObject: Sendable, Equatable {
    package private(set) var members: [(key: String, value: JSONValue)]

    package init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    package var isEmpty: Bool { members.isEmpty }
    package var count: Int { members.count }
    package var keys: [String] { members.map(\.key) }

    /// The value of `key`; setting nil removes the member, setting a new key appends it.
    package subscript(key: String) -> JSONValue? {
        get { members.last(where: { $0.key == key })?.value }
        set {
            if let newValue {
                if let index = members.lastIndex(where: { $0.key == key }) {
                    members[index].value = newValue
                } else {
                    members.append((key, newValue))
                }
            } else {
                members.removeAll { $0.key == key }
            }
        }
    }

    package mutating func append(_ key: String, _ value: JSONValue) {
        members.append((key, value))
    }

    /// Equal as JSON objects: the same keys with equal values, in any order.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (key, value) in lhs.members {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }
}
