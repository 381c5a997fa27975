/// What the simulator reads from an uploaded certificate chain and key: enough DER to know the
/// leaf's validity, issuer and key type, and to refuse what is not a certificate at all.
package struct PEMCertificate: Sendable, Equatable {
    /// The leaf's `notBefore`.
    package var notBefore: WallClock
    /// The leaf's `notAfter`.
    package var notAfter: WallClock
    /// The leaf issuer's common name, or its organisation, when present.
    package var issuer: String
    /// `rsa` or `ecdsa` (`IssuedCertificate.type`), from the leaf's public key.
    package var keyType: String

    /// The DER bodies of the PEM blocks labelled `label` (`CERTIFICATE`, or any `… PRIVATE KEY`
    /// when `label` is `PRIVATE KEY`), in order; nil when a block is malformed.
    package static func blocks(in text: String, label: String) -> [[UInt8]]? {
        var blocks: [[UInt8]] = []
        var body: String?
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                let name = line.dropFirst(11).dropLast(5)
                guard body == nil else { return nil }
                if name == label || (label == "PRIVATE KEY" && name.hasSuffix("PRIVATE KEY")) { body = "" }
            } else if line.hasPrefix("-----END "), line.hasSuffix("-----") {
                guard let text = body else { continue }
                guard let der = ByteFields.base64Decoded(text), !der.isEmpty else { return nil }
                blocks.append(der)
                body = nil
            } else if body != nil {
                body? += line
            }
        }
        return body == nil ? blocks : nil
    }

    /// Reads the leaf (first) certificate of a PEM chain; nil when it is not an X.509 certificate.
    package init?(chain text: String) {
        guard let der = Self.blocks(in: text, label: "CERTIFICATE")?.first else { return nil }
        var certificate = DERReader(der)
        guard let certificateBody = certificate.read(tag: 0x30), certificate.isAtEnd else { return nil }
        var outer = DERReader(certificateBody)
        guard let tbs = outer.read(tag: 0x30) else { return nil }
        var fields = DERReader(tbs)
        if fields.peekTag == 0xA0 { _ = fields.read(tag: 0xA0) }
        guard fields.read(tag: 0x02) != nil, fields.read(tag: 0x30) != nil,
            let issuer = fields.read(tag: 0x30), let validity = fields.read(tag: 0x30),
            fields.read(tag: 0x30) != nil, let publicKeyInfo = fields.read(tag: 0x30)
        else { return nil }
        var times = DERReader(validity)
        guard let notBefore = times.readTime(), let notAfter = times.readTime() else { return nil }
        var keyInfo = DERReader(publicKeyInfo)
        guard let algorithm = keyInfo.read(tag: 0x30) else { return nil }
        var algorithmFields = DERReader(algorithm)
        guard let oid = algorithmFields.read(tag: 0x06) else { return nil }
        switch oid {
        case [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]: keyType = "rsa"  // rsaEncryption
        case [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]: keyType = "ecdsa"  // id-ecPublicKey
        default: return nil
        }
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.issuer = Self.name(issuer, oid: [0x55, 0x04, 0x03]) ?? Self.name(issuer, oid: [0x55, 0x04, 0x0A]) ?? "unknown"
    }

    /// Whether `text` holds exactly one PEM private key whose body is a DER sequence.
    package static func isPrivateKey(_ text: String) -> Bool {
        guard let keys = blocks(in: text, label: "PRIVATE KEY"), keys.count == 1 else { return false }
        var reader = DERReader(keys[0])
        return reader.read(tag: 0x30) != nil && reader.isAtEnd
    }

    /// The first attribute `oid` of an X.501 name, as text.
    private static func name(_ name: ArraySlice<UInt8>, oid wanted: [UInt8]) -> String? {
        var relativeNames = DERReader(name)
        while let set = relativeNames.read(tag: 0x31) {
            var attributes = DERReader(set)
            while let attribute = attributes.read(tag: 0x30) {
                var pair = DERReader(attribute)
                guard let oid = pair.read(tag: 0x06), Array(oid) == wanted, let tag = pair.peekTag,
                    [0x0C, 0x13, 0x14, 0x16].contains(tag), let value = pair.read(tag: tag)
                else { continue }
                return String(decoding: value, as: UTF8.self)
            }
        }
        return nil
    }
}

/// Reads DER tag-length-value elements, refusing anything truncated or oversized.
struct DERReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: some Collection<UInt8>) {
        self.bytes = ArraySlice(bytes)
    }

    var isAtEnd: Bool { bytes.isEmpty }

    var peekTag: UInt8? { bytes.first }

    /// The contents of the next element if its tag is `tag`; nil (consuming nothing) otherwise.
    mutating func read(tag: UInt8) -> ArraySlice<UInt8>? {
        guard bytes.count >= 2, bytes[bytes.startIndex] == tag else { return nil }
        var index = bytes.startIndex + 1
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...3).contains(count), bytes.endIndex - index >= count else { return nil }
            length = 0
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
        }
        guard bytes.endIndex - index >= length else { return nil }
        let contents = bytes[index..<(index + length)]
        bytes = bytes[(index + length)...]
        return contents
    }

    /// A UTCTime or GeneralizedTime (`…Z`).
    mutating func readTime() -> WallClock? {
        let utc = peekTag == 0x17
        guard let contents = read(tag: utc ? 0x17 : 0x18) else { return nil }
        var text = String(decoding: contents, as: UTF8.self)
        guard text.hasSuffix("Z"), text.count == (utc ? 13 : 15) else { return nil }
        if utc, let year = Int(text.prefix(2)) { text = (year >= 50 ? "19" : "20") + text }
        let digits = Array(text.utf8)
        func part(_ from: Int, _ count: Int) -> String { String(decoding: digits[from..<(from + count)], as: UTF8.self) }
        return WallClock(
            rfc3339: "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))Z")
    }
}
