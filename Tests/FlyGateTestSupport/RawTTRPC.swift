/// ttrpc in plain Python for child processes of the tests (no protobuf package: the few fields
/// are encoded by hand).
package enum RawTTRPC {
    /// Encoding a message, one request frame out, one frame in.
    package static let pythonHelpers = #"""
import socket, struct, sys

def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out

def field(number, data):
    """An int as a varint field; a str or bytes as a length-delimited one."""
    if isinstance(data, int):
        return varint(number << 3) + varint(data)
    if isinstance(data, str):
        data = data.encode()
    return varint(number << 3 | 2) + varint(len(data)) + data

def read_varint(data, i):
    shift = value = 0
    while True:
        b = data[i]; i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i

def fields(data):
    i, out = 0, {}
    while i < len(data):
        key, i = read_varint(data, i)
        number, kind = key >> 3, key & 7
        if kind == 0:
            value, i = read_varint(data, i)
        elif kind == 2:
            length, i = read_varint(data, i)
            value = data[i:i + length]; i += length
        else:
            raise SystemExit("unexpected wire type %d" % kind)
        out[number] = value
    return out

def call(path, service, method, payload, timeout_nano=5_000_000_000):
    """Connects, sends one Request on stream 1 and returns (socket, Response bytes)."""
    request = field(1, service) + field(2, method) + field(3, payload) + field(4, timeout_nano)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)  # every connect, send and receive is bounded
    s.connect(path)
    s.sendall(struct.pack(">IIBB", len(request), 1, 1, 0) + request)
    def read(n):
        data = b""
        while len(data) < n:
            chunk = s.recv(n - len(data))
            if not chunk:
                raise SystemExit("connection closed")
            data += chunk
        return data
    length, stream, kind, flags = struct.unpack(">IIBB", read(10))
    return s, read(length)

"""#

    /// Usage: python3 SCRIPT SOCKET SERVICE METHOD APP. Prints "<code> <message>" for the answer
    /// to one call whose request's field 1 is APP.
    package static let pythonClient = pythonHelpers + #"""
path, service, method, app = sys.argv[1:5]
_, response = call(path, service, method, field(1, app))
status = fields(fields(response).get(1, b""))
print(status.get(1, 0), status.get(2, b"").decode())
"""#

    /// Usage: python3 SCRIPT SOCKET SERVICE METHOD PAYLOAD_HEX. Sends one call whose payload is
    /// the given bytes and prints "RESPONSE <hex>", the Response message's bytes.
    package static let pythonCall = pythonHelpers + #"""
path, service, method, payload = sys.argv[1:5]
_, response = call(path, service, method, bytes.fromhex(payload))
print("RESPONSE", response.hex())
"""#
}
