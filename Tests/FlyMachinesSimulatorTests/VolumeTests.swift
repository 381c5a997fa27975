import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Volumes")
struct VolumeTests {
    @Test("create answers a Fly-shaped volume; bad input is 400; unknown apps and volumes 404", .timeLimit(.minutes(1)))
    func create() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("store")
            let volume = try await sim.expect(200, .POST, "/apps/store/volumes", json: ["name": "pg_data", "region": "ams", "size_gb": 10]).json
            let id = try #require(volume["id"]?.stringValue)
            #expect(id.hasPrefix("vol_") && id.count == 20)
            #expect(id.dropFirst(4).allSatisfy { $0.isLowercase || $0.isNumber })
            #expect(volume["state"] == "created")
            #expect(volume["name"] == "pg_data" && volume["region"] == "ams" && volume["size_gb"] == 10)
            #expect(volume["encrypted"] == true && volume["fstype"] == "ext4" && volume["snapshot_retention"] == 5)
            #expect(volume["auto_backup_enabled"] == true && volume["host_status"] == "ok" && volume["type"] == "local")
            #expect(volume["zone"]?.stringValue?.count == 4)
            #expect(volume["bytes_total"]?.int64Value == 10 << 30)
            #expect(volume["block_size"] == 4096 && volume["blocks"]?.int64Value == (10 << 30) / 4096)
            #expect(volume["attached_machine_id"] == nil)
            let summary = try await sim.expect(200, .GET, "/apps/store/volumes?summary=true").json.arrayValue?.first
            #expect(summary?["id"]?.stringValue == id && summary?["blocks"] == nil)
            #expect(try await sim.expect(200, .GET, "/apps/store/volumes/\(id)").json["id"]?.stringValue == id)

