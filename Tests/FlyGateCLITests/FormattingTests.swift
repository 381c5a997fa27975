import FlyGateJSON
import FlyMachinesProto
import Testing

@testable import FlyGateCLI

/// A machine as Fly sends it, with members no schema names (`cordoned`, `version`, `spot`, …).
let machineJSON = """
    {"id": "d8d9e1e5c43e08", "name": "quiet-sun-4521", "state": "started", "region": "iad",
     "instance_id": "01HQ73A7BFFDF1B6WMGHFZZ4E7", "version": "01HQ73A7BFFDF1B6WMGHFZZ4E7",
     "private_ip": "fdaa:0:3b99:a7b:1f7:6b2b:1a0d:2", "cordoned": false,
     "created_at": "2026-02-21T08:12:44Z", "updated_at": "2026-02-21T08:12:51Z", "host_status": "ok",
     "future_top_level_member": {"rollout": "blue"},
     "config": {"image": "nginx:1.27", "env": {"PORT": "8080", "LOG_LEVEL": "info"},
                "guest": {"cpu_kind": "shared", "cpus": 1, "memory_mb": 256, "future_guest_flag": true},
                "metadata": {"role": "web"},
                "services": [{"protocol": "tcp", "internal_port": 8080, "autostop": false}],
                "spot": {"max_price_fraction": 0.5}},
     "checks": [{"name": "http", "status": "passing"}]}
    """

@Suite("MachineFormatter")
struct MachineFormatterTests {
    @Test("one machine prints its key fields, including members only Fly's JSON has")
    func detail() throws {
        let machine = try Flygate_Machines_V1_Machine(json: json(machineJSON))
        let text = MachineFormatter.detail(machine)
        #expect(text == """
            id           d8d9e1e5c43e08
            name         quiet-sun-4521
            state        started
            region       iad
            image        nginx:1.27
            private_ip   fdaa:0:3b99:a7b:1f7:6b2b:1a0d:2
            version      01HQ73A7BFFDF1B6WMGHFZZ4E7
            created      2026-02-21T08:12:44Z
            updated      2026-02-21T08:12:51Z
            cordoned     no
            host_status  ok
            guest        shared, 1 cpu, 256 MB
            metadata     role=web
            check        http: passing

            """)
    }

    @Test("a summary listing without config shows the image from image_ref")
    func tableUsesImageRef() throws {
        let summary = try Flygate_Machines_V1_Machine(
            json: json(#"{"id":"m1","state":"stopped","image_ref":{"registry":"docker.io","repository":"library/redis","tag":"7"}}"#))
        let text = MachineFormatter.table([try Flygate_Machines_V1_Machine(json: json(machineJSON)), summary])
        #expect(text == """
            ID              NAME            STATE    REGION  IMAGE                      UPDATED
            d8d9e1e5c43e08  quiet-sun-4521  started  iad     nginx:1.27                 2026-02-21T08:12:51Z
            m1              -               stopped  -       docker.io/library/redis:7  -

            """)
    }

    @Test("events show their millisecond timestamps as UTC times")
    func events() throws {
        let event = try Flygate_Machines_V1_MachineEvent(
            json: json(#"{"id":"e1","type":"start","status":"started","source":"user","timestamp":1708503171123}"#))
        #expect(MachineFormatter.events([event]) == "TIME                  TYPE   STATUS   SOURCE\n2024-02-21T08:12:51Z  start  started  user\n")
    }

    @Test("metadata is sorted by key")
    func metadata() {
        #expect(MachineFormatter.metadata(["b": "2", "a": "1"]) == "KEY  VALUE\na    1\nb    2\n")
    }

    @Test("the lease book shows nonce prefixes and expiry relative to now")
    func leases() {
        var lease = Flygate_Gateway_V1_LeaseEntry()
        lease.appName = "my-app"
        lease.machineID = "d8d9e1e5c43e08"
        lease.noncePrefix = "5c35"
        lease.expiresAt = 1_000_090
        lease.holderUid = 1000
        lease.holderPid = 4242
        lease.renew = true
        let text = GatewayFormatter.leases([lease], now: 1_000_000)
        #expect(text.contains("my-app  d8d9e1e5c43e08  5c35…  in 1m30s  uid 1000 pid 4242  yes    -"))
    }

    @Test("stats list calls by code, OK first")
    func stats() {
        var method = Flygate_Gateway_V1_MethodStats()
        method.method = "flygate.machines.v1.Machines/Show"
        method.callsByCode = ["NOT_FOUND": 1, "OK": 12, "ABORTED": 2]
        method.upstreamCalls = 13
        method.cacheHits = 4
        var stats = Flygate_Gateway_V1_StatsResponse()
        stats.methods = [method]
        #expect(GatewayFormatter.stats(stats) == """
            METHOD  CALLS                          UPSTREAM  RETRIES  JOINED  CACHE HITS
            Show    OK 12, ABORTED 2, NOT_FOUND 1  13        0        0       4

            """)
    }
}

@Suite("PrettyJSON and times")
struct PrettyJSONTests {
    @Test("nested values are indented two spaces, empty containers stay on one line, order is kept")
    func indents() throws {
        let text = PrettyJSON.render(try json(#"{"b":1,"a":[true,null,{}],"c":[],"d":{"e":"x"}}"#))
        #expect(text == """
            {
              "b": 1,
              "a": [
                true,
                null,
                {}
              ],
              "c": [],
              "d": {
                "e": "x"
              }
            }

            """)
    }

    @Test("no body prints null")
    func noBody() {
        #expect(PrettyJSON.render(nil) == "null\n")
    }

    @Test("durations and sizes read like people write them", arguments: [
        (Int64(0), "0s"), (45, "45s"), (90, "1m30s"), (3600, "1h"), (3723, "1h2m3s"),
    ])
    func durations(seconds: Int64, text: String) {
        #expect(TimeFormat.duration(seconds: seconds) == text)
    }

    @Test("bytes")
    func bytes() {
        #expect(TimeFormat.bytes(512) == "512 B")
        #expect(TimeFormat.bytes(9_420_800) == "9.0 MB")
    }
}
