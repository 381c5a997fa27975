import FlyGateJSON

/// One named member of a model message: how to read it into the message and write it out.
package struct JSONField<Message>: Sendable {
    package let name: String
    let decodeInto: @Sendable (inout Message, JSONValue) -> Bool
    let encodeFrom: @Sendable (Message) -> JSONValue?
    let isExact: @Sendable (JSONValue) -> Bool

    /// - Parameters:
    ///   - get: the field's value, or nil when it is unset (or an empty list or map).
    ///   - set: stores a decoded value.
    package init<Value>(
        _ name: String,
        _ codec: JSONCodec<Value>,
        get: @escaping @Sendable (Message) -> Value?,
        set: @escaping @Sendable (inout Message, Value) -> Void
    ) {
        self.name = name
        self.decodeInto = { message, json in
            guard let value = codec.decode(json) else { return false }
            set(&message, value)
            return true
        }
        self.encodeFrom = { message in get(message).map(codec.encode) }
        self.isExact = codec.isExact
    }

    /// Reads `json` into its field of `message`; false when the member must also be kept as it
    /// came: the field cannot hold it, or holds it in another form (see ``JSONMappedMessage``).
    package func read(into message: inout Message, _ json: JSONValue) -> Bool {
        guard decodeInto(&message, json) else { return false }
        return isExact(json) || encodeFrom(message) == json
    }
}
