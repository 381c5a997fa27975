/// An object's members written straight to compact JSON bytes as they are added: the bytes a
/// ``JSONObject`` with the same members would serialize to between its braces, without
/// building one.
///
/// The audit log writes a record per call; building it as a tree of ``JSONValue``s and then
/// serializing the tree cost more than hashing it (flygate-bench `--only callgrind`).
package struct JSONMembersWriter: Sendable {
    /// The members so far, `"key":value` separated by commas, with no braces.
    package private(set) var bytes: [UInt8] = []
    /// Whether strings escape every character a terminal acts on (``JSONValue/terminalSafeSerialized``).
    package let terminalSafe: Bool

    package init(terminalSafe: Bool) {
        self.terminalSafe = terminalSafe
        self.bytes.reserveCapacity(256)
    }

    /// The members of `object`, in order.
    package init(_ object: JSONObject, terminalSafe: Bool) {
        self.init(terminalSafe: terminalSafe)
        for member in object.members { self.append(member.key, member.value) }
    }

    package var isEmpty: Bool { self.bytes.isEmpty }

    package mutating func append(_ key: String, _ value: JSONValue) {
        self.key(key)
        value.write(into: &self.bytes, terminalSafe: self.terminalSafe)
    }

    package mutating func append(_ key: String, string value: String) {
        self.key(key)
        JSONValue.writeString(value, into: &self.bytes, terminalSafe: self.terminalSafe)
    }

    /// `value`, or `null` when it is nil.
    package mutating func append(_ key: String, string value: String?) {
        guard let value else { return self.append(key, .null) }
        self.append(key, string: value)
    }

    /// Two concrete forms rather than one generic one: the generic form, called from another
    /// module unspecialized, took ~850 instructions a number through `BinaryInteger`'s witnesses.
    package mutating func append(_ key: String, int value: Int) {
        self.append(key, negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    package mutating func append(_ key: String, int value: UInt64) {
        self.append(key, negative: false, magnitude: value)
    }

    /// The digits straight into the bytes (`String(value)` goes the standard library's generic way).
    private mutating func append(_ key: String, negative: Bool, magnitude: UInt64) {
        self.key(key)
        if negative { self.bytes.append(UInt8(ascii: "-")) }
        let start = self.bytes.count
        var rest = magnitude
        repeat {
            self.bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        self.bytes[start...].reverse()
    }

    package mutating func append(_ key: String, bool value: Bool) {
        self.key(key)
        self.bytes += (value ? "true" : "false").utf8
    }

    /// A member whose value is the object `members` holds.
    package mutating func append(_ key: String, object members: JSONMembersWriter) {
        self.key(key)
        self.bytes.append(UInt8(ascii: "{"))
        self.bytes += members.bytes
        self.bytes.append(UInt8(ascii: "}"))
    }

    /// The members of `other` after these.
    package mutating func append(contentsOf other: JSONMembersWriter) {
        guard !other.bytes.isEmpty else { return }
        if !self.bytes.isEmpty { self.bytes.append(UInt8(ascii: ",")) }
        self.bytes += other.bytes
    }

    /// The object: the members between braces.
    package var objectBytes: [UInt8] {
        var object: [UInt8] = []
        // Room for the braces, and for what the audit log adds after them (`,"hash":"…"}` and a newline).
        object.reserveCapacity(self.bytes.count + 80)
        object.append(UInt8(ascii: "{"))
        object += self.bytes
        object.append(UInt8(ascii: "}"))
        return object
    }

    private mutating func key(_ key: String) {
        if !self.bytes.isEmpty { self.bytes.append(UInt8(ascii: ",")) }
        JSONValue.writeString(key, into: &self.bytes, terminalSafe: self.terminalSafe)
        self.bytes.append(UInt8(ascii: ":"))
    }
}
