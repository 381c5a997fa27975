import FlyMachinesProto

/// Fly's regions and placements as text for people.
package enum PlatformFormatter {
    /// One line per region: CODE (with * for the nearest), NAME, AREA, GATEWAY, PAID ONLY, DEPRECATED.
    package static func regions(_ answer: Flygate_Platform_V1_RegionResponse) -> String {
        var table = TableFormatter(headers: ["CODE", "NAME", "AREA", "GATEWAY", "PAID ONLY", "DEPRECATED"])
        for region in answer.regions {
            let code = answer.hasNearest && region.code == answer.nearest ? region.code + " *" : region.code
            table.append([
                code, region.name, region.geoRegion, yesNo(region.hasGatewayAvailable ? region.gatewayAvailable : nil),
                yesNo(region.hasRequiresPaidPlan ? region.requiresPaidPlan : nil), yesNo(region.hasDeprecated ? region.deprecated : nil),
            ])
        }
        return table.render()
    }

    /// One line per region: REGION, COUNT, CONCURRENCY.
    package static func placements(_ placements: [Flygate_Platform_V1_RegionPlacement]) -> String {
        var table = TableFormatter(headers: ["REGION", "COUNT", "CONCURRENCY"])
        for placement in placements {
            table.append([
                placement.region, placement.hasCount ? String(placement.count) : "",
                placement.hasConcurrency ? String(placement.concurrency) : "",
            ])
        }
        return table.render()
    }

    private static func yesNo(_ value: Bool?) -> String {
        value.map { $0 ? "yes" : "no" } ?? ""
    }
}
