import FlyGateJSON

extension StoreState {
    /// `App_Certificates_list`: summaries ordered by hostname, `filter` a substring, paged by
    /// `cursor` (the previous page's `next_cursor`) and `limit` (default 25, at most 500).
    package func listCertificates(app: String, filter: String?, cursor: String?, limit: Int) throws(SimulatorError)
        -> JSONValue
    {
        var selected = try self.app(app).certificates.sorted { $0.hostname < $1.hostname }
        if let filter, !filter.isEmpty { selected = selected.filter { $0.hostname.contains(filter.lowercased()) } }
        let total = selected.count
        if let cursor, !cursor.isEmpty { selected = selected.filter { $0.hostname > cursor } }
        let page = Array(selected.prefix(limit))
        var object = JSONObject()
        object.append("certificates", .array(page.map(\.summaryJSON)))
        if selected.count > page.count, let last = page.last { object.append("next_cursor", .string(last.hostname)) }
        object.append("total_count", .int(total))
        return .object(object)
    }

    /// `App_Certificates_show`.
    package func certificate(app: String, hostname: String) throws(SimulatorError) -> JSONValue {
        let record = try self.app(app)
        guard let certificate = record.certificates.first(where: { $0.hostname == hostname.lowercased() }) else {
            throw .notFound("certificate", hostname)
        }
        return certificate.detailJSON(app: app, ips: record.ipAssignments)
    }

    /// `App_Certificates_acme_create`: adds the hostname (or ACME to an uploaded certificate's
    /// hostname) in `pending_validation`; 422 for a bad hostname or one already requested.
    package mutating func requestACMECertificate(app: String, body: JSONValue, now: WallClock) throws(SimulatorError)
        -> JSONValue
    {
        let hostname = try Self.certificateHostname(body)
        return try changeCertificate(app: app, hostname: hostname, creating: true, now: now) {
            certificate throws(SimulatorError) -> String? in
            guard certificate.acmeRequestedAt == nil else {
                throw .unprocessable("a certificate for \(hostname) has already been requested")
            }
            certificate.acmeRequestedAt = now
            return nil
        }
    }

    /// `App_Certificates_custom_create`: stores what the uploaded chain says (replacing an earlier
    /// upload) in `pending_ownership`; 422 for a bad hostname, chain or key, or an expired chain.
    /// The private key is checked for shape and dropped.
    package mutating func importCertificate(app: String, body: JSONValue, now: WallClock) throws(SimulatorError)
        -> JSONValue
    {
        let hostname = try Self.certificateHostname(body)
        guard let chain = body["fullchain"]?.stringValue, let leaf = PEMCertificate(chain: chain) else {
            throw .unprocessable("fullchain must hold a PEM-encoded X.509 certificate (RSA or ECDSA)")
        }
        guard let key = body["private_key"]?.stringValue, PEMCertificate.isPrivateKey(key) else {
            throw .unprocessable("private_key must hold one PEM-encoded private key")
        }
        guard leaf.notAfter > now else { throw .unprocessable("the certificate expired at \(leaf.notAfter.rfc3339)") }
        return try changeCertificate(app: app, hostname: hostname, creating: true, now: now) {
            certificate throws(SimulatorError) -> String? in
            certificate.custom = CertificateRecord.Custom(certificate: leaf, createdAt: now)
            return nil
        }
    }

    /// `App_Certificates_check`: DNS is taken to point at the app, so pending ACME certificates are
    /// issued and an uploaded one verified. Answers `CertificateCheckResponse`.
    package mutating func checkCertificate(app: String, hostname: String, now: WallClock) throws(SimulatorError)
        -> JSONValue
    {
        _ = try changeCertificate(app: app, hostname: hostname, creating: false, now: now) {
            certificate throws(SimulatorError) -> String? in
            certificate.checked = true
            if certificate.acmeRequestedAt != nil, certificate.acmeIssuedAt == nil { certificate.acmeIssuedAt = now }
            certificate.custom?.verified = true
            return nil
        }
        let record = try self.app(app)
        let certificate = record.certificates.first { $0.hostname == hostname.lowercased() }
        return certificate?.detailJSON(app: app, ips: record.ipAssignments, dnsRecords: true) ?? .null
    }

    /// `App_Certificates_acme_delete`: stops ACME for the hostname, keeping an uploaded certificate.
    package mutating func deleteACMECertificate(app: String, hostname: String, now: WallClock) throws(SimulatorError)
        -> JSONValue
    {
        try changeCertificate(app: app, hostname: hostname, creating: false, now: now) {
            certificate throws(SimulatorError) -> String? in
            guard certificate.acmeRequestedAt != nil else { throw .notFound("ACME certificate", hostname) }
            certificate.acmeRequestedAt = nil
            certificate.acmeIssuedAt = nil
            return nil
        }
    }

    /// `App_Certificates_custom_delete`: removes the uploaded certificate, keeping ACME; warns when
    /// nothing is left to serve the hostname.
    package mutating func deleteCustomCertificate(app: String, hostname: String, now: WallClock) throws(SimulatorError)
        -> JSONValue
    {
        try changeCertificate(app: app, hostname: hostname, creating: false, now: now) {
            certificate throws(SimulatorError) -> String? in
            guard certificate.custom != nil else { throw .notFound("custom certificate", hostname) }
            certificate.custom = nil
            return certificate.isActive ? nil : "no active certificate remains for \(hostname): TLS for it will fail"
        }
    }

    /// `App_Certificates_delete`: removes the hostname and all its certificates.
    package mutating func deleteCertificate(app: String, hostname: String) throws(SimulatorError) {
        try withApp(app) { record throws(SimulatorError) in
            guard let index = record.certificates.firstIndex(where: { $0.hostname == hostname.lowercased() }) else {
                throw .notFound("certificate", hostname)
            }
            record.certificates.remove(at: index)
        }
    }

    /// Runs `body` on the hostname's record (made first when `creating`) and answers its detail,
    /// with the warning `body` returns.
    private mutating func changeCertificate(
        app: String, hostname: String, creating: Bool, now: WallClock,
        _ body: (inout CertificateRecord) throws(SimulatorError) -> String?
    ) throws(SimulatorError) -> JSONValue {
        let name = hostname.lowercased()
        return try withApp(app) { record throws(SimulatorError) -> JSONValue in
            var index = record.certificates.firstIndex { $0.hostname == name }
            if index == nil, creating {
                record.certificates.append(CertificateRecord(hostname: name, createdAt: now, updatedAt: now))
                index = record.certificates.count - 1
            }
            guard let index else { throw .notFound("certificate", hostname) }
            var certificate = record.certificates[index]
            let warning = try body(&certificate)
            certificate.updatedAt = now
            record.certificates[index] = certificate
            return certificate.detailJSON(app: app, ips: record.ipAssignments, warning: warning)
        }
    }

    /// The request's `hostname`, lower-cased; 422 unless it is a DNS name.
    private static func certificateHostname(_ body: JSONValue) throws(SimulatorError) -> String {
        guard let hostname = body["hostname"]?.stringValue?.lowercased(), CertificateRecord.isValidHostname(hostname) else {
            throw .unprocessable("hostname must be a DNS name such as www.example.com or *.example.com")
        }
        return hostname
    }
}
