import Crypto

/// The secret key types FLYGO names (`SECRETKEY_TYPE_*`; the document names none), each backed by
/// real cryptography from swift-crypto.
///
/// The signing types are the real algorithms: HMAC-SHA-256/384/512, NaCl's `crypto_auth`
/// (HMAC-SHA-512 cut to 32 bytes), Ed25519 (NaCl's `crypto_sign`, detached) and ECDSA P-256 with
/// SHA-256 (raw `r‖s`). The encrypting types round-trip with authenticated encryption, but in
/// the simulator's own framing, not libsodium's or Fly's: swift-crypto has no XSalsa20 and no
/// extended-nonce AES, so `nacl_secretbox` is ChaCha20-Poly1305 and `xaes256gcm` is AES-256-GCM
/// (both `nonce(12) ‖ ciphertext ‖ tag(16)`), and `nacl_box` seals to the key's X25519 public key
/// with an ephemeral key, HKDF-SHA-256 and ChaCha20-Poly1305 (`ephemeral(32) ‖ nonce ‖ ciphertext ‖ tag`).
package enum SecretKeyType: String, Sendable, CaseIterable {
    case hs256
    case hs384
    case hs512
    case naclAuth = "nacl_auth"
    case naclSign = "nacl_sign"
    case es256
    case naclSecretbox = "nacl_secretbox"
    case xaes256gcm
    case naclBox = "nacl_box"

    /// Whether the key signs and verifies (otherwise it encrypts and decrypts).
    package var signs: Bool {
        switch self {
        case .hs256, .hs384, .hs512, .naclAuth, .naclSign, .es256: true
        case .naclSecretbox, .xaes256gcm, .naclBox: false
        }
    }

    /// Fresh key material and its public half, for `Secretkey_generate`.
    package func generate() -> (material: [UInt8], publicKey: [UInt8]?) {
        switch self {
        case .hs256, .naclAuth, .naclSecretbox, .xaes256gcm:
            return (Self.randomBytes(32), nil)
        case .hs384:
            return (Self.randomBytes(48), nil)
        case .hs512:
            return (Self.randomBytes(64), nil)
        case .naclSign:
            let key = Curve25519.Signing.PrivateKey()
            return (Array(key.rawRepresentation), Array(key.publicKey.rawRepresentation))
        case .es256:
            let key = P256.Signing.PrivateKey()
            return (Array(key.rawRepresentation), Array(key.publicKey.x963Representation))
        case .naclBox:
            let key = Curve25519.KeyAgreement.PrivateKey()
            return (Array(key.rawRepresentation), Array(key.publicKey.rawRepresentation))
        }
    }

    /// Checks caller-given key bytes for `Secretkey_set`; answers the material to keep and its public half.
    package func imported(_ value: [UInt8]) throws(SimulatorError) -> (material: [UInt8], publicKey: [UInt8]?) {
        func refuse(_ expectation: String) -> SimulatorError {
            .invalidArgument("a \(rawValue) key value must be \(expectation), got \(value.count) bytes")
        }
        switch self {
        case .hs256, .hs384, .hs512:
            guard (1...1024).contains(value.count) else { throw refuse("1 to 1024 bytes") }
            return (value, nil)
        case .naclAuth, .naclSecretbox, .xaes256gcm:
            guard value.count == 32 else { throw refuse("32 bytes") }
            return (value, nil)
        case .naclSign:
            // NaCl's 64-byte secret key is the 32-byte seed followed by the public key.
            guard value.count == 32 || value.count == 64, let key = try? Curve25519.Signing.PrivateKey(
                rawRepresentation: value.prefix(32))
            else { throw refuse("a 32-byte seed or a 64-byte NaCl secret key") }
            let publicKey = Array(key.publicKey.rawRepresentation)
            if value.count == 64, Array(value.suffix(32)) != publicKey {
                throw .invalidArgument("the nacl_sign secret key's public half does not match its seed")
            }
            return (Array(value.prefix(32)), publicKey)
        case .es256:
            guard value.count == 32, let key = try? P256.Signing.PrivateKey(rawRepresentation: value) else {
                throw refuse("a 32-byte P-256 private scalar")
            }
            return (value, Array(key.publicKey.x963Representation))
        case .naclBox:
            guard value.count == 32, let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: value) else {
                throw refuse("a 32-byte X25519 private key")
            }
            return (value, Array(key.publicKey.rawRepresentation))
        }
    }

    /// Signs `message` (`Secretkey_sign`); only for the signing types.
    package func sign(_ message: [UInt8], material: [UInt8]) throws(SimulatorError) -> [UInt8] {
        let key = SymmetricKey(data: material)
        switch self {
        case .hs256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .hs384: return Array(HMAC<SHA384>.authenticationCode(for: message, using: key))
        case .hs512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        case .naclAuth: return Array(Array(HMAC<SHA512>.authenticationCode(for: message, using: key)).prefix(32))
        case .naclSign:
            do {
                return Array(try Curve25519.Signing.PrivateKey(rawRepresentation: material).signature(for: message))
            } catch {
                throw .fly(500, "internal: signing failed")
            }
        case .es256:
            do {
                return Array(try P256.Signing.PrivateKey(rawRepresentation: material).signature(for: message).rawRepresentation)
            } catch {
                throw .fly(500, "internal: signing failed")
            }
        case .naclSecretbox, .xaes256gcm, .naclBox:
            throw .invalidArgument("secret key of type \(rawValue) cannot sign or verify")
        }
    }

    /// Whether `signature` is this key's signature of `message` (`Secretkey_verify`).
    package func verify(_ signature: [UInt8], of message: [UInt8], material: [UInt8], publicKey: [UInt8]?)
        throws(SimulatorError) -> Bool
    {
        switch self {
        case .hs256, .hs384, .hs512, .naclAuth:
            return Self.constantTimeEqual(try sign(message, material: material), signature)
        case .naclSign:
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey ?? []) else { return false }
            return key.isValidSignature(signature, for: message)
        case .es256:
            guard let key = try? P256.Signing.PublicKey(x963Representation: publicKey ?? []),
                let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(parsed, for: message)
        case .naclSecretbox, .xaes256gcm, .naclBox:
            throw .invalidArgument("secret key of type \(rawValue) cannot sign or verify")
        }
    }

    /// Encrypts `plaintext`, authenticating `associatedData` (`Secretkey_encrypt`).
    package func encrypt(_ plaintext: [UInt8], associatedData: [UInt8], material: [UInt8], publicKey: [UInt8]?)
        throws(SimulatorError) -> [UInt8]
    {
        do {
            switch self {
            case .naclSecretbox:
                let box = try ChaChaPoly.seal(plaintext, using: SymmetricKey(data: material), authenticating: associatedData)
                return Array(box.combined)
            case .xaes256gcm:
                let box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: material), authenticating: associatedData)
                guard let combined = box.combined else { throw SimulatorError.fly(500, "internal: encryption failed") }
                return Array(combined)
            case .naclBox:
                let recipient = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: publicKey ?? [])
                let ephemeral = Curve25519.KeyAgreement.PrivateKey()
                let ephemeralPublic = Array(ephemeral.publicKey.rawRepresentation)
                let key = Self.boxKey(
                    try ephemeral.sharedSecretFromKeyAgreement(with: recipient), ephemeralPublic, publicKey ?? [])
                let box = try ChaChaPoly.seal(plaintext, using: key, authenticating: associatedData)
                return ephemeralPublic + Array(box.combined)
            case .hs256, .hs384, .hs512, .naclAuth, .naclSign, .es256:
                throw SimulatorError.invalidArgument("secret key of type \(rawValue) cannot encrypt or decrypt")
            }
        } catch let error as SimulatorError {
            throw error
        } catch {
            throw .fly(500, "internal: encryption failed")
        }
    }

    /// Decrypts `ciphertext` made by `encrypt` with the same key and associated data; 400 when it
    /// was not, or was altered (`Secretkey_decrypt`).
    package func decrypt(_ ciphertext: [UInt8], associatedData: [UInt8], material: [UInt8], publicKey: [UInt8]?)
        throws(SimulatorError) -> [UInt8]
    {
        let refusal = SimulatorError.invalidArgument("decryption failed: the ciphertext is not authentic for this key")
        switch self {
        case .naclSecretbox:
            guard let box = try? ChaChaPoly.SealedBox(combined: ciphertext),
                let plaintext = try? ChaChaPoly.open(box, using: SymmetricKey(data: material), authenticating: associatedData)
            else { throw refusal }
            return Array(plaintext)
        case .xaes256gcm:
            guard let box = try? AES.GCM.SealedBox(combined: ciphertext),
                let plaintext = try? AES.GCM.open(box, using: SymmetricKey(data: material), authenticating: associatedData)
            else { throw refusal }
            return Array(plaintext)
        case .naclBox:
            guard ciphertext.count > 32,
                let privateKey = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: material),
                let ephemeral = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: ciphertext.prefix(32)),
                let secret = try? privateKey.sharedSecretFromKeyAgreement(with: ephemeral),
                let box = try? ChaChaPoly.SealedBox(combined: ciphertext.dropFirst(32)),
                let plaintext = try? ChaChaPoly.open(
                    box, using: Self.boxKey(secret, Array(ciphertext.prefix(32)), publicKey ?? []),
                    authenticating: associatedData)
            else { throw refusal }
            return Array(plaintext)
        case .hs256, .hs384, .hs512, .naclAuth, .naclSign, .es256:
            throw .invalidArgument("secret key of type \(rawValue) cannot encrypt or decrypt")
        }
    }

    /// The box key: HKDF-SHA-256 over the X25519 secret, bound to both public keys.
    private static func boxKey(_ secret: SharedSecret, _ ephemeralPublic: [UInt8], _ recipientPublic: [UInt8]) -> SymmetricKey {
        secret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: ephemeralPublic + recipientPublic, sharedInfo: Array("flygate-simulator nacl_box".utf8),
            outputByteCount: 32)
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }

    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
