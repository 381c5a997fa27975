import Crypto
import FlyGateJSON

/// One hostname's TLS certificates: a Fly-managed (ACME) part, a custom part, or both.
///
/// Nothing moves on its own: a new ACME request stays `pending_validation` and an uploaded
/// certificate `pending_ownership` until `POST …/check`, which the simulator treats as finding DNS
/// pointed at the app, so the ACME certificate is issued and the custom one verified.
package struct CertificateRecord: Sendable {
    /// An uploaded certificate (the private key is checked and dropped, never kept).
    package struct Custom: Sendable {
        /// What the chain's leaf says.
        package var certificate: PEMCertificate
        /// When it was uploaded.
        package var createdAt: WallClock
        /// Whether a check has verified the hostname's ownership.
        package var verified = false
    }

    /// How long the simulated Let's Encrypt certificates last.
    package static let acmeLifetime: Duration = .seconds(90 * 86_400)

    /// The hostname, lower-cased; `*.` for a wildcard.
    package var hostname: String
    /// When the hostname was added.
    package var createdAt: WallClock
    /// When anything about it last changed.
    package var updatedAt: WallClock
    /// When ACME issuance was requested, if it is.
    package var acmeRequestedAt: WallClock?
    /// When the ACME certificates were issued, once a check let them be.
    package var acmeIssuedAt: WallClock?
    /// The uploaded certificate, if any.
    package var custom: Custom?
    /// Whether a check found DNS set up.
    package var checked = false

    /// Whether `name` is a DNS hostname (optionally a `*.` wildcard) Fly could issue for.
    package static func isValidHostname(_ name: String) -> Bool {
        let bare = name.hasPrefix("*.") ? String(name.dropFirst(2)) : name
        let labels = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, bare.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
        }
    }

    /// Whether some certificate for the hostname is serving.
    package var isActive: Bool { acmeIssuedAt != nil || custom?.verified == true }

    /// The overall `status`: `active`, else the pending part's state, else `inactive` (no
    /// certificate left; the document names no values, these follow `CertificateEntry.status`).
    package var status: String {
        if isActive { return "active" }
        if acmeRequestedAt != nil { return "pending_validation" }
        if custom != nil { return "pending_ownership" }
        return "inactive"
    }

    /// `CertificateDetail` (and, with `dnsRecords`, `CertificateCheckResponse`); `ips` are the app's addresses.
    package func detailJSON(app: String, ips: [IPAssignmentRecord], dnsRecords: Bool = false, warning: String? = nil)
        -> JSONValue
    {
        let requirements = dnsRequirements(app: app, ips: ips)
        var object = JSONObject()
        object.append("hostname", .string(hostname))
        object.append("status", .string(status))
        object.append("configured", .bool(isActive))
        object.append("acme_requested", .bool(acmeRequestedAt != nil))
        object.append("certificates", .array(entries))
        object.append(
            "validation",
            [
                "dns_configured": .bool(checked), "alpn_configured": .bool(checked), "http_configured": .bool(checked),
                "ownership_txt_configured": .bool(checked),
            ])
        object.append("dns_requirements", requirements)
        if dnsRecords {
            let addresses = (requirements["a"]?.arrayValue ?? []) + (requirements["aaaa"]?.arrayValue ?? [])
            object.append(
                "dns_records",
                [
                    "a": requirements["a"] ?? [], "aaaa": requirements["aaaa"] ?? [], "cname": [],
                    "resolved_addresses": .array(addresses),
                    "acme_challenge_cname": requirements["acme_challenge"]?["target"] ?? "",
                    "ownership_txt": requirements["ownership"]?["app_value"] ?? "",
                ])
        }
        if !checked, acmeRequestedAt != nil || custom != nil {
            object.append(
                "validation_errors",
                [[
                    "code": "dns_not_verified", "message": .string("DNS for \(hostname) has not been verified yet"),
                    "remediation": .string("Point \(hostname) at the app's addresses, then run a check"),
                    "timestamp": .string(updatedAt.rfc3339),
                ]])
        }
        if let warning { object.append("warning", .string(warning)) }
        return .object(object)
    }

    /// `CertificateSummary`.
    package var summaryJSON: JSONValue {
        var object = JSONObject()
        object.append("hostname", .string(hostname))
        object.append("status", .string(status))
        object.append("configured", .bool(isActive))
        object.append("acme_requested", .bool(acmeRequestedAt != nil))
        object.append("acme_dns_configured", .bool(checked))
        object.append("acme_alpn_configured", .bool(checked))
        object.append("acme_http_configured", .bool(checked))
        object.append("ownership_txt_configured", .bool(checked))
        object.append("has_custom_certificate", .bool(custom != nil))
        object.append("has_fly_certificate", .bool(acmeIssuedAt != nil))
        object.append("created_at", .string(createdAt.rfc3339))
        object.append("updated_at", .string(updatedAt.rfc3339))
        return .object(object)
    }

    /// The `CertificateEntry` objects: Fly's first, then the custom one.
    private var entries: [JSONValue] {
        var entries: [JSONValue] = []
        if let requested = acmeRequestedAt {
            var entry = JSONObject()
            entry.append("source", "fly")
            entry.append("status", acmeIssuedAt == nil ? "pending_validation" : "active")
            entry.append("created_at", .string(requested.rfc3339))
            if let issued = acmeIssuedAt {
                let expires = issued.adding(Self.acmeLifetime).rfc3339
                entry.append("expires_at", .string(expires))
                entry.append("issuer", "Let's Encrypt")
                entry.append(
                    "issued",
                    .array(["rsa", "ecdsa"].map { type in
                        ["type": .string(type), "certificate_authority": "lets_encrypt", "expires_at": .string(expires)]
                    }))
            } else {
                entry.append("issued", [])
            }
            entries.append(.object(entry))
        }
        if let custom {
            let expires = custom.certificate.notAfter.rfc3339
            var entry = JSONObject()
            entry.append("source", "custom")
            entry.append("status", custom.verified ? "active" : "pending_ownership")
            entry.append("created_at", .string(custom.createdAt.rfc3339))
            entry.append("expires_at", .string(expires))
            entry.append("issuer", .string(custom.certificate.issuer))
            entry.append(
                "issued",
                [[
                    "type": .string(custom.certificate.keyType), "certificate_authority": .string(custom.certificate.issuer),
                    "expires_at": .string(expires),
                ]])
            entries.append(.object(entry))
        }
        return entries
    }

    /// Where DNS must point: the app's addresses, its `fly.dev` name, and the challenge records.
    private func dnsRequirements(app: String, ips: [IPAssignmentRecord]) -> JSONValue {
        let bare = hostname.hasPrefix("*.") ? String(hostname.dropFirst(2)) : hostname
        let token = String(ByteFields.hex(SHA256.hash(data: Array((app + "|" + bare).utf8))).prefix(12))
        let publicIPs = ips.filter { $0.kind != .privateV6 }
        return [
            "a": .array(publicIPs.filter { !$0.ip.contains(":") }.map { .string($0.ip) }),
            "aaaa": .array(publicIPs.filter { $0.ip.contains(":") }.map { .string($0.ip) }),
            "cname": .string("\(app).fly.dev"),
            "acme_challenge": ["name": .string("_acme-challenge.\(bare)"), "target": .string("\(bare).\(token).flydns.net")],
            "ownership": [
                "name": .string("_fly-ownership.\(bare)"), "app_value": .string("app-\(token)"),
                "org_value": .string("org-\(token.prefix(8))"),
            ],
        ]
    }
}
