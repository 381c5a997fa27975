import Foundation
import SwiftProtobuf

extension SwiftProtobuf.Message {
    /// The message's protobuf binary encoding, byte for byte what `serializedBytes()` makes,
    /// in one traversal of the message.
    ///
    /// SwiftProtobuf sizes the whole message first, then, writing it, sizes each nested message
    /// again before its bytes (its length comes first), so a field at depth d is visited d + 1
    /// times: a machine's config, three levels down in a `ShowResponse`, is walked four times.
    /// This writes each nested message where its length goes, with one byte reserved for the
    /// length and the bytes moved along in the rare case that it needs more.
    package func singlePassSerializedBytes() throws -> [UInt8] {
        var visitor = SinglePassEncodingVisitor(counting: false)
        try self.traverse(visitor: &visitor)
        return visitor.bytes
    }

    /// The length of ``singlePassSerializedBytes()``, counted in one traversal without
    /// writing anything (the read cache's measure of an answer).
    package func singlePassSerializedSize() throws -> Int {
        var visitor = SinglePassEncodingVisitor(counting: true)
        try self.traverse(visitor: &visitor)
        return visitor.counted
    }

    /// ``singlePassSerializedBytes()`` as `Data`, what the ttrpc and gRPC layers carry.
    package func singlePassSerializedData() throws -> Data {
        Data(try singlePassSerializedBytes())
    }
}

/// Writes a message's fields as `traverse` visits them, in protobuf's binary wire format; or,
/// `counting`, only counts the bytes it would write.
struct SinglePassEncodingVisitor: SwiftProtobuf.Visitor {
    private(set) var bytes: [UInt8] = []
    /// Bytes counted instead of written.
    private(set) var counted = 0
    private let counting: Bool

    init(counting: Bool) {
        self.counting = counting
        if !counting { bytes.reserveCapacity(256) }
    }

    // MARK: The wire's pieces

    private enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    private mutating func putTag(_ fieldNumber: Int, _ wireType: WireType) {
        putVarint(UInt64(fieldNumber) << 3 | wireType.rawValue)
    }

    private mutating func putVarint(_ value: UInt64) {
        if counting {
            counted += Self.varintWidth(value)
            return
        }
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func putFixed32(_ value: UInt32) {
        if counting {
            counted += 4
            return
        }
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func putFixed64(_ value: UInt64) {
        if counting {
            counted += 8
            return
        }
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// The bytes a varint of `value` takes.
    private static func varintWidth(_ value: UInt64) -> Int {
        var width = 1
        while value >> (7 * width) != 0 && width < 10 { width += 1 }
        return width
    }

    private static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    private static func zigZag(_ value: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31)))
    }

    /// Writes what `body` writes as one length-delimited value: a byte is reserved for the
    /// length, and the body moved along when its length takes more than one.
    private mutating func putDelimited(_ body: (inout Self) throws -> Void) rethrows {
        if counting {
            let start = counted
            try body(&self)
            counted += Self.varintWidth(UInt64(counted - start))
            return
        }
        let lengthAt = bytes.count
        bytes.append(0)
        try body(&self)
        let length = bytes.count - lengthAt - 1
        if length < 0x80 {
            bytes[lengthAt] = UInt8(length)
            return
        }
        let width = Self.varintWidth(UInt64(length))
        bytes.insert(contentsOf: repeatElement(0, count: width - 1), at: lengthAt + 1)
        var rest = UInt64(length)
        for offset in 0..<width {
            bytes[lengthAt + offset] = UInt8(truncatingIfNeeded: rest) | (offset + 1 < width ? 0x80 : 0)
            rest >>= 7
        }
    }

    private mutating func putPacked<Element>(_ values: [Element], fieldNumber: Int, _ put: (inout Self, Element) -> Void) {
        putTag(fieldNumber, .lengthDelimited)
        putDelimited { visitor in
            for value in values { put(&visitor, value) }
        }
    }

    // MARK: Singular fields

