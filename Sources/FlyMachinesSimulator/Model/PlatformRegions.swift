import FlyGateJSON

/// Fly's regions as the simulator knows them: a fixed table in the shape of `main.regionRow`, and
/// the region expressions placements take (`lhr,eu`, `any`).
package enum PlatformRegions {
    /// One region.
    package struct Region: Sendable {
        /// The three-letter code.
        package var code: String
        /// City and country.
        package var name: String
        /// Coordinates of the data centre.
        package var latitude: Double
        /// Coordinates of the data centre.
        package var longitude: Double
        /// `africa`, `asia_pacific`, `europe`, `north_america` or `south_america` (FLYGO's `GeoRegion`).
        package var geoRegion: String
        /// Whether WireGuard gateways run there.
        package var gatewayAvailable = true
        /// Whether only paid organisations may place machines there.
        package var requiresPaidPlan = false
        /// Whether Fly is winding it down (no new placements).
        package var deprecated = false

        /// The `main.regionRow` object.
        package var json: JSONValue {
            var object = JSONObject()
            object.append("code", .string(code))
            object.append("name", .string(name))
            object.append("latitude", .double(latitude))
            object.append("longitude", .double(longitude))
            object.append("gateway_available", .bool(gatewayAvailable))
            object.append("requires_paid_plan", .bool(requiresPaidPlan))
            object.append("deprecated", .bool(deprecated))
            object.append("geo_region", .string(geoRegion))
            return .object(object)
        }
    }

    /// The region the simulator pretends to answer from (`nearest`, and the placement default).
    package static let nearest = "iad"

    /// Every region, by code.
    package static let all: [Region] = [
        Region(code: "ams", name: "Amsterdam, Netherlands", latitude: 52.374342, longitude: 4.895439, geoRegion: "europe"),
        Region(code: "arn", name: "Stockholm, Sweden", latitude: 59.6512, longitude: 17.9178, geoRegion: "europe"),
        Region(code: "bom", name: "Mumbai, India", latitude: 19.097403, longitude: 72.874245, geoRegion: "asia_pacific"),
        Region(
            code: "bos", name: "Boston, Massachusetts (US)", latitude: 42.366978, longitude: -71.022362,
            geoRegion: "north_america", gatewayAvailable: false, deprecated: true),
        Region(code: "cdg", name: "Paris, France", latitude: 48.860875, longitude: 2.353477, geoRegion: "europe"),
        Region(code: "dfw", name: "Dallas, Texas (US)", latitude: 32.778287, longitude: -96.7984, geoRegion: "north_america"),
        Region(code: "ewr", name: "Secaucus, NJ (US)", latitude: 40.789543, longitude: -74.056665, geoRegion: "north_america"),
        Region(code: "fra", name: "Frankfurt, Germany", latitude: 50.1167, longitude: 8.6833, geoRegion: "europe"),
        Region(code: "gru", name: "Sao Paulo, Brazil", latitude: -23.549664, longitude: -46.654351, geoRegion: "south_america"),
        Region(code: "iad", name: "Ashburn, Virginia (US)", latitude: 39.02214, longitude: -77.462556, geoRegion: "north_america"),
        Region(
            code: "jnb", name: "Johannesburg, South Africa", latitude: -26.20227, longitude: 28.04363, geoRegion: "africa",
            gatewayAvailable: false, requiresPaidPlan: true),
        Region(code: "lax", name: "Los Angeles, California (US)", latitude: 33.9416, longitude: -118.4085, geoRegion: "north_america"),
        Region(code: "lhr", name: "London, United Kingdom", latitude: 51.516434, longitude: -0.125656, geoRegion: "europe"),
        Region(
            code: "mad", name: "Madrid, Spain", latitude: 40.4381, longitude: -3.82, geoRegion: "europe", gatewayAvailable: false,
            deprecated: true),
        Region(code: "nrt", name: "Tokyo, Japan", latitude: 35.621152, longitude: 139.741366, geoRegion: "asia_pacific"),
        Region(code: "ord", name: "Chicago, Illinois (US)", latitude: 41.891544, longitude: -87.630386, geoRegion: "north_america"),
        Region(code: "sin", name: "Singapore, Singapore", latitude: 1.3, longitude: 103.8, geoRegion: "asia_pacific"),
        Region(code: "sjc", name: "San Jose, California (US)", latitude: 37.351601, longitude: -121.896744, geoRegion: "north_america"),
        Region(code: "syd", name: "Sydney, Australia", latitude: -33.866034, longitude: 151.200164, geoRegion: "asia_pacific"),
        Region(code: "yyz", name: "Toronto, Canada", latitude: 43.644406, longitude: -79.382009, geoRegion: "north_america"),
    ]

    /// The region `code`, if it is one.
    package static func find(_ code: String) -> Region? {
        all.first { $0.code == code }
    }

    /// Region aliases a placement expression may use, and the geographic regions they stand for.
    private static let aliases: [String: Set<String>] = [
        "any": ["africa", "asia_pacific", "europe", "north_america", "south_america"],
        "eu": ["europe"], "europe": ["europe"],
        "us": ["north_america"], "na": ["north_america"], "north_america": ["north_america"],
        "sa": ["south_america"], "south_america": ["south_america"],
        "ap": ["asia_pacific"], "asia": ["asia_pacific"], "asia_pacific": ["asia_pacific"],
        "af": ["africa"], "africa": ["africa"],
    ]

    /// The live regions a comma-separated expression names, in order, codes before the regions an
    /// alias adds; empty text means Fly's default, `<nearest>,any`. 400 for an unknown name.
    package static func expand(_ expression: String) throws(SimulatorError) -> [Region] {
        let terms = expression.isEmpty
            ? [nearest, "any"] : expression.split(separator: ",").map { $0.split(separator: " ").joined().lowercased() }
        var chosen: [Region] = []
        for term in terms where !term.isEmpty {
            if let region = find(term) {
                guard !region.deprecated else { throw .invalidArgument("region \(term) is deprecated") }
                if !chosen.contains(where: { $0.code == term }) { chosen.append(region) }
            } else if let geographies = aliases[term] {
                let added = all.filter { !$0.deprecated && geographies.contains($0.geoRegion) }
                    .sorted { distance($0) < distance($1) }
                for region in added where !chosen.contains(where: { $0.code == region.code }) { chosen.append(region) }
            } else {
                throw .invalidArgument("invalid region: \(term) is neither a region nor an alias")
            }
        }
        return chosen
    }

    /// A rough distance from `nearest`, so aliases expand closest first.
    private static func distance(_ region: Region) -> Double {
        guard let origin = find(nearest) else { return 0 }
        let latitude = region.latitude - origin.latitude
        var longitude = abs(region.longitude - origin.longitude)
        if longitude > 180 { longitude = 360 - longitude }
        return latitude * latitude + longitude * longitude
    }
}
