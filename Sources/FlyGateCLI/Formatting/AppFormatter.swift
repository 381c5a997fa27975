import FlyMachinesProto

/// Apps and their IP addresses as text for people.
package enum AppFormatter {
    /// One line per app: NAME, ORG, STATUS, MACHINES, VOLUMES, NETWORK.
    package static func table(_ apps: [Flygate_Apps_V1_App]) -> String {
        var table = TableFormatter(headers: ["NAME", "ORG", "STATUS", "MACHINES", "VOLUMES", "NETWORK"])
        for app in apps {
            table.append([
                app.name, app.organization.slug, app.status, app.hasMachineCount ? String(app.machineCount) : "",
                app.hasVolumeCount ? String(app.volumeCount) : "", app.network,
            ])
        }
        return table.render()
    }

    /// One app's fields, one per line.
    package static func detail(_ app: Flygate_Apps_V1_App) -> String {
        var fields = FieldList()
        fields.append("name", app.name)
        fields.append("id", app.id)
        fields.append("org", app.hasOrganization ? organization(app.organization) : nil)
        fields.append("status", app.status)
        fields.append("network", app.network)
        fields.append("machines", app.hasMachineCount ? String(app.machineCount) : nil)
        fields.append("volumes", app.hasVolumeCount ? String(app.volumeCount) : nil)
        return fields.render()
    }

    /// `my-org (My Org)`, or whichever of slug and name there is.
    private static func organization(_ organization: Flygate_Apps_V1_AppOrganizationInfo) -> String {
        switch (organization.slug.isEmpty, organization.name.isEmpty) {
        case (false, false) where organization.name != organization.slug: "\(organization.slug) (\(organization.name))"
        case (false, _): organization.slug
        default: organization.name
        }
    }

    /// One line per address: IP, REGION, SHARED, SERVICE, CREATED.
    package static func ips(_ ips: [Flygate_Apps_V1_IPAssignment]) -> String {
        var table = TableFormatter(headers: ["IP", "REGION", "SHARED", "SERVICE", "CREATED"])
        for ip in ips {
            table.append([ip.ip, ip.region, ip.hasShared ? (ip.shared ? "yes" : "no") : "", ip.serviceName, ip.createdAt])
        }
        return table.render()
    }
}
