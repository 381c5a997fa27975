import FlyGateJSON
import Testing

@testable import FlyMachinesProto

/// `unknown_json` members that Fly's case-insensitive decoder would read as another member are
/// refused; every other unknown member still goes through as it came.
@Suite struct LosslessCollisionTests {
    func create(configUnknown: String = "") -> Flygate_Machines_V1_CreateRequest {
        var request = Flygate_Machines_V1_CreateRequest()
        request.appName = "demo"
        request.body.config.image = "nginx"
        request.body.config.unknownJson = configUnknown
        return request
    }

    @Test(
        "a member equal to a typed field or another member but for case is refused",
        arguments: [
            #"{"Image":"evil"}"#,  // beside the typed image
            #"{"IMAGE":"evil"}"#,
            #"{"Env":{"A":"1"}}"#,  // a typed map field, unset
            #"{"future":1,"Future":2}"#,  // two unknown members
            #"{"future":1,"future":2}"#,  // the same unknown member twice: Fly takes the last
        ])
    func refused(unknown: String) throws {
        let error = try #require(throws: JSONMappingError.self) { try create(configUnknown: unknown).checkUnknownMembers() }
        #expect(error.description.hasPrefix("flygate.machines.v1.MachineConfig.unknown_json: member "), "\(error)")
    }

    @Test("Go's folding is followed past ASCII: a long s or a Kelvin sign spells a typed field")
    func unicodeFolding() throws {
        // LATIN SMALL LETTER LONG S folds to s: "ſkip_launch" is skip_launch to Fly.
        var request = create()
        request.body.unknownJson = #"{"\#u{017F}kip_launch":true}"#
        #expect(throws: JSONMappingError.self) { try request.checkUnknownMembers() }
        // KELVIN SIGN folds to k, in a nested message (the config's stop_config): "kill" is no field…
        var nested = create()
        nested.body.config.stopConfig.unknownJson = #"{"\#u{212A}ill":1}"#
        try nested.checkUnknownMembers()
        // …but "ſignal" is.
        nested.body.config.stopConfig.unknownJson = #"{"\#u{017F}ignal":"SIGKILL"}"#
        #expect(throws: JSONMappingError.self) { try nested.checkUnknownMembers() }
    }

    @Test("a collision in a list or a map of messages is found")
    func inListsAndMaps() throws {
        var listed = create()
        var service = Flygate_Machines_V1_MachineService()
        service.internalPort = 8080
        service.unknownJson = #"{"Internal_Port":22}"#
        listed.body.config.services = [service]
        #expect(throws: JSONMappingError.self) { try listed.checkUnknownMembers() }

        var mapped = create()
        var check = Flygate_Machines_V1_MachineCheck()
        check.port = 8080
        check.unknownJson = #"{"Port":22}"#
        mapped.body.config.checks = ["web": check]
        #expect(throws: JSONMappingError.self) { try mapped.checkUnknownMembers() }
    }

    @Test("a typed field's own name in unknown_json is its original form, not a collision")
    func originalForm() throws {
        // The mapping keeps `"autostop": true` beside the typed autostop ("stop").
        let config = try Flygate_Machines_V1_MachineConfig(json: ["image": "nginx", "services": [["internal_port": 8080, "autostop": true]]])
        #expect(config.services[0].unknownJson == #"{"autostop":true}"#)
        var request = create()
        request.body.config = config
        try request.checkUnknownMembers()
    }

    @Test("members that collide with nothing pass and round-trip beside the typed fields")
    func nonCollidingRoundTrips() throws {
        let body: JSONValue = ["config": ["image": "nginx", "future_flag": ["on": true], "Images": "x"], "region": "iad"]
        var request = Flygate_Machines_V1_CreateRequest()
        request.appName = "demo"
        request.body = try Flygate_Machines_V1_CreateMachineRequest(json: body)
        try request.checkUnknownMembers()
        #expect(request.body.config.unknownJson == #"{"future_flag":{"on":true},"Images":"x"}"#)
        #expect(request.restParts.body == body)
    }
}
