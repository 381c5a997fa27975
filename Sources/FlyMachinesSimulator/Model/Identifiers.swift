/// Fly-shaped identifiers: machine and volume ids, ULIDs, nonces, 6PN addresses and generated names.
package enum Identifiers {
    private static let hexDigits = Array("0123456789abcdef")
    private static let crockford = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Lower-case hex of `count` random digits.
    package static func hex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in hexDigits[Int.random(in: 0..<16, using: &generator)] })
    }

    /// A machine id: 14 lower-case hex digits, like `d8d9e1e5c43e08`.
    package static func machineID() -> String { hex(14) }

    /// A lease nonce: 12 lower-case hex digits, like `5c35f65c9f95`.
    package static func nonce() -> String { hex(12) }

    /// A volume id: `vol_` and 16 lower-case letters and digits, like `vol_4y5m8zxq7v2l9wdr`.
    package static func volumeID() -> String { "vol_" + alphanumeric(16, from: lowerAlphanumerics) }

    /// A volume snapshot id: `vs_` and 16 letters and digits, like `vs_MgLAggLZkYx89fLy`.
    package static func snapshotID() -> String { "vs_" + alphanumeric(16, from: mixedAlphanumerics) }

    private static let lowerAlphanumerics = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    private static let mixedAlphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    private static func alphanumeric(_ count: Int, from alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// A ULID (26 Crockford base32 characters): 48 bits of milliseconds, then 80 random bits.
    package static func ulid(at time: WallClock) -> String {
        var generator = SystemRandomNumberGenerator()
        var characters: [Character] = []
        var millis = UInt64(max(0, time.milliseconds))
        var timePart: [Character] = []
        for _ in 0..<10 {
            timePart.append(crockford[Int(millis & 31)])
            millis >>= 5
        }
        characters.append(contentsOf: timePart.reversed())
        for _ in 0..<16 {
            characters.append(crockford[Int.random(in: 0..<32, using: &generator)])
        }
        return String(characters)
    }

    /// A 6PN private address of Fly's shape, `fdaa:0:<org>:a7b:<host>:<x>:<y>:2`.
    package static func privateIP(orgSegment: String) -> String {
        "fdaa:0:\(orgSegment):a7b:\(trimmedHex(4)):\(trimmedHex(4)):\(trimmedHex(4)):2"
    }

    /// Hex of up to `count` digits without leading zeros, as IPv6 groups are written.
    package static func trimmedHex(_ count: Int) -> String {
        let digits = hex(count).drop(while: { $0 == "0" })
        return digits.isEmpty ? "0" : String(digits)
    }

    private static let adjectives = [
        "billowing", "bold", "broken", "calm", "cold", "crimson", "damp", "dark", "dawn", "falling",
        "floral", "fragrant", "frosty", "gentle", "hidden", "icy", "late", "lingering", "little", "lively",
        "misty", "morning", "nameless", "old", "patient", "polished", "proud", "purple", "quiet", "red",
        "restless", "rough", "shy", "silent", "small", "snowy", "solitary", "sparkling", "still", "summer",
        "twilight", "wandering", "weathered", "white", "wild", "winter", "wispy", "withered", "young",
    ]
    private static let nouns = [
        "bird", "breeze", "brook", "bush", "butterfly", "cherry", "cloud", "darkness", "dawn", "dew", "dream",
        "dust", "feather", "field", "fire", "firefly", "flower", "fog", "forest", "frog", "glade", "glitter",
        "grass", "haze", "hill", "lake", "leaf", "meadow", "moon", "morning", "mountain", "night", "paper",
        "pine", "pond", "rain", "resonance", "river", "sea", "shadow", "shape", "silence", "sky", "smoke",
        "snow", "sound", "star", "sun", "sunset", "surf", "thunder", "tree", "violet", "water", "wave",
        "wildflower", "wind", "wood",
    ]

    /// A generated machine name, `adjective-noun-1234`, like Fly's.
    package static func machineName() -> String {
        var generator = SystemRandomNumberGenerator()
        let adjective = adjectives.randomElement(using: &generator) ?? "quiet"
        let noun = nouns.randomElement(using: &generator) ?? "sky"
        return "\(adjective)-\(noun)-\(Int.random(in: 1000...9999, using: &generator))"
    }

    /// A deterministic 64-hex-digit pseudo digest of `text` (FNV-1a, stretched), for `image_ref.digest`.
    package static func pseudoDigest(of text: String) -> String {
        var output = ""
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for round in 0..<4 {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= UInt64(round + 1)
            hash = hash &* 0x100_0000_01b3
            let chunk = String(hash, radix: 16)
            output += String(repeating: "0", count: 16 - chunk.count) + chunk
        }
        return "sha256:" + output
    }
}