            let plain = try await sim.expect(200, .POST, "/apps/store/volumes", json: ["region": "ams", "encrypted": false]).json
            #expect(plain["size_gb"] == 1 && plain["name"] == "data" && plain["encrypted"] == false)
            for bad: JSONValue in [
                ["name": "data"], ["region": "xyz"], ["region": "bos"], ["region": "ams", "size_gb": 0],
                ["region": "ams", "size_gb": 501], ["region": "ams", "name": "Bad-Name"], ["region": "ams", "encrypted": "yes"],
                ["region": "ams", "snapshot_id": "vs_nothing"],
            ] {
                let response = try await sim.send(.POST, "/apps/store/volumes", json: bad)
                #expect((400...404).contains(response.status), "\(bad.serialized): \(response.text)")
            }
            try await sim.expect(404, .GET, "/apps/store/volumes/vol_0000000000000000")
            try await sim.expect(404, .GET, "/apps/nobody/volumes")
            try await sim.expect(404, .POST, "/apps/nobody/volumes", json: ["region": "ams"])
        }
    }

    @Test("a machine's mounts attach a volume; delete is refused while attached; unmounting detaches", .timeLimit(.minutes(1)))
    func attachAndDetach() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("store")
            let id = try #require(
                try await sim.expect(200, .POST, "/apps/store/volumes", json: ["name": "data", "region": "ord"]).json["id"]?.stringValue)
            let mount: JSONValue = [["volume": .string(id), "path": "/data"]]
            // No region: the machine goes where its volume is.
            let machine = try await sim.createMachine(app: "store", extra: ["config": ["image": "nginx", "mounts": mount]])
            let machineID = try #require(machine["id"]?.stringValue)
            #expect(machine["region"] == "ord")
            let attached = try await sim.expect(200, .GET, "/apps/store/volumes/\(id)").json
            #expect(attached["attached_machine_id"]?.stringValue == machineID)
            #expect(attached["attached_alloc_id"] == machine["instance_id"])

            let refused = try await sim.expect(412, .DELETE, "/apps/store/volumes/\(id)").json
            #expect(refused["error"]?.stringValue?.contains(machineID) == true)
            // Nobody else may mount it; unknown volumes and other regions are refused.
            try await sim.expect(412, .POST, "/apps/store/machines", json: ["config": ["image": "nginx", "mounts": mount]])
            try await sim.expect(
                400, .POST, "/apps/store/machines",
                json: ["config": ["image": "nginx", "mounts": [["volume": "vol_0000000000000000", "path": "/d"]]]])
            let spare = try #require(
                try await sim.expect(200, .POST, "/apps/store/volumes", json: ["name": "spare", "region": "ord"]).json["id"]?.stringValue)
            try await sim.expect(
                400, .POST, "/apps/store/machines",
                json: ["region": "iad", "config": ["image": "nginx", "mounts": [["volume": .string(spare), "path": "/d"]]]])
            try await sim.expect(
                400, .POST, "/apps/store/machines",
                json: ["config": ["image": "nginx", "mounts": [["volume": .string(spare), "path": "/d"], ["volume": .string(id), "path": "/e"]]]])
            try await sim.expect(400, .POST, "/apps/store/machines", json: ["config": ["image": "nginx", "mounts": "vol"]])

            // Updating the machine without the mount detaches the volume; with it, attaches it again.
            _ = try await sim.wait("store", machineID, "started")
            try await sim.expect(200, .POST, "/apps/store/machines/\(machineID)", json: ["config": ["image": "nginx:2"]])
            #expect(try await sim.expect(200, .GET, "/apps/store/volumes/\(id)").json["attached_machine_id"] == nil)
            try await sim.expect(200, .POST, "/apps/store/machines/\(machineID)", json: ["config": ["image": "nginx:3", "mounts": mount]])
            #expect(try await sim.expect(200, .GET, "/apps/store/volumes/\(id)").json["attached_machine_id"]?.stringValue == machineID)

            // Destroying the machine detaches it; then the volume can go.
            _ = try await sim.wait("store", machineID, "started")
            try await sim.expect(200, .DELETE, "/apps/store/machines/\(machineID)?force=true")
            #expect(try await sim.wait("store", machineID, "destroyed").status == 200)
            #expect(try await sim.expect(200, .GET, "/apps/store/volumes/\(id)").json["attached_machine_id"] == nil)
            let deleted = try await sim.expect(200, .DELETE, "/apps/store/volumes/\(id)").json
            #expect(deleted["state"] == "destroyed")
            try await sim.expect(404, .GET, "/apps/store/volumes/\(id)")
            try await sim.expect(404, .DELETE, "/apps/store/volumes/\(id)")
            let live = try await sim.expect(200, .GET, "/apps/store/volumes").json.arrayValue ?? []
            #expect(live.compactMap { $0["id"]?.stringValue } == [spare])
            let current = try await sim.expect(200, .GET, "/orgs/personal/volumes").json["volumes"]?.arrayValue ?? []
            #expect(current.compactMap { $0["id"]?.stringValue } == [spare])
            let history = try await sim.expect(200, .GET, "/orgs/personal/volumes?include_deleted=true").json
            #expect(history["volumes"]?.arrayValue?.first { $0["id"]?.stringValue == id }?["state"] == "destroyed")
        }
    }

    @Test("extend only grows and answers ExtendVolumeResponse; update changes retention and backups", .timeLimit(.minutes(1)))
    func extendAndUpdate() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("store")
            let id = try #require(
                try await sim.expect(200, .POST, "/apps/store/volumes", json: ["region": "fra", "size_gb": 5]).json["id"]?.stringValue)
            let path = "/apps/store/volumes/\(id)"
            for size in [4, 5, 501] {
                let refused = try await sim.expect(400, .PUT, path + "/extend", json: ["size_gb": .int(size)]).json
                #expect(refused["error"]?.stringValue?.hasPrefix("invalid_argument:") == true)
            }
            try await sim.expect(400, .PUT, path + "/extend", json: ["size_gb": "big"])
            let extended = try await sim.expect(200, .PUT, path + "/extend", json: ["size_gb": 8]).json
            #expect(extended["needs_restart"] == false)
            #expect(extended["volume"]?["size_gb"] == 8 && extended["volume"]?["bytes_total"]?.int64Value == 8 << 30)
            #expect(try await sim.expect(200, .GET, path).json["size_gb"] == 8)

            let updated = try await sim.expect(200, .PUT, path, json: ["snapshot_retention": 14, "auto_backup_enabled": false]).json
            #expect(updated["snapshot_retention"] == 14 && updated["auto_backup_enabled"] == false && updated["size_gb"] == 8)
            try await sim.expect(400, .PUT, path, json: ["snapshot_retention": 61])
            try await sim.expect(400, .PUT, path, json: ["auto_backup_enabled": 1])
            try await sim.expect(404, .PUT, "/apps/store/volumes/vol_0000000000000000/extend", json: ["size_gb": 9])
        }
    }

    @Test("snapshots are listed with sizes and retention and restore into a new volume", .timeLimit(.minutes(1)))
    func snapshots() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("store")
            let id = try #require(
                try await sim.expect(
                    200, .POST, "/apps/store/volumes", json: ["region": "syd", "size_gb": 2, "snapshot_retention": 9]
                ).json["id"]?.stringValue)
            #expect(try await sim.expect(200, .GET, "/apps/store/volumes/\(id)/snapshots").json == [])
            let taken = try await sim.expect(200, .POST, "/apps/store/volumes/\(id)/snapshots")
            #expect(taken.bytes.isEmpty)
            try await sim.expect(200, .POST, "/apps/store/volumes/\(id)/snapshots")
            let list = try await sim.expect(200, .GET, "/apps/store/volumes/\(id)/snapshots").json.arrayValue ?? []
            #expect(list.count == 2)
            let first = try #require(list.first)
            let snapshotID = try #require(first["id"]?.stringValue)
            #expect(snapshotID.hasPrefix("vs_") && snapshotID.count == 19 && list[1]["id"] != first["id"])
            #expect(first["retention_days"] == 9 && first["volume_size"]?.int64Value == 2 << 30)
            #expect(first["size"]?.int64Value ?? 0 > 0 && first["status"] == "created")
            #expect(first["created_at"]?.stringValue.flatMap(WallClock.init(rfc3339:)) != nil)

            let restored = try await sim.expect(
                200, .POST, "/apps/store/volumes", json: ["region": "syd", "name": "copy", "snapshot_id": .string(snapshotID)]).json
            #expect(restored["size_gb"] == 2 && restored["id"]?.stringValue != id)
            try await sim.expect(400, .POST, "/apps/store/volumes", json: ["region": "syd", "size_gb": 1, "snapshot_id": .string(snapshotID)])
            let forked = try await sim.expect(200, .POST, "/apps/store/volumes", json: ["source_volume_id": .string(id)]).json
            #expect(forked["region"] == "syd" && forked["size_gb"] == 2)
            try await sim.expect(404, .POST, "/apps/store/volumes/vol_0000000000000000/snapshots")
        }
    }

    @Test("the organisation list holds the volumes of every app of that organisation, paged", .timeLimit(.minutes(1)))
    func orgList() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("one", org: "acme")
            try await sim.createApp("two", org: "acme")
            try await sim.createApp("three", org: "other")
            var ids: [String] = []
            for app in ["one", "two", "one"] {
                let volume = try await sim.expect(200, .POST, "/apps/\(app)/volumes", json: ["region": "lhr"]).json
                ids.append(try #require(volume["id"]?.stringValue))
            }
            try await sim.expect(200, .POST, "/apps/three/volumes", json: ["region": "lhr"])
            let all = try await sim.expect(200, .GET, "/orgs/acme/volumes").json
            let listed = all["volumes"]?.arrayValue ?? []
            #expect(listed.compactMap { $0["id"]?.stringValue } == ids.sorted())
            #expect(Set(listed.compactMap { $0["app_name"]?.stringValue }) == ["one", "two"])
            #expect(all["next_cursor"] == nil && all["last_volume_id"]?.stringValue == ids.max())

            let page = try await sim.expect(200, .GET, "/orgs/acme/volumes?limit=2").json
            let cursor = try #require(page["next_cursor"]?.stringValue)
            let rest = try await sim.expect(200, .GET, "/orgs/acme/volumes?limit=2&cursor=\(cursor)").json
            #expect(rest["volumes"]?.arrayValue?.count == 1 && rest["next_cursor"] == nil)
            #expect(try await sim.expect(200, .GET, "/orgs/acme/volumes?region=ams").json["volumes"] == [])
            #expect(try await sim.expect(200, .GET, "/orgs/nobody/volumes").json["volumes"] == [])
            try await sim.expect(400, .GET, "/orgs/acme/volumes?updated_after=soon")
        }
    }
}
