import ArgumentParser
import FlyMachinesProto
import Foundation
import Testing

@testable import FlyGateCLI

@Suite("Every rpc of every service has a verb", .timeLimit(.minutes(1)))
struct EveryRPCHasAVerbTests {
    /// The rpcs that have no verb on purpose, with the reason. Empty: every rpc has one.
    static let verbless: [MachinesRPC: String] = [:]

    /// A command line per rpc that makes that call (certs import reads two files: `CHAIN`, `KEY`).
    static let verbs: [MachinesRPC: [String]] = [
        .list: ["machines", "list", "a"], .show: ["machines", "show", "a", "m"],
        .create: ["machines", "create", "a", "--image", "i"], .update: ["machines", "update", "a", "m", "--image", "i"],
        .delete: ["machines", "delete", "a", "m"], .start: ["machines", "start", "a", "m"], .stop: ["machines", "stop", "a", "m"],
        .restart: ["machines", "restart", "a", "m"], .suspend: ["machines", "suspend", "a", "m"],
        .signal: ["machines", "signal", "a", "m", "HUP"], .cordon: ["machines", "cordon", "a", "m"],
        .uncordon: ["machines", "uncordon", "a", "m"], .wait: ["machines", "wait", "a", "m"],
        .exec: ["machines", "exec", "a", "m", "--", "ls"], .listProcesses: ["machines", "ps", "a", "m"],
        .listEvents: ["machines", "events", "a", "m"], .listVersions: ["machines", "versions", "a", "m"],
        .showLease: ["machines", "lease", "show", "a", "m"], .createLease: ["machines", "lease", "create", "a", "m"],
        .releaseLease: ["machines", "lease", "release", "a", "m"], .showMetadata: ["machines", "metadata", "show", "a", "m"],
        .getMetadataKey: ["machines", "metadata", "get", "a", "m", "k"],
        .updateMetadata: ["machines", "metadata", "set", "a", "m", "k", "v"],
        .deleteMetadata: ["machines", "metadata", "delete", "a", "m", "k"],
        .patchMetadata: ["machines", "metadata", "patch", "a", "m", "--set", "k=v"],
        .getMemory: ["machines", "memory", "show", "a", "m"], .setMemoryLimit: ["machines", "memory", "set", "a", "m", "--limit-mb", "1"],
        .reclaimMemory: ["machines", "memory", "reclaim", "a", "m", "--amount-mb", "1"],
        .listOrgMachines: ["machines", "org-list", "o"],

        .listApps: ["apps", "list"], .createApp: ["apps", "create", "a", "--org", "o"], .showApp: ["apps", "show", "a"],
        .deleteApp: ["apps", "delete", "a"], .listIPAssignments: ["ips", "list", "a"],
        .createIPAssignment: ["ips", "allocate", "a", "--type", "v6"], .deleteIPAssignment: ["ips", "release", "a", "::1"],

        .listVolumes: ["volumes", "list", "a"], .createVolume: ["volumes", "create", "a", "--name", "n", "--region", "r", "--size-gb", "1"],
        .getVolume: ["volumes", "show", "a", "v"], .updateVolume: ["volumes", "update", "a", "v", "--auto-backup"],
        .deleteVolume: ["volumes", "delete", "a", "v"], .extendVolume: ["volumes", "extend", "a", "v", "--size-gb", "2"],
        .listVolumeSnapshots: ["volumes", "snapshots", "a", "v"], .createVolumeSnapshot: ["volumes", "snapshot", "a", "v"],
        .listOrgVolumes: ["volumes", "org-list", "o"],

        .listSecrets: ["secrets", "list", "a"], .updateSecrets: ["secrets", "import", "a"], .getSecret: ["secrets", "show", "a", "s"],
        .createSecret: ["secrets", "set", "a", "s"], .deleteSecret: ["secrets", "delete", "a", "s"],
        .listSecretKeys: ["secrets", "keys", "list", "a"], .getSecretKey: ["secrets", "keys", "show", "a", "k"],
        .setSecretKey: ["secrets", "keys", "set", "a", "k", "--type", "t"], .deleteSecretKey: ["secrets", "keys", "delete", "a", "k"],
        .generateSecretKey: ["secrets", "keys", "generate", "a", "k", "--type", "t"],
        .encrypt: ["secrets", "encrypt", "a", "k"], .decrypt: ["secrets", "decrypt", "a", "k"], .sign: ["secrets", "sign", "a", "k"],
        .verify: ["secrets", "verify", "a", "k", "--signature-file", "KEY"],

        .listCertificates: ["certs", "list", "a"], .createAcmeCertificate: ["certs", "add", "a", "h"],
        .createCustomCertificate: ["certs", "import", "a", "h", "--fullchain-file", "CHAIN", "--key-file", "KEY"],
        .showCertificate: ["certs", "show", "a", "h"], .deleteCertificate: ["certs", "delete", "a", "h"],
        .deleteAcmeCertificate: ["certs", "delete", "a", "h", "--acme-only"],
        .deleteCustomCertificate: ["certs", "delete", "a", "h", "--custom-only"], .checkCertificate: ["certs", "check", "a", "h"],

        .listRegions: ["regions", "list"], .getPlacements: ["regions", "placements"],
    ]

