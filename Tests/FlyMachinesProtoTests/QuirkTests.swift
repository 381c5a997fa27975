import FlyGateJSON
import Testing

@testable import FlyMachinesProto

/// The documented quirks decode both ways they come in (FLY_API.md §3, §5, §10).
@Suite struct QuirkTests {
    @Test(arguments: [(JSONValue.bool(false), "off"), (.bool(true), "stop"), (.string("suspend"), "suspend"), (.string("stop"), "stop")])
    func autostopReadsBoolOrString(_ json: JSONValue, _ expected: String) throws {
        let service = try Flygate_Machines_V1_MachineService(json: ["autostop": json])
        #expect(service.autostop == expected)
        #expect(service.jsonValue()["autostop"] == json)
    }

    @Test(arguments: [
        (JSONValue.string("15s"), "15s"), (.number("15000000000"), "15s"), (.number("1500000000"), "1.5s"),
        (.number("90000000000"), "1m30s"), (.number("250000000"), "250ms"), (.number("0"), "0s"),
        (.number("3723000000000"), "1h2m3s"),
    ])
    func durationReadsStringOrNanoseconds(_ json: JSONValue, _ expected: String) throws {
        let check = try Flygate_Machines_V1_MachineCheck(json: ["interval": json])
        #expect(check.interval == expected)
        #expect(check.jsonValue()["interval"] == json)
        let stop = try Flygate_Machines_V1_StopRequestBody(json: ["timeout": json])
        #expect(stop.timeout == expected)
    }

    @Test(arguments: [(JSONValue.string("SIGTERM"), "SIGTERM"), (.number("9"), "SIGKILL"), (.number("10"), "SIGUSR1")])
    func signalReadsNameOrNumber(_ json: JSONValue, _ expected: String) throws {
        let signal = try Flygate_Machines_V1_SignalRequestBody(json: ["signal": json])
        #expect(signal.signal == expected)
        #expect(signal.jsonValue()["signal"] == json)
    }

    @Test func unknownSignalNumberIsKeptNotNamed() throws {
        let signal = try Flygate_Machines_V1_SignalRequestBody(json: ["signal": 99])
        #expect(!signal.hasSignal)
        #expect(signal.jsonValue() == ["signal": 99])
    }

    @Test func leaseAnswerReadsEnvelopeOrFlat() throws {
        let envelope = try Fixture.load("lease-envelope.json")
        let flat = envelope["data"]!
        for body in [envelope, flat] {
            let show = try Flygate_Machines_V1_ShowLeaseResponse(restBody: body)
            #expect(show.body.nonce == "5c35f65c9f95")
            #expect(show.body.expiresAt == 1_708_569_778)
            let create = try Flygate_Machines_V1_CreateLeaseResponse(restBody: body)
            #expect(create.body.owner == "hello@fly.io")
        }
        let released = try Flygate_Machines_V1_ReleaseLeaseResponse(restBody: ["status": "success", "data": ["ok": true]])
        #expect(released.body.ok)
    }

    @Test func emptyBodiedAnswersAreAccepted() throws {
        #expect(try !Flygate_Machines_V1_StopResponse(restBody: nil).hasBody)
        #expect(try Flygate_Machines_V1_StopResponse(restBody: ["ok": true]).body.ok)
        // An informal body that is not an object is tolerated, not fatal.
        #expect(try !Flygate_Machines_V1_CordonResponse(restBody: "OK").hasBody)
        let start = try Flygate_Machines_V1_StartResponse(restBody: try Fixture.load("start-result.json"))
        #expect(start.body.previousState == "stopped")
        // 204s carry nothing.
        #expect(try Flygate_Machines_V1_DeleteMetadataResponse(restBody: nil).restBody == nil)
    }

    @Test func structuredAnswerMustBeWellFormed() {
        #expect(throws: JSONMappingError.self) { try Flygate_Machines_V1_ShowResponse(restBody: [1]) }
        #expect(throws: JSONMappingError.self) { try Flygate_Machines_V1_ListResponse(restBody: ["not": "a list"]) }
    }
}
