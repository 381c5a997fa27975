import Synchronization

/// Values that the interceptors and the handler of one call share, one per type: what an inner
/// stage learns (the upstream's answer, a cache hit) reaches the outer ones that record it, and
/// what the reply must carry (``ReplyDetails``) reaches the server.
///
/// Made per call and reached through ``CallContext/values``; a call has only a few values, so
/// they live in a small array, not a dictionary.
///
/// `public` and `@inlinable`, unlike the rest of the module, so that the other modules' calls
/// are specialized for the value's type: a `package` generic is not inlined across modules in
/// a release build (`@inlinable` or not), and unspecialized each lookup went through the
/// type's metadata and a dynamic cast, ~1,000 instructions (docs/performance.md, seventh round).
public final class CallValues: Sendable {
    @usableFromInline let storage = Mutex<[(key: ObjectIdentifier, value: any Sendable)]>([])

    /// An empty set of values.
    public init() {}

    /// The value of type `Value`, or nil when none was set.
    @inlinable public subscript<Value: Sendable>(_ type: Value.Type) -> Value? {
        get {
            let key = ObjectIdentifier(type)
            return self.storage.withLock { storage in storage.first { $0.key == key }?.value as? Value }
        }
        set {
            let key = ObjectIdentifier(type)
            self.storage.withLock { storage in
                storage.removeAll { $0.key == key }
                if let newValue { storage.append((key, newValue)) }
            }
        }
    }

    /// The value of type `Value`, made by `make` and kept when there is none yet.
    @inlinable public func value<Value: Sendable>(_ type: Value.Type, orInsert make: () -> Value) -> Value {
        let key = ObjectIdentifier(type)
        return self.storage.withLock { storage in
            if let existing = storage.first(where: { $0.key == key })?.value as? Value { return existing }
            let value = make()
            storage.append((key, value))
            return value
        }
    }
}

/// What a successful reply carries besides its payload. ttrpc Responses have no metadata, so a
/// detail travels as a code-0 status (docs/wire.md).
package struct ReplyDetails: Sendable {
    /// How old the answer is when it came from a cache.
    package var cacheAge: Duration?

    /// Details from their parts.
    package init(cacheAge: Duration? = nil) {
        self.cacheAge = cacheAge
    }
}