    @Test("every rpc has a verb or a reason not to; a new rpc fails here until it gets one")
    func everyRPCIsCovered() {
        let covered = Set(Self.verbs.keys).union(Self.verbless.keys)
        let missing = MachinesRPC.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "rpcs with no verb: \(missing.map(\.rawValue))")
        #expect(Set(Self.verbs.keys).isDisjoint(with: Self.verbless.keys))
        #expect(Self.verbless.values.allSatisfy { !$0.isEmpty })
    }

    @Test("each rpc's verb makes that call, in the group of its service", arguments: MachinesRPC.allCases)
    func verbMakesTheCall(rpc: MachinesRPC) async throws {
        guard let template = Self.verbs[rpc] else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flygate-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String: String] = [:]
        for name in ["CHAIN", "KEY"] {
            let path = directory.appendingPathComponent(name).path
            try Data("-----BEGIN X-----\nAAAA\n-----END X-----\n".utf8).write(to: URL(fileURLWithPath: path))
            files[name] = path
        }
        let arguments = template.map { files[$0] ?? $0 }
        let client = FakeMachinesClient([
            .show: [.body(try json(machineJSON))], .encrypt: [.body(try json(#"{"ciphertext": [1]}"#))],
            .decrypt: [.body(try json(#"{"plaintext": [1]}"#))], .sign: [.body(try json(#"{"signature": [1]}"#))],
        ])
        _ = try await run(arguments, on: client, stdin: .text("A=1\n"))
        #expect(client.calls.last?.rpc == rpc, "\(arguments)")
        #expect(Self.group(of: rpc.serviceName).contains(arguments[0]), "\(arguments) is not in the group of \(rpc.serviceName)")
    }

    /// The command groups that serve a service's rpcs.
    private static func group(of service: String) -> [String] {
        switch service {
        case "flygate.machines.v1.Machines": ["machines"]
        case "flygate.apps.v1.Apps": ["apps", "ips"]
        case "flygate.volumes.v1.Volumes": ["volumes"]
        case "flygate.secrets.v1.Secrets": ["secrets"]
        case "flygate.certificates.v1.Certificates": ["certs"]
        case "flygate.platform.v1.Platform": ["regions"]
        default: []
        }
    }

    @Test("every group and verb has a one-line abstract for --help")
    func everyVerbHasHelp() {
        var unexplained: [String] = []
        func visit(_ command: any ParsableCommand.Type, path: String) {
            let configuration = command.configuration
            let name = path + " " + (configuration.commandName ?? "?")
            if configuration.abstract.isEmpty { unexplained.append(name) }
            for subcommand in configuration.subcommands { visit(subcommand, path: name) }
        }
        for group in CLICommandGroups.all { visit(group, path: "flygate") }
        #expect(unexplained.isEmpty, "no abstract: \(unexplained)")
        let help = CLIRoot.helpMessage()
        for group in ["machines", "apps", "volumes", "secrets", "certs", "ips", "regions", "status", "leases"] {
            #expect(help.contains("  \(group) "), "flygate --help does not list \(group)")
        }
    }
}