    mutating func visitUnknown(bytes unknown: Data) throws {
        if counting {
            counted += unknown.count
        } else {
            bytes.append(contentsOf: unknown)
        }
    }

    mutating func visitSingularFloatField(value: Float, fieldNumber: Int) throws {
        putTag(fieldNumber, .fixed32)
        putFixed32(value.bitPattern)
    }

    mutating func visitSingularDoubleField(value: Double, fieldNumber: Int) throws {
        putTag(fieldNumber, .fixed64)
        putFixed64(value.bitPattern)
    }

    mutating func visitSingularInt32Field(value: Int32, fieldNumber: Int) throws {
        try visitSingularInt64Field(value: Int64(value), fieldNumber: fieldNumber)
    }

    mutating func visitSingularInt64Field(value: Int64, fieldNumber: Int) throws {
        try visitSingularUInt64Field(value: UInt64(bitPattern: value), fieldNumber: fieldNumber)
    }

    mutating func visitSingularUInt32Field(value: UInt32, fieldNumber: Int) throws {
        try visitSingularUInt64Field(value: UInt64(value), fieldNumber: fieldNumber)
    }

    mutating func visitSingularUInt64Field(value: UInt64, fieldNumber: Int) throws {
        putTag(fieldNumber, .varint)
        putVarint(value)
    }

    mutating func visitSingularSInt32Field(value: Int32, fieldNumber: Int) throws {
        try visitSingularUInt64Field(value: Self.zigZag(value), fieldNumber: fieldNumber)
    }

    mutating func visitSingularSInt64Field(value: Int64, fieldNumber: Int) throws {
        try visitSingularUInt64Field(value: Self.zigZag(value), fieldNumber: fieldNumber)
    }

    mutating func visitSingularFixed32Field(value: UInt32, fieldNumber: Int) throws {
        putTag(fieldNumber, .fixed32)
        putFixed32(value)
    }

    mutating func visitSingularFixed64Field(value: UInt64, fieldNumber: Int) throws {
        putTag(fieldNumber, .fixed64)
        putFixed64(value)
    }

    mutating func visitSingularSFixed32Field(value: Int32, fieldNumber: Int) throws {
        try visitSingularFixed32Field(value: UInt32(bitPattern: value), fieldNumber: fieldNumber)
    }

    mutating func visitSingularSFixed64Field(value: Int64, fieldNumber: Int) throws {
        try visitSingularFixed64Field(value: UInt64(bitPattern: value), fieldNumber: fieldNumber)
    }

    mutating func visitSingularBoolField(value: Bool, fieldNumber: Int) throws {
        try visitSingularUInt64Field(value: value ? 1 : 0, fieldNumber: fieldNumber)
    }

    mutating func visitSingularStringField(value: String, fieldNumber: Int) throws {
        putTag(fieldNumber, .lengthDelimited)
        if counting {
            let length = value.utf8.count
            counted += Self.varintWidth(UInt64(length)) + length
            return
        }
        var value = value
        value.withUTF8 { utf8 in
            putVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func visitSingularBytesField(value: Data, fieldNumber: Int) throws {
        putTag(fieldNumber, .lengthDelimited)
        putVarint(UInt64(value.count))
        if counting {
            counted += value.count
        } else {
            bytes.append(contentsOf: value)
        }
    }

    mutating func visitSingularEnumField<E: SwiftProtobuf.Enum>(value: E, fieldNumber: Int) throws {
        try visitSingularUInt64Field(value: UInt64(bitPattern: Int64(value.rawValue)), fieldNumber: fieldNumber)
    }

    mutating func visitSingularMessageField<M: SwiftProtobuf.Message>(value: M, fieldNumber: Int) throws {
        putTag(fieldNumber, .lengthDelimited)
        try putDelimited { visitor in try value.traverse(visitor: &visitor) }
    }

    mutating func visitSingularGroupField<G: SwiftProtobuf.Message>(value: G, fieldNumber: Int) throws {
        putTag(fieldNumber, .startGroup)
        try value.traverse(visitor: &self)
        putTag(fieldNumber, .endGroup)
    }

    // MARK: Packed fields (repeated ones are the visitor's defaults: the singular, once each)

    mutating func visitPackedFloatField(value: [Float], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putFixed32($1.bitPattern) }
    }

    mutating func visitPackedDoubleField(value: [Double], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putFixed64($1.bitPattern) }
    }

