import FlyGateJSON
import FlyMachinesProto
import Testing

@testable import FlyGateCLI

/// A volume as Fly sends it, with a member no schema names.
let volumeJSON = """
    {"id": "vol_4x1", "name": "data", "state": "created", "size_gb": 10, "region": "iad", "zone": "a1b2",
     "encrypted": true, "attached_machine_id": "d8d9e1e5c43e08", "auto_backup_enabled": true, "snapshot_retention": 5,
     "bytes_used": 1048576, "bytes_total": 10737418240, "created_at": "2026-02-21T08:12:44Z", "future_member": 1}
    """

@Suite("volumes verbs against a fake client", .timeLimit(.minutes(1)))
struct VolumesVerbTests {
    @Test("list prints a table; --json Fly's answer")
    func list() async throws {
        let client = FakeMachinesClient([.listVolumes: [.body(try json("[\(volumeJSON)]"))]])
        let output = try await run(["volumes", "list", "my-app", "--summary"], on: client)
        let request = try #require(client.requests(Flygate_Volumes_V1_ListVolumesRequest.self).first)
        #expect(request.appName == "my-app" && request.summary)
        #expect(output.stdout == """
            ID       NAME  STATE    SIZE   REGION  ZONE  ENCRYPTED  MACHINE         CREATED
            vol_4x1  data  created  10 GB  iad     a1b2  yes        d8d9e1e5c43e08  2026-02-21T08:12:44Z

            """)
        let jsonOutput = try await run(["volumes", "list", "my-app", "--json"], on: client, json: true)
        #expect(try JSONValue(parsing: jsonOutput.stdout) == json("[\(volumeJSON)]"))
    }

    @Test("show prints the volume's fields")
    func show() async throws {
        let client = FakeMachinesClient([.getVolume: [.body(try json(volumeJSON))]])
        let output = try await run(["volumes", "show", "my-app", "vol_4x1"], on: client)
        let request = try #require(client.requests(Flygate_Volumes_V1_GetVolumeRequest.self).first)
        #expect(request.appName == "my-app" && request.volumeID == "vol_4x1")
        #expect(output.stdout == """
            id                  vol_4x1
            name                data
            state               created
            size                10 GB
            used                1.0 MB of 10.0 GB
            region              iad
            zone                a1b2
            encrypted           yes
            machine             d8d9e1e5c43e08
            auto_backup         yes
            snapshot_retention  5 days
            created             2026-02-21T08:12:44Z

            """)
    }

    @Test("create sends the flags given, and only those")
    func create() async throws {
        let client = FakeMachinesClient([.createVolume: [.body(try json(volumeJSON))]])
        let output = try await run(
            ["volumes", "create", "my-app", "--name", "data", "--region", "iad", "--size-gb", "10", "--no-encrypted", "--require-unique-zone"],
            on: client)
        let request = try #require(client.requests(Flygate_Volumes_V1_CreateVolumeRequest.self).first)
        #expect(request.appName == "my-app")
        #expect(request.body.jsonValue() == (try json(#"{"encrypted": false, "name": "data", "region": "iad", "require_unique_zone": true, "size_gb": 10}"#)))
        #expect(output.stdout == "created volume vol_4x1 (data) in iad, 10 GB, state created, auto backup on, snapshots kept 5 days\n")
    }

    @Test("create from a snapshot needs no size; without either it is a usage error")
    func createFromSnapshot() async throws {
        let client = FakeMachinesClient()
        _ = try await run(["volumes", "create", "my-app", "--name", "data", "--region", "iad", "--snapshot-id", "vs_1"], on: client)
        #expect(client.requests(Flygate_Volumes_V1_CreateVolumeRequest.self).first?.body.jsonValue()
            == (try json(#"{"name": "data", "region": "iad", "snapshot_id": "vs_1"}"#)))
        #expect(usageError(["volumes", "create", "my-app", "--name", "data", "--region", "iad"])?.contains("give --size-gb") == true)
    }

    @Test("update sends only what changes; nothing to change is a usage error")
    func update() async throws {
        let client = FakeMachinesClient([.updateVolume: [.body(try json(volumeJSON))]])
        _ = try await run(["volumes", "update", "my-app", "vol_4x1", "--no-auto-backup"], on: client)
        let request = try #require(client.requests(Flygate_Volumes_V1_UpdateVolumeRequest.self).first)
        #expect(request.volumeID == "vol_4x1" && request.body.jsonValue() == ["auto_backup_enabled": false])
        _ = try await run(["volumes", "update", "my-app", "vol_4x1", "--snapshot-retention", "10"], on: client)
        #expect(client.requests(Flygate_Volumes_V1_UpdateVolumeRequest.self).last?.body.jsonValue() == ["snapshot_retention": 10])
        #expect(usageError(["volumes", "update", "my-app", "vol_4x1"])?.contains("nothing to update") == true)
    }

    @Test("extend sends the size and says when the machine must restart")
    func extend() async throws {
        let client = FakeMachinesClient([
            .extendVolume: [.body(try json(#"{"needs_restart": true, "volume": {"id": "vol_4x1", "name": "data", "size_gb": 20}}"#))],
        ])
        let output = try await run(["volumes", "extend", "my-app", "vol_4x1", "--size-gb", "20"], on: client)
        #expect(client.requests(Flygate_Volumes_V1_ExtendVolumeRequest.self).first?.body.jsonValue() == ["size_gb": 20])
        #expect(output.stdout == "extended volume vol_4x1 (data), 20 GB\nrestart the attached machine to use the new size\n")
    }

    @Test("delete and snapshot name the volume")
    func deleteAndSnapshot() async throws {
        let client = FakeMachinesClient()
        #expect(try await run(["volumes", "delete", "my-app", "vol_4x1"], on: client).stdout == "destroying volume vol_4x1\n")
        #expect(try await run(["volumes", "snapshot", "my-app", "vol_4x1"], on: client).stdout == "snapshotting volume vol_4x1\n")
        #expect(client.requests(Flygate_Volumes_V1_DeleteVolumeRequest.self).first?.volumeID == "vol_4x1")
        #expect(client.requests(Flygate_Volumes_V1_CreateVolumeSnapshotRequest.self).first?.volumeID == "vol_4x1")
    }

    @Test("snapshots prints a table")
    func snapshots() async throws {
        let client = FakeMachinesClient([
            .listVolumeSnapshots: [
                .body(try json(#"[{"id": "vs_1", "status": "created", "size": 2048, "created_at": "2026-02-21T08:12:44Z", "retention_days": 5}]"#))
            ],
        ])
        let output = try await run(["volumes", "snapshots", "my-app", "vol_4x1"], on: client)
        #expect(output.stdout == """
            ID    STATUS   SIZE    CREATED               RETENTION
            vs_1  created  2.0 KB  2026-02-21T08:12:44Z  5 days

            """)
    }

    @Test("org-list sends the filters and prints the next cursor")
    func orgList() async throws {
        let client = FakeMachinesClient([
            .listOrgVolumes: [
                .body(try json(#"{"volumes": [{"id": "vol_1", "app_name": "my-app", "name": "data", "state": "created", "size_gb": 1, "region": "iad"}], "next_cursor": "c2"}"#))
            ],
        ])
        let output = try await run(["volumes", "org-list", "acme", "--region", "iad", "--limit", "1", "--include-deleted"], on: client)
        let request = try #require(client.requests(Flygate_Volumes_V1_ListOrgVolumesRequest.self).first)
        #expect(request.orgSlug == "acme" && request.region == "iad" && request.limit == 1 && request.includeDeleted)
        #expect(!request.hasSummary && !request.hasCursor)
        #expect(output.stdout == """
            ID     APP     NAME  STATE    SIZE  REGION  MACHINE
            vol_1  my-app  data  created  1 GB  iad     -
            next page: --cursor c2

            """)
    }
}
