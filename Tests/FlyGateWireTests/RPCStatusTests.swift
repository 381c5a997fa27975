import FlyGateWire
import Foundation
import Testing

@Suite("status codes and RPCError")
struct RPCStatusTests {
    @Test("all 17 google.rpc codes have their wire values and names")
    func codes() {
        let expected: [(RPCStatusCode, Int32, String)] = [
            (.ok, 0, "OK"), (.cancelled, 1, "CANCELLED"), (.unknown, 2, "UNKNOWN"),
            (.invalidArgument, 3, "INVALID_ARGUMENT"), (.deadlineExceeded, 4, "DEADLINE_EXCEEDED"),
            (.notFound, 5, "NOT_FOUND"), (.alreadyExists, 6, "ALREADY_EXISTS"),
            (.permissionDenied, 7, "PERMISSION_DENIED"), (.resourceExhausted, 8, "RESOURCE_EXHAUSTED"),
            (.failedPrecondition, 9, "FAILED_PRECONDITION"), (.aborted, 10, "ABORTED"),
            (.outOfRange, 11, "OUT_OF_RANGE"), (.unimplemented, 12, "UNIMPLEMENTED"),
            (.internalError, 13, "INTERNAL"), (.unavailable, 14, "UNAVAILABLE"), (.dataLoss, 15, "DATA_LOSS"),
            (.unauthenticated, 16, "UNAUTHENTICATED"),
        ]
        #expect(RPCStatusCode.allCases.count == 17)
        for (code, value, name) in expected {
            #expect(code.rawValue == value)
            #expect(code.name == name)
            #expect(RPCStatusCode(wireValue: value) == code)
        }
    }

    @Test("a code outside google.rpc reads as UNKNOWN", arguments: [Int32(-1), 17, 1000])
    func unknownWireValue(value: Int32) {
        #expect(RPCStatusCode(wireValue: value) == .unknown)
    }

    @Test("an error's status carries code, message and details, never the cause")
    func statusLeavesCauseOut() throws {
        struct Secret: Error, CustomStringConvertible {
            var description: String { "token=hunter2" }
        }
        var detail = Ttrpc_Any()
        detail.typeURL = "type.googleapis.com/flygate.HttpStatus"
        detail.value = Data([8, 0xAD, 0x03])
        let error = RPCError(code: .notFound, message: "machine not found", details: [detail], cause: Secret())
        let status = error.status
        #expect(status.code == 5)
        #expect(status.message == "machine not found")
        #expect(status.details == [detail])
        let onTheWire: [UInt8] = try Ttrpc_Response(error: error).serializedBytes()
        #expect(!String(decoding: onTheWire, as: UTF8.self).contains("hunter2"))
        #expect(String(describing: error).contains("hunter2"), "the cause stays available to logs")

        let back = RPCError(status: status)
        #expect(back.code == .notFound)
        #expect(back.message == "machine not found")
        #expect(back.details == [detail])
        #expect(back.cause == nil)
    }

    @Test("a Response with no status or code 0 is OK; any other code is an error")
    func responseStatus() {
        #expect(Ttrpc_Response().rpcError == nil)
        var zero = Ttrpc_Response()
        zero.status = Ttrpc_Status()
        #expect(zero.hasStatus)
        #expect(zero.rpcError == nil)
        let failed = Ttrpc_Response(error: RPCError(code: .aborted, message: "conflict"))
        #expect(failed.rpcError?.code == .aborted)
        #expect(failed.rpcError?.message == "conflict")
    }

    @Test("an RPCErrorConvertible error names its own status")
    func convertible() {
        struct LeaseHeld: RPCErrorConvertible {
            var rpcError: RPCError { RPCError(code: .failedPrecondition, message: "lease held by pid 42") }
        }
        let error: any Error = LeaseHeld()
        #expect((error as? any RPCErrorConvertible)?.rpcError.code == .failedPrecondition)
    }
}
