import FlyGateJSON
import FlyGateWire
import Foundation
import SwiftProtobuf
import Testing

@testable import FlyMachinesProto

/// The daemon writes its answers with `singlePassSerializedBytes()`; these hold it to
/// SwiftProtobuf's own encoding, byte for byte, over every kind of field the wire can carry,
/// and `singlePassSerializedSize()` to its length.
@Suite struct SinglePassEncodingTests {
    /// Both encodings of `message`, and that the one-pass bytes decode to the same message.
    static func expectSame<M: SwiftProtobuf.Message>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reference: [UInt8] = try message.serializedBytes()
        let onePass = try message.singlePassSerializedBytes()
        #expect(onePass == reference, "\(M.protoMessageName): \(onePass.count) bytes against \(reference.count)", sourceLocation: sourceLocation)
        #expect(try M(serializedBytes: onePass).isEqualTo(message: message), sourceLocation: sourceLocation)
        // The size counted without writing is the length written.
        #expect(try message.singlePassSerializedSize() == reference.count, sourceLocation: sourceLocation)
    }

    @Test("every fixture's message (machines, lists, events, metadata maps, exec bytes) encodes as SwiftProtobuf encodes it")
    func fixtures() throws {
        let machine = try Flygate_Machines_V1_Machine(json: try Fixture.load("machine.json"))
        try Self.expectSame(machine)
        var show = Flygate_Machines_V1_ShowResponse()
        show.body = machine
        try Self.expectSame(show)
        try Self.expectSame(try Flygate_Machines_V1_ListResponse(restBody: try Fixture.load("machine-list.json")))
        try Self.expectSame(try Flygate_Machines_V1_ListEventsResponse(restBody: try Fixture.load("events.json")))
        try Self.expectSame(try Flygate_Machines_V1_ShowMetadataResponse(restBody: try Fixture.load("metadata.json")))
        try Self.expectSame(try Flygate_Machines_V1_MachineExecRequest(json: try Fixture.load("exec-request.json")))
        try Self.expectSame(try Flygate_Machines_V1_ExecResponseBody(json: try Fixture.load("exec-response.json")))
        try Self.expectSame(try Flygate_Machines_V1_OrgMachinesResponse(json: try Fixture.load("org-machines.json")))
    }

    @Test("the contract's descriptor set (proto2: enums, packed paths, nested messages, options) encodes alike")
    func descriptors() throws {
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](ContractDescriptors.serialized))
        #expect(set.file.count > 5)
        try Self.expectSame(set)
        // Its own bytes come back too: nothing in it is re-ordered.
        #expect(try set.singlePassSerializedBytes() == [UInt8](ContractDescriptors.serialized))
    }

    @Test("lengths of 1, 2 and 3 bytes; maps of messages; doubles, negatives and nulls")
    func lengthsAndMaps() throws {
        var inner = Google_Protobuf_Struct()
        for width in [0, 1, 127, 128, 300, 16_383, 16_384, 70_000] {
            inner.fields["s\(width)"] = Google_Protobuf_Value(stringValue: String(repeating: "é", count: width / 2))
        }
        inner.fields["n"] = Google_Protobuf_Value(numberValue: -12.5)
        var null = Google_Protobuf_Value()
        null.nullValue = .nullValue
        inner.fields["z"] = null
        inner.fields["b"] = Google_Protobuf_Value(boolValue: true)
        var outer = Google_Protobuf_Struct()
        outer.fields["inner"] = Google_Protobuf_Value(structValue: inner)
        outer.fields["list"] = Google_Protobuf_Value(listValue: Google_Protobuf_ListValue(values: [
            Google_Protobuf_Value(structValue: inner), Google_Protobuf_Value(numberValue: 0), Google_Protobuf_Value(stringValue: ""),
        ]))
        try Self.expectSame(outer)
        try Self.expectSame(Google_Protobuf_Int32Value(-1))
        try Self.expectSame(Google_Protobuf_Int64Value(Int64.min))
        try Self.expectSame(Google_Protobuf_UInt64Value(UInt64.max))
        try Self.expectSame(Google_Protobuf_FloatValue(-0.0))
        try Self.expectSame(Google_Protobuf_DoubleValue(.infinity))
        try Self.expectSame(Google_Protobuf_BytesValue(Data((0..<200).map { UInt8($0) })))
        var weights = Flygate_Platform_V1_GetPlacementsRequest()
        weights.body.weights = ["a": 1, "b": -2, "c": Int64.max]
        try Self.expectSame(weights)
    }

    @Test("unknown fields are written where SwiftProtobuf writes them")
    func unknownFields() throws {
        // Duration {seconds: 5, nanos: 7} then field 99 (varint 300) and field 100 (bytes "hi").
        let bytes: [UInt8] = [0x08, 0x05, 0x10, 0x07, 0x98, 0x06, 0xAC, 0x02, 0xA2, 0x06, 0x02, 0x68, 0x69]
        let duration = try Google_Protobuf_Duration(serializedBytes: bytes)
        try Self.expectSame(duration)
        var any = Google_Protobuf_Any()
        any.typeURL = "type.googleapis.com/google.protobuf.Duration"
        any.value = Data(bytes)
        try Self.expectSame(any)
    }

    /// A message of one field of each kind no contract message has: zig-zag, fixed and float
    /// encodings, packed enums and bools, a group.
    struct Kinds: SwiftProtobuf.Message, Equatable {
        static let protoMessageName = "test.Kinds"
        var unknownFields = UnknownStorage()
        var sint32: Int32 = 0, sint64: Int64 = 0, fixed32: UInt32 = 0, fixed64: UInt64 = 0
        var sfixed32: Int32 = 0, sfixed64: Int64 = 0, float: Float = 0, uint32: UInt32 = 0
        var packedSInt32: [Int32] = [], packedSInt64: [Int64] = [], packedFixed32: [UInt32] = [], packedFixed64: [UInt64] = []
        var packedSFixed32: [Int32] = [], packedSFixed64: [Int64] = [], packedFloat: [Float] = [], packedDouble: [Double] = []
        var packedBool: [Bool] = [], packedEnum: [Google_Protobuf_NullValue] = [], packedUInt32: [UInt32] = []
        var packedUInt64: [UInt64] = [], packedInt32: [Int32] = [], packedInt64: [Int64] = []
        var group: Google_Protobuf_Duration?
        var enumMap: [Int32: Google_Protobuf_NullValue] = [:]

        init() {}

        mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
            while let number = try decoder.nextFieldNumber() {
                switch number {
                case 1: try decoder.decodeSingularSInt32Field(value: &sint32)
                case 2: try decoder.decodeSingularSInt64Field(value: &sint64)
                case 3: try decoder.decodeSingularFixed32Field(value: &fixed32)
                case 4: try decoder.decodeSingularFixed64Field(value: &fixed64)
                case 5: try decoder.decodeSingularSFixed32Field(value: &sfixed32)
                case 6: try decoder.decodeSingularSFixed64Field(value: &sfixed64)
                case 7: try decoder.decodeSingularFloatField(value: &float)
                case 8: try decoder.decodeSingularUInt32Field(value: &uint32)
                case 10: try decoder.decodeRepeatedSInt32Field(value: &packedSInt32)
                case 11: try decoder.decodeRepeatedSInt64Field(value: &packedSInt64)
                case 12: try decoder.decodeRepeatedFixed32Field(value: &packedFixed32)
                case 13: try decoder.decodeRepeatedFixed64Field(value: &packedFixed64)
                case 14: try decoder.decodeRepeatedSFixed32Field(value: &packedSFixed32)
                case 15: try decoder.decodeRepeatedSFixed64Field(value: &packedSFixed64)
                case 16: try decoder.decodeRepeatedFloatField(value: &packedFloat)
                case 17: try decoder.decodeRepeatedDoubleField(value: &packedDouble)
                case 18: try decoder.decodeRepeatedBoolField(value: &packedBool)
                case 19: try decoder.decodeRepeatedEnumField(value: &packedEnum)
                case 20: try decoder.decodeRepeatedUInt32Field(value: &packedUInt32)
                case 21: try decoder.decodeRepeatedUInt64Field(value: &packedUInt64)
                case 22: try decoder.decodeRepeatedInt32Field(value: &packedInt32)
                case 23: try decoder.decodeRepeatedInt64Field(value: &packedInt64)
                case 24: try decoder.decodeSingularGroupField(value: &group)
                case 25:
                    try decoder.decodeMapField(
                        fieldType: _ProtobufEnumMap<ProtobufSInt32, Google_Protobuf_NullValue>.self, value: &enumMap)
                default: break
                }
            }
        }

        func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
            if sint32 != 0 { try visitor.visitSingularSInt32Field(value: sint32, fieldNumber: 1) }
            if sint64 != 0 { try visitor.visitSingularSInt64Field(value: sint64, fieldNumber: 2) }
            if fixed32 != 0 { try visitor.visitSingularFixed32Field(value: fixed32, fieldNumber: 3) }
            if fixed64 != 0 { try visitor.visitSingularFixed64Field(value: fixed64, fieldNumber: 4) }
            if sfixed32 != 0 { try visitor.visitSingularSFixed32Field(value: sfixed32, fieldNumber: 5) }
            if sfixed64 != 0 { try visitor.visitSingularSFixed64Field(value: sfixed64, fieldNumber: 6) }
            if float != 0 { try visitor.visitSingularFloatField(value: float, fieldNumber: 7) }
            if uint32 != 0 { try visitor.visitSingularUInt32Field(value: uint32, fieldNumber: 8) }
            if !packedSInt32.isEmpty { try visitor.visitPackedSInt32Field(value: packedSInt32, fieldNumber: 10) }
            if !packedSInt64.isEmpty { try visitor.visitPackedSInt64Field(value: packedSInt64, fieldNumber: 11) }
            if !packedFixed32.isEmpty { try visitor.visitPackedFixed32Field(value: packedFixed32, fieldNumber: 12) }
            if !packedFixed64.isEmpty { try visitor.visitPackedFixed64Field(value: packedFixed64, fieldNumber: 13) }
            if !packedSFixed32.isEmpty { try visitor.visitPackedSFixed32Field(value: packedSFixed32, fieldNumber: 14) }
            if !packedSFixed64.isEmpty { try visitor.visitPackedSFixed64Field(value: packedSFixed64, fieldNumber: 15) }
            if !packedFloat.isEmpty { try visitor.visitPackedFloatField(value: packedFloat, fieldNumber: 16) }
            if !packedDouble.isEmpty { try visitor.visitPackedDoubleField(value: packedDouble, fieldNumber: 17) }
            if !packedBool.isEmpty { try visitor.visitPackedBoolField(value: packedBool, fieldNumber: 18) }
            if !packedEnum.isEmpty { try visitor.visitPackedEnumField(value: packedEnum, fieldNumber: 19) }
            if !packedUInt32.isEmpty { try visitor.visitPackedUInt32Field(value: packedUInt32, fieldNumber: 20) }
            if !packedUInt64.isEmpty { try visitor.visitPackedUInt64Field(value: packedUInt64, fieldNumber: 21) }
            if !packedInt32.isEmpty { try visitor.visitPackedInt32Field(value: packedInt32, fieldNumber: 22) }
            if !packedInt64.isEmpty { try visitor.visitPackedInt64Field(value: packedInt64, fieldNumber: 23) }
            if let group { try visitor.visitSingularGroupField(value: group, fieldNumber: 24) }
            if !enumMap.isEmpty {
                try visitor.visitMapField(
                    fieldType: _ProtobufEnumMap<ProtobufSInt32, Google_Protobuf_NullValue>.self, value: enumMap, fieldNumber: 25)
            }
            try unknownFields.traverse(visitor: &visitor)
        }

        func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { (message as? Self) == self }
    }

    @Test("zig-zag, fixed-width, float, packed and group fields, extremes and all")
    func everyKind() throws {
        var kinds = Kinds()
        kinds.sint32 = -1
        kinds.sint64 = Int64.min
        kinds.fixed32 = UInt32.max
        kinds.fixed64 = 0x0102_0304_0506_0708
        kinds.sfixed32 = Int32.min
        kinds.sfixed64 = -2
        kinds.float = -1.5
        kinds.uint32 = UInt32.max
        kinds.packedSInt32 = [0, -1, 1, Int32.min, Int32.max]
        kinds.packedSInt64 = [0, -1, Int64.min, Int64.max]
        kinds.packedFixed32 = [1, UInt32.max]
        kinds.packedFixed64 = [UInt64.max]
        kinds.packedSFixed32 = [-1, 7]
        kinds.packedSFixed64 = [Int64.min]
        kinds.packedFloat = [0.5, -.infinity]
        kinds.packedDouble = [.pi, -0.0]
        kinds.packedBool = [true, false, true]
        kinds.packedEnum = [.nullValue, .UNRECOGNIZED(300), .UNRECOGNIZED(-5)]
        kinds.packedUInt32 = [0, 128, UInt32.max]
        kinds.packedUInt64 = Array(repeating: UInt64.max, count: 20)  // 200 bytes: a two-byte length
        kinds.packedInt32 = [-1, 0, Int32.max]
        kinds.packedInt64 = [Int64.min, -1]
        var group = Google_Protobuf_Duration()
        group.seconds = -3
        group.nanos = 9
        kinds.group = group
        kinds.enumMap = [-4: .nullValue, 5: .UNRECOGNIZED(2)]
        try Self.expectSame(kinds)
        // The zig-zag forms by hand: -1 is 1, Int64.min is 2^64 - 1.
        var small = Kinds()
        small.sint32 = -1
        #expect(try small.singlePassSerializedBytes() == [0x08, 0x01])
        small.sint32 = 0
        small.sint64 = Int64.min
        #expect(try small.singlePassSerializedBytes() == [0x10] + Array(repeating: 0xFF, count: 9) + [0x01])
    }
}
