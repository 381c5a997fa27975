import FlyGateJSON
import FlyGateWire
import FlyMachinesProto
import Testing

@testable import FlyGateCLI

/// An app as Fly sends it, with a member no schema names.
let appJSON = """
    {"id": "app_9x", "internal_numeric_id": 7, "machine_count": 2, "name": "my-app", "network": "default",
     "organization": {"name": "Acme Inc", "slug": "acme"}, "status": "deployed", "volume_count": 1,
     "future_member": {"x": 1}}
    """

@Suite("apps and ips verbs against a fake client", .timeLimit(.minutes(1)))
struct AppsVerbTests {
    @Test("apps list sends the org and role and prints a table")
    func list() async throws {
        let client = FakeMachinesClient([.listApps: [.body(try json(#"{"apps": [\#(appJSON)], "total_apps": 1}"#))]])
        let output = try await run(["apps", "list", "--org", "acme", "--role", "machines"], on: client)
        let request = try #require(client.requests(Flygate_Apps_V1_ListAppsRequest.self).first)
        #expect(request.orgSlug == "acme" && request.appRole == "machines")
        #expect(output.stdout == """
            NAME    ORG   STATUS    MACHINES  VOLUMES  NETWORK
            my-app  acme  deployed  2         1        default

            """)
    }

    @Test("apps list asks for the personal organization when none is given, and sends no role")
    func listDefaultOrg() async throws {
        let client = FakeMachinesClient()
        _ = try await run(["apps", "list"], on: client)
        let request = try #require(client.requests(Flygate_Apps_V1_ListAppsRequest.self).first)
        #expect(request.orgSlug == "personal" && !request.hasAppRole)
    }

    @Test("apps list --json prints Fly's answer, every member kept")
    func listJSON() async throws {
        let body = try json(#"{"apps": [\#(appJSON)], "total_apps": 1}"#)
        let client = FakeMachinesClient([.listApps: [.body(body)]])
        let output = try await run(["apps", "list", "--json"], on: client, json: true)
        #expect(try JSONValue(parsing: output.stdout) == body)
    }

    @Test("apps create sends name, org and network in the body")
    func create() async throws {
        let client = FakeMachinesClient()
        let output = try await run(["apps", "create", "new-app", "--org", "acme", "--network", "net-1", "--enable-subdomains"], on: client)
        let request = try #require(client.requests(Flygate_Apps_V1_CreateAppRequest.self).first)
        #expect(request.body.jsonValue() == (try json(#"{"enable_subdomains": true, "name": "new-app", "network": "net-1", "org_slug": "acme"}"#)))
        #expect(output.stdout == "created app new-app in acme\n")
    }

    @Test("apps create needs --org")
    func createNeedsOrg() {
        #expect(usageError(["apps", "create", "new-app"])?.contains("--org") == true)
    }

    @Test("apps show prints the app's fields; --json its body")
    func show() async throws {
        let client = FakeMachinesClient([.showApp: [.body(try json(appJSON))]])
        let output = try await run(["apps", "show", "my-app"], on: client)
        #expect(client.requests(Flygate_Apps_V1_ShowAppRequest.self).first?.appName == "my-app")
        #expect(output.stdout == """
            name      my-app
            id        app_9x
            org       acme (Acme Inc)
            status    deployed
            network   default
            machines  2
            volumes   1

            """)
        let jsonOutput = try await run(["apps", "show", "my-app", "--json"], on: client, json: true)
        #expect(try JSONValue(parsing: jsonOutput.stdout) == json(appJSON))
    }

    @Test("apps delete names the app and prints one line")
    func delete() async throws {
        let client = FakeMachinesClient()
        let output = try await run(["apps", "delete", "my-app"], on: client)
        #expect(client.requests(Flygate_Apps_V1_DeleteAppRequest.self).first?.appName == "my-app")
        #expect(output.stdout == "destroying app my-app\n")
    }

    @Test("ips list prints a table of the app's addresses")
    func ipsList() async throws {
        let client = FakeMachinesClient([
            .listIPAssignments: [
                .body(try json(#"""
                    {"ips": [{"created_at": "2026-02-21T08:12:44Z", "ip": "2a09:8280:1::1", "region": "global", "service_name": "app", "shared": false},
                             {"ip": "66.241.124.9", "shared": true}]}
                    """#))
            ],
        ])
        let output = try await run(["ips", "list", "my-app"], on: client)
        #expect(client.requests(Flygate_Apps_V1_ListIPAssignmentsRequest.self).first?.appName == "my-app")
        #expect(output.stdout == """
            IP              REGION  SHARED  SERVICE  CREATED
            2a09:8280:1::1  global  no      app      2026-02-21T08:12:44Z
            66.241.124.9    -       yes     -        -

            """)
    }

    @Test("ips allocate sends the type and the options given, and only those")
    func ipsAllocate() async throws {
        let client = FakeMachinesClient([.createIPAssignment: [.body(try json(#"{"ip": "fdaa:0:1::3", "region": "iad", "shared": false}"#))]])
        let output = try await run(["ips", "allocate", "my-app", "--type", "private_v6", "--network", "net-1", "--org", "acme"], on: client)
        let request = try #require(client.requests(Flygate_Apps_V1_CreateIPAssignmentRequest.self).first)
        #expect(request.appName == "my-app")
        #expect(request.body.jsonValue() == (try json(#"{"network": "net-1", "org_slug": "acme", "type": "private_v6"}"#)))
        #expect(output.stdout == "allocated fdaa:0:1::3 to my-app in iad\n")
        let jsonOutput = try await run(["ips", "allocate", "my-app", "--type", "v4", "--json"], on: client, json: true)
        #expect(try JSONValue(parsing: jsonOutput.stdout) == json(#"{"ip": "fdaa:0:1::3", "region": "iad", "shared": false}"#))
    }

    @Test("ips allocate refuses a type Fly does not assign")
    func ipsAllocateBadType() {
        #expect(usageError(["ips", "allocate", "my-app", "--type", "v5"])?.contains("--type") == true)
    }

    @Test("ips release sends the address")
    func ipsRelease() async throws {
        let client = FakeMachinesClient()
        let output = try await run(["ips", "release", "my-app", "2a09:8280:1::1"], on: client)
        let request = try #require(client.requests(Flygate_Apps_V1_DeleteIPAssignmentRequest.self).first)
        #expect(request.appName == "my-app" && request.ip == "2a09:8280:1::1")
        #expect(output.stdout == "released 2a09:8280:1::1 from my-app\n")
    }
}
