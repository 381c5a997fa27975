import FlyGateJSON
import FlyGateTestSupport
import FlyMachinesConformance
import FlyMachinesSimulator
import Testing

/// The checker itself: an accepted request with a wrong path, parameter or body member is a
/// problem, whatever the simulator made of it; a right one is none.
@Suite(
    "Conformance checker: requests",
    .enabled(if: OpenAPIDocument.isRequired, "Fly's OpenAPI document is not at ../shared/fly-machines-openapi.json"))
struct ConformanceCheckerTests {

    @Test("a request as the document has it has no request problems")
    func conformingRequest() throws {
        let checker = ConformanceChecker(document: try OpenAPIDocument.load())
        let list = exchange(.listCertificates, "GET", "/v1/apps/a/certificates", query: [("filter", "www"), ("limit", "5")])
        #expect(checker.checkRequestLine(list).isEmpty)
        let route = try #require(checker.route(method: "DELETE", uri: "/v1/apps/a/certificates/www.example.com/acme"))
        #expect(route.operationID == "App_Certificates_acme_delete")
        #expect(route.pathParameters == ["app_name": "a", "hostname": "www.example.com"])
        let extend = exchange(.extendVolume, "PUT", "/v1/apps/a/volumes/vol_1/extend", body: #"{"size_gb": 2}"#)
        #expect(checker.checkRequestLine(extend).isEmpty)
        let create = exchange(
            .createVolume, "POST", "/v1/apps/a/volumes", body: #"{"name": "d", "compute": {"cpus": 1, "memory_mb": 256}}"#)
        #expect(checker.checkRequestLine(create).isEmpty)
    }

    @Test(
        "a wrong path, an undocumented or mistyped parameter, or a misnamed body member is a problem",
        arguments: [
            exchange(.showVolume, "GET", "/v1/apps/a/volume/vol_1"),  // no such path
            exchange(.showVolume, "GET", "/apps/a/volumes/vol_1"),  // without the server's /v1
            exchange(.showVolume, "GET", "/v1/apps/a/volumes/vol_1/snapshots"),  // another operation
            exchange(.showVolume, "PUT", "/v1/apps/a/volumes/vol_1"),  // another method
            exchange(.listCertificates, "GET", "/v1/apps/a/certificates", query: [("hostname_filter", "www")]),
            exchange(.listCertificates, "GET", "/v1/apps/a/certificates", query: [("limit", "ten")]),
            exchange(.orgListVolumes, "GET", "/v1/orgs/o/volumes", query: [("summary", "yes")]),
            exchange(.extendVolume, "PUT", "/v1/apps/a/volumes/vol_1/extend", body: #"{"sizeGb": 2}"#),
            exchange(.createVolume, "POST", "/v1/apps/a/volumes", body: #"{"compute": {"cpu_count": 1}}"#),
        ])
    func wrongRequest(_ exchange: SimulatorExchange) throws {
        let checker = ConformanceChecker(document: try OpenAPIDocument.load())
        #expect(!checker.checkRequestLine(exchange).isEmpty, "\(exchange.method) \(exchange.uri) \(exchange.query)")
        #expect(!checker.check(exchange).isEmpty)
    }
}

/// An accepted (200) exchange of `operation` with this request and no answer body.
private func exchange(
    _ operation: SimulatorOperation, _ method: String, _ uri: String, query: [(String, String)] = [], body: String = ""
) -> SimulatorExchange {
    SimulatorExchange(
        operation: operation, method: method, uri: uri, query: query.map { (name: $0.0, value: $0.1) }, status: 200,
        requestBody: Array(body.utf8), responseBody: [])
}
