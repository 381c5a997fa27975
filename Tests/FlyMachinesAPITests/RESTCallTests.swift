import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Testing

@Suite("RESTCall: identifiers, encoding, and no path but the operation's")
struct RESTCallTests {
    static let hostile: [(String, String)] = [
        ("", "must not be empty"), ("a/b", "'/'"), ("..", "'..'"), ("a..b", "'..'"), (".", "'.'"),
        ("a?b=c", "'?'"), ("a#frag", "'#'"), ("a%2Fb", "'%'"), ("a b", "whitespace"), ("a\tb", "whitespace"),
        ("a\nb", "whitespace"), ("a\u{0}b", "control"), ("a\u{7F}", "control"), ("a\u{2028}b", "whitespace"),
        ("a\\b", "'\\'"), ("\u{200B}x", "control"),
    ]

    @Test("each bad identifier is refused naming the field, before any traffic", arguments: hostile)
    func refusedTable(value: String, reason: String) throws {
        for field in ["app_name", "machine_id", "key", "org_slug"] {
            let error = #expect(throws: FlyAPIError.self) { try RESTCall.validateIdentifier(value, field: field) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix(field + ":") == true)
            #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        }
    }

    @Test("the other services' path parameters are checked like a machine's; app deletions share one limiter bucket")
    func otherServices() throws {
        var volume = Flygate_Volumes_V1_GetVolumeRequest()
        (volume.appName, volume.volumeID) = ("my-app", "../machines")
        let refused = #expect(throws: FlyAPIError.self) { try RESTCall(volume) }
        #expect(refused?.code == .invalidArgument && refused?.message.hasPrefix("volume_id:") == true)
        var ip = Flygate_Apps_V1_DeleteIPAssignmentRequest()
        (ip.appName, ip.ip) = ("my-app", "fdaa:0:1::3")
        let release = try RESTCall(ip)
        #expect(release.path == "/v1/apps/my-app/ip_assignments/fdaa%3A0%3A1%3A%3A3" && release.scope == "my-app")
        var certificate = Flygate_Certificates_V1_CheckCertificateRequest()
        (certificate.appName, certificate.hostname) = ("my-app", "www.example.com")
        #expect(try RESTCall(certificate).path == "/v1/apps/my-app/certificates/www.example.com/check")
        var delete = Flygate_Apps_V1_DeleteAppRequest()
        delete.appName = "my-app"
        #expect(try RESTCall(delete).scope == "")
        #expect(UpstreamRateLimiter.Configuration.defaults.rate(for: .deleteApp) == .init(perSecond: 100.0 / 60, burst: 100))
    }

    @Test("paths are the template with encoded values; query values are encoded")
    func building() throws {
        var metadata = Flygate_Machines_V1_GetMetadataKeyRequest()
        (metadata.appName, metadata.machineID, metadata.key) = ("my-app", "e28650ec4e0586", "ключ+x=y&z")
        let call = try RESTCall(metadata)
        #expect(call.path == "/v1/apps/my-app/machines/e28650ec4e0586/metadata/%D0%BA%D0%BB%D1%8E%D1%87%2Bx%3Dy%26z")
        var list = Flygate_Machines_V1_ListRequest()
        (list.appName, list.region, list.summary) = ("a", "iad&state=x", true)
        #expect(try RESTCall(list).pathAndQuery == "/v1/apps/a/machines?region=iad%26state%3Dx&summary=true")
        #expect(RESTCall.percentEncoded("AZaz09-._~ /?#%") == "AZaz09-._~%20%2F%3F%23%25")
        var start = Flygate_Machines_V1_StartRequest()
        (start.appName, start.machineID, start.leaseNonce) = ("a", "m", "nonce\r\nx-evil: 1")
        #expect(throws: FlyAPIError.self) { try RESTCall(start) }
    }

    @Test("a refused identifier sends nothing", .timeLimit(.minutes(1)))
    func nothingSent() async throws {
        try await ClientHarness.with { harness in
            var show = Flygate_Machines_V1_ShowRequest()
            (show.appName, show.machineID) = ("demo", "../../orgs/x")
            let error = try #require(await #expect(throws: FlyAPIError.self) { try await harness.client.show(show) })
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasPrefix("machine_id:"))
            #expect(error.attempts == 0)
            #expect(harness.simulator.requestCounts.isEmpty)
        }
    }

    @Test("an unknown_json member Fly would read as a typed field is refused and sends nothing", .timeLimit(.minutes(1)))
    func caseCollisionSendsNothing() async throws {
        try await ClientHarness.with { harness in
            var create = Flygate_Machines_V1_CreateRequest()
            create.appName = "demo"
            create.body.config.image = "nginx"
            create.body.config.unknownJson = #"{"Image":"evil"}"#
            let error = try #require(await #expect(throws: FlyAPIError.self) { try await harness.client.create(create) })
            #expect(error.code == .invalidArgument && error.attempts == 0)
            #expect(error.message.contains(#"member "Image" differs from the field "image" only by case"#), "\(error.message)")
            #expect(harness.simulator.requestCounts.isEmpty)
        }
    }

    /// Characters that make paths interesting.
    static let alphabet: [Character] = Array("aZ09-._~/?#%&=+;,:@!$'()*[] \\\t\n\u{0}\u{7F}éß中🙂\u{200B}\u{2028}.")

    @Test("property: no identifier or query value makes the client request a path other than the operation's", .timeLimit(.minutes(1)))
    func noOtherPath() async throws {
        var generator = SystemRandomNumberGenerator()
        try await ClientHarness.with(simulator: { $0.recordExchanges = true }) { harness in
            let id = try harness.seed(app: "paths")
            var sent = 0
            for round in 0..<400 {
                let length = Int.random(in: 0...8, using: &generator)
                let hostile = String((0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! })
                let slot = round % 4
                var request = Flygate_Machines_V1_GetMetadataKeyRequest()
                (request.appName, request.machineID, request.key) = ("paths", id, "k")
                switch slot {
                case 0: request.appName = hostile
                case 1: request.machineID = hostile
                default: request.key = hostile
                }
                let valid = (try? RESTCall.validateIdentifier(hostile, field: "x")) != nil
                do {
                    _ = try await harness.client.getMetadataKey(request)
                } catch let error as FlyAPIError {
                    if !valid {
                        #expect(error.code == .invalidArgument && error.attempts == 0, "\(hostile.debugDescription): \(error)")
                        continue
                    }
                }
                #expect(valid, "\(hostile.debugDescription) was sent")
                sent += 1
                let exchange = try #require(harness.simulator.exchanges.last)
                #expect(harness.simulator.exchanges.count == sent, "\(hostile.debugDescription) reached no operation")
                #expect(exchange.operation == .getMetadataKey, "\(hostile.debugDescription) reached \(exchange.operation)")
                let segments = exchange.uri.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                #expect(segments.count == 8 && segments[1] == "v1" && segments[2] == "apps" && segments[4] == "machines"
                    && segments[6] == "metadata", "\(exchange.uri)")
                #expect(segments.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~%".contains($0)) } })
                let expected = [request.appName, request.machineID, request.key].map(RESTCall.percentEncoded)
                #expect([segments[3], segments[5], segments[7]] == expected)
            }
            #expect(sent > 20)
            #expect(sent < 400)
        }
    }
}