    mutating func visitPackedInt32Field(value: [Int32], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putVarint(UInt64(bitPattern: Int64($1))) }
    }

    mutating func visitPackedInt64Field(value: [Int64], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putVarint(UInt64(bitPattern: $1)) }
    }

    mutating func visitPackedUInt32Field(value: [UInt32], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putVarint(UInt64($1)) }
    }

    mutating func visitPackedUInt64Field(value: [UInt64], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putVarint($1) }
    }

    mutating func visitPackedSInt32Field(value: [Int32], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putVarint(Self.zigZag($1)) }
    }

    mutating func visitPackedSInt64Field(value: [Int64], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putVarint(Self.zigZag($1)) }
    }

    mutating func visitPackedFixed32Field(value: [UInt32], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putFixed32($1) }
    }

    mutating func visitPackedFixed64Field(value: [UInt64], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putFixed64($1) }
    }

    mutating func visitPackedSFixed32Field(value: [Int32], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putFixed32(UInt32(bitPattern: $1)) }
    }

    mutating func visitPackedSFixed64Field(value: [Int64], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putFixed64(UInt64(bitPattern: $1)) }
    }

    mutating func visitPackedBoolField(value: [Bool], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putVarint($1 ? 1 : 0) }
    }

    mutating func visitPackedEnumField<E: SwiftProtobuf.Enum>(value: [E], fieldNumber: Int) throws {
        putPacked(value, fieldNumber: fieldNumber) { $0.putVarint(UInt64(bitPattern: Int64($1.rawValue))) }
    }

    // MARK: Maps: each entry a message of key (1) and value (2), in the dictionary's order as SwiftProtobuf writes them

    mutating func visitMapField<KeyType, ValueType: MapValueType>(
        fieldType: _ProtobufMap<KeyType, ValueType>.Type,
        value: _ProtobufMap<KeyType, ValueType>.BaseType,
        fieldNumber: Int
    ) throws {
        try putMap(value, fieldNumber: fieldNumber, key: KeyType.self) { visitor, item in
            try ValueType.visitSingular(value: item, fieldNumber: 2, with: &visitor)
        }
    }

    mutating func visitMapField<KeyType, ValueType>(
        fieldType: _ProtobufEnumMap<KeyType, ValueType>.Type,
        value: _ProtobufEnumMap<KeyType, ValueType>.BaseType,
        fieldNumber: Int
    ) throws where ValueType.RawValue == Int {
        try putMap(value, fieldNumber: fieldNumber, key: KeyType.self) { visitor, item in
            try visitor.visitSingularEnumField(value: item, fieldNumber: 2)
        }
    }

    mutating func visitMapField<KeyType, ValueType>(
        fieldType: _ProtobufMessageMap<KeyType, ValueType>.Type,
        value: _ProtobufMessageMap<KeyType, ValueType>.BaseType,
        fieldNumber: Int
    ) throws {
        try putMap(value, fieldNumber: fieldNumber, key: KeyType.self) { visitor, item in
            try visitor.visitSingularMessageField(value: item, fieldNumber: 2)
        }
    }

    /// Each entry of `map` as a length-delimited field `fieldNumber`: its key as field 1, and
    /// its value, which `putValue` writes, as field 2.
    private mutating func putMap<KeyType: MapKeyType, Value>(
        _ map: [KeyType.BaseType: Value], fieldNumber: Int, key: KeyType.Type,
        putValue: (inout Self, Value) throws -> Void
    ) throws {
        for (entryKey, item) in map {
            putTag(fieldNumber, .lengthDelimited)
            try putDelimited { visitor in
                try KeyType.visitSingular(value: entryKey, fieldNumber: 1, with: &visitor)
                try putValue(&visitor, item)
            }
        }
    }
}
