import FlyMachinesProto

/// Certificates as text for people: what Fly issued, and what DNS it still needs.
package enum CertificateFormatter {
    /// One line per host name: HOSTNAME, STATUS, SOURCE, CONFIGURED, CREATED; then the cursor.
    package static func table(_ page: Flygate_Certificates_V1_ListCertificatesResponseBody) -> String {
        var table = TableFormatter(headers: ["HOSTNAME", "STATUS", "SOURCE", "CONFIGURED", "CREATED"])
        for certificate in page.certificates {
            var sources: [String] = []
            if certificate.hasFlyCertificate_p { sources.append("fly") }
            if certificate.hasCustomCertificate_p { sources.append("custom") }
            table.append([
                certificate.hostname, certificate.status, sources.joined(separator: ","),
                certificate.hasConfigured ? (certificate.configured ? "yes" : "no") : "", certificate.createdAt,
            ])
        }
        var text = table.render()
        if page.hasNextCursor, !page.nextCursor.isEmpty { text += "next page: --cursor \(TableFormatter.sanitized(page.nextCursor))\n" }
        return text
    }

    /// A certificate's status, issued certificates, DNS requirements and validation errors.
    package static func detail(_ detail: Flygate_Certificates_V1_CertificateDetail) -> String {
        fields(detail).render()
    }

    /// What `detail` shows, then the DNS records Fly found.
    package static func check(_ check: Flygate_Certificates_V1_CertificateCheckResponse) -> String {
        // The check answer has every member of a detail, by the same names, plus dns_records.
        var fields = fields((try? Flygate_Certificates_V1_CertificateDetail(json: check.jsonValue())) ?? .init())
        if check.hasDnsRecords {
            let records = check.dnsRecords
            fields.append("found A", records.a.joined(separator: ", "))
            fields.append("found AAAA", records.aaaa.joined(separator: ", "))
            fields.append("found CNAME", records.cname.joined(separator: ", "))
            fields.append("found ACME CNAME", records.acmeChallengeCname)
            fields.append("found TXT", records.ownershipTxt)
            fields.append("resolves to", records.resolvedAddresses.joined(separator: ", "))
        }
        return fields.render()
    }

    private static func fields(_ detail: Flygate_Certificates_V1_CertificateDetail) -> FieldList {
        var fields = FieldList()
        fields.append("hostname", detail.hostname)
        fields.append("status", detail.status)
        fields.append("configured", detail.hasConfigured ? (detail.configured ? "yes" : "no") : nil)
        fields.append("acme", detail.hasAcmeRequested ? (detail.acmeRequested ? "requested" : "not requested") : nil)
        fields.append("dns_provider", detail.dnsProvider)
        fields.append("rate_limited_until", detail.rateLimitedUntil)
        for certificate in detail.certificates { fields.append("certificate", entry(certificate)) }
        if detail.hasDnsRequirements { requirements(detail.dnsRequirements, into: &fields) }
        for error in detail.validationErrors { fields.append("error", validationError(error)) }
        return fields
    }

    /// `fly active, expires 2026-05-01T00:00:00Z, Let's Encrypt`.
    private static func entry(_ entry: Flygate_Certificates_V1_CertificateEntry) -> String {
        [entry.source, entry.status, entry.expiresAt.isEmpty ? "" : "expires \(entry.expiresAt)", entry.issuer]
            .filter { !$0.isEmpty }.joined(separator: ", ")
    }

    private static func requirements(_ dns: Flygate_Certificates_V1_DNSRequirements, into fields: inout FieldList) {
        fields.append("dns A", dns.a.joined(separator: ", "))
        fields.append("dns AAAA", dns.aaaa.joined(separator: ", "))
        fields.append("dns CNAME", dns.cname)
        if dns.hasAcmeChallenge, !dns.acmeChallenge.name.isEmpty {
            fields.append("dns ACME", "CNAME \(dns.acmeChallenge.name) -> \(dns.acmeChallenge.target)")
        }
        if dns.hasOwnership, !dns.ownership.name.isEmpty {
            let value = dns.ownership.appValue.isEmpty ? dns.ownership.orgValue : dns.ownership.appValue
            fields.append("dns ownership", "TXT \(dns.ownership.name) = \(value)")
        }
    }

    private static func validationError(_ error: Flygate_Certificates_V1_CertificateValidationError) -> String {
        var text = [error.code, error.message].filter { !$0.isEmpty }.joined(separator: ": ")
        if !error.remediation.isEmpty { text += " (\(error.remediation))" }
        return text
    }
}
