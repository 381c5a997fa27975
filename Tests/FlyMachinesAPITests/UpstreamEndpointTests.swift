import FlyMachinesAPI
import Testing

@Suite("UpstreamEndpoint: base URL and FLY_FLAPS_BASE_URL")
struct UpstreamEndpointTests {
    @Test("accepted URLs", arguments: [
        ("https://api.machines.dev", "https://api.machines.dev"),
        ("https://api.machines.dev/", "https://api.machines.dev"),
        ("https://api.machines.dev/v1", "https://api.machines.dev"),
        ("http://_api.internal:4280", "http://_api.internal:4280"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:1", "http://localhost:1"),
        ("http://[::1]:4280", "http://[::1]:4280"),
        ("HTTPS://Example.COM:8443", "https://example.com:8443"),
    ])
    func accepted(text: String, normalized: String) throws {
        #expect(try UpstreamEndpoint(text).description == normalized)
    }

    @Test("refused URLs", arguments: [
        "http://api.machines.dev", "http://10.0.0.1:4280", "ftp://x", "api.machines.dev", "https://",
        "https://user:pass@host", "https://host/other", "https://host?x=1", "https://host:0", "https://host:99999",
        "http://127.0.0.1.evil.com",
        // The authority is sent as the `host` header as it is: no line breaks, no control codes.
        "https://api.machines.dev\r\nx-injected:1", "https://api.machines.dev\u{1B}[31m", "https://api.machines.\u{7F}dev",
        "https://api.machines.dév",
    ])
    func refused(text: String) {
        #expect(throws: FlyAPIError.self) { try UpstreamEndpoint(text) }
    }

    @Test("plain http to another host names the rule")
    func plainHTTPMessage() {
        let error = #expect(throws: FlyAPIError.self) { try UpstreamEndpoint("http://example.com") }
        #expect(error?.message.contains("loopback and _api.internal") == true)
    }

    @Test("FLY_FLAPS_BASE_URL overrides the default; configuration applies it")
    func environment() throws {
        #expect(try UpstreamEndpoint.resolve(environment: [:]) == .fly)
        #expect(try UpstreamEndpoint.resolve(environment: ["FLY_FLAPS_BASE_URL": "http://_api.internal:4280"]).host == "_api.internal")
        let configuration = FlyMachinesClient.Configuration.defaults.applyingEnvironment(["FLY_FLAPS_BASE_URL": "http://127.0.0.1:9"])
        #expect(try configuration.validate().port == 9)
        #expect(try FlyMachinesClient.Configuration.defaults.validate() == .fly)
    }
}
