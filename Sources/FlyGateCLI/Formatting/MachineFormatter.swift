import FlyGateJSON
import FlyMachinesProto

/// Machines and what belongs to them (events, processes, versions, leases) as text for people.
package enum MachineFormatter {
    /// One line per machine: ID, NAME, STATE, REGION, IMAGE, UPDATED.
    package static func table(_ machines: [Flygate_Machines_V1_Machine]) -> String {
        var table = TableFormatter(headers: ["ID", "NAME", "STATE", "REGION", "IMAGE", "UPDATED"])
        for machine in machines {
            table.append([machine.id, machine.name, machine.state, machine.region, image(of: machine), machine.updatedAt])
        }
        return table.render()
    }

    /// One machine's key fields, one per line.
    package static func detail(_ machine: Flygate_Machines_V1_Machine) -> String {
        let extra = machine.jsonValue()
        var fields = FieldList()
        fields.append("id", machine.id)
        fields.append("name", machine.name)
        fields.append("state", machine.state)
        fields.append("region", machine.region)
        fields.append("image", image(of: machine))
        fields.append("private_ip", machine.privateIp)
        fields.append("version", machine.hasInstanceID ? machine.instanceID : extra["version"]?.stringValue)
        fields.append("created", machine.createdAt)
        fields.append("updated", machine.updatedAt)
        fields.append("cordoned", extra["cordoned"]?.boolValue.map { $0 ? "yes" : "no" })
        fields.append("host_status", machine.hostStatus)
        if machine.hasConfig, machine.config.hasGuest { fields.append("guest", guest(machine.config.guest)) }
        if machine.hasConfig, !machine.config.metadata.isEmpty {
            fields.append("metadata", machine.config.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        for check in machine.checks {
            fields.append("check", "\(check.name): \(check.status)")
        }
        return fields.render()
    }

    /// `shared, 1 cpu, 256 MB` (plus GPUs when there are any).
    package static func guest(_ guest: Flygate_Machines_V1_MachineGuest) -> String {
        var parts: [String] = []
        if guest.hasCpuKind { parts.append(guest.cpuKind) }
        if guest.hasCpus { parts.append("\(guest.cpus) cpu" + (guest.cpus == 1 ? "" : "s")) }
        if guest.hasMemoryMb { parts.append("\(guest.memoryMb) MB") }
        if guest.hasGpus, guest.gpus > 0 { parts.append("\(guest.gpus) gpu \(guest.gpuKind)".trimmingSuffixBlank()) }
        return parts.joined(separator: ", ")
    }

    /// The image the machine runs: its config's, else the resolved reference's.
    package static func image(of machine: Flygate_Machines_V1_Machine) -> String {
        if machine.hasConfig, machine.config.hasImage { return machine.config.image }
        guard machine.hasImageRef else { return "" }
        let reference = machine.imageRef
        let repository = reference.hasRegistry ? "\(reference.registry)/\(reference.repository)" : reference.repository
        return reference.hasTag ? "\(repository):\(reference.tag)" : repository
    }

    /// Events newest first as Fly sends them: TIME, TYPE, STATUS, SOURCE.
    package static func events(_ events: [Flygate_Machines_V1_MachineEvent]) -> String {
        var table = TableFormatter(headers: ["TIME", "TYPE", "STATUS", "SOURCE"])
        for event in events {
            let time = event.hasTimestamp ? TimeFormat.rfc3339(unixMilliseconds: event.timestamp) : ""
            table.append([time, event.type, event.status, event.source])
        }
        return table.render()
    }

    /// Processes: PID, CPU, RSS, COMMAND, LISTEN.
    package static func processes(_ processes: [Flygate_Machines_V1_ProcessStat]) -> String {
        var table = TableFormatter(headers: ["PID", "CPU", "RSS", "COMMAND", "LISTEN"])
        for process in processes {
            let listen = process.listenSockets.map { "\($0.proto) \($0.address)" }.joined(separator: ", ")
            table.append([
                process.hasPid ? String(process.pid) : "", process.hasCpu ? String(process.cpu) : "",
                process.hasRss ? TimeFormat.bytes(process.rss) : "", process.command, listen,
            ])
        }
        return table.render()
    }

    /// Versions: VERSION, IMAGE, GUEST.
    package static func versions(_ versions: [Flygate_Machines_V1_MachineVersion]) -> String {
        var table = TableFormatter(headers: ["VERSION", "IMAGE", "GUEST"])
        for version in versions {
            let config = version.userConfig
            table.append([version.version, config.image, config.hasGuest ? guest(config.guest) : ""])
        }
        return table.render()
    }

    /// Metadata sorted by key: KEY, VALUE.
    package static func metadata(_ metadata: [String: String]) -> String {
        var table = TableFormatter(headers: ["KEY", "VALUE"])
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { table.append([key, value]) }
        return table.render()
    }

    /// An organization's machines: ID, APP, NAME, STATE, REGION, IMAGE, UPDATED; then the cursor.
    package static func orgMachines(_ page: Flygate_Machines_V1_OrgMachinesResponse) -> String {
        var table = TableFormatter(headers: ["ID", "APP", "NAME", "STATE", "REGION", "IMAGE", "UPDATED"])
        for machine in page.machines {
            table.append([
                machine.id, machine.appName, machine.name, machine.state, machine.region, machine.config.image, machine.updatedAt,
            ])
        }
        var text = table.render()
        if !page.errorRegions.isEmpty { text += "regions that did not answer: \(page.errorRegions.joined(separator: ", "))\n" }
        if page.hasNextCursor, !page.nextCursor.isEmpty { text += "next page: --cursor \(page.nextCursor)\n" }
        return text
    }

    /// A lease: nonce, owner, expiry (absolute and relative to `now`, Unix seconds), description.
    package static func lease(_ lease: Flygate_Machines_V1_Lease, now: Int64) -> String {
        var fields = FieldList()
        fields.append("nonce", lease.nonce)
        fields.append("owner", lease.owner)
        if lease.hasExpiresAt {
            fields.append(
                "expires",
                "\(TimeFormat.rfc3339(unixSeconds: lease.expiresAt)) (\(TimeFormat.relative(unixSeconds: lease.expiresAt, now: now)))")
        }
        fields.append("description", lease.description_p)
        fields.append("version", lease.version)
        return fields.render()
    }
}

extension String {
    fileprivate func trimmingSuffixBlank() -> String {
        hasSuffix(" ") ? String(dropLast()) : self
    }
}
