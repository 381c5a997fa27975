/// The field numbers of one generated proto file, kept across regenerations in a lock file
/// beside it (`machines.numbers` beside `machines.proto`).
///
/// Numbers are the wire: a client built against today's proto must keep reading tomorrow's. So
/// a field keeps the number it was first given even when Fly's document reorders its members
/// or adds one in the middle; a new field gets the message's highest number so far plus one;
/// a field that leaves the document keeps its line, and the message reserves its number and
/// name so nothing ever reuses them. Without a lock the numbers follow the document's order.
///
/// The lock's lines are `Message.field = N`, sorted; `#` starts a comment.
final class FieldNumbers {
    /// Where the lock lives, relative to the repository root.
    let path: String

    private var numbers: [String: [String: Int]] = [:]
    /// The fields asked for in this generation, by message.
    private var used: [String: Set<String>] = [:]

    /// An empty lock: numbers follow the document.
    init(path: String) {
        self.path = path
    }

    /// The lock in `text`, read from `path`.
    init(parsing text: String, path: String) throws(CodegenError) {
        self.path = path
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let sides = line.split(separator: "=")
            let key = sides.first?.split(separator: ".") ?? []
            guard sides.count == 2, key.count == 2,
                let number = Int(Self.trimmed(sides[1])), number > 0
            else {
                throw CodegenError("\(path):\(index + 1): expected `Message.field = N`, found `\(rawLine)`")
            }
            let message = Self.trimmed(key[0])
            let field = Self.trimmed(key[1])
            guard numbers[message]?[field] == nil, numbers[message]?.values.contains(number) != true else {
                throw CodegenError("\(path):\(index + 1): \(message).\(field) or number \(number) appears twice")
            }
            numbers[message, default: [:]][field] = number
        }
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// The number of `field` in `message`: the locked one, or the next free one.
    func number(_ message: String, _ field: String) -> Int {
        used[message, default: []].insert(field)
        if let locked = numbers[message]?[field] { return locked }
        var next = (numbers[message]?.values.max() ?? 0) + 1
        if next == Overrides.unknownMembersFieldNumber { next += 1 }
        numbers[message, default: [:]][field] = next
        return next
    }

    /// Locked fields of `message` the document no longer has, by number.
    func removed(_ message: String) -> [(name: String, number: Int)] {
        let present = used[message] ?? []
        return (numbers[message] ?? [:]).filter { !present.contains($0.key) }
            .map { (name: $0.key, number: $0.value) }
            .sorted { $0.number < $1.number }
    }

    /// `machines.proto` for `proto/flygate/machines/v1/machines.numbers`.
    private var protoFileName: String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return (file.hasSuffix(".numbers") ? String(file.dropLast(".numbers".count)) : file) + ".proto"
    }

    /// The lock file's text.
    var text: String {
        var out = """
            # Field numbers of \(protoFileName), kept by flygate-codegen: a field keeps its number for
            # good, and a field the document drops stays here (reserved in the proto). Generated;
            # commit it with the proto, and do not edit it by hand.

            """
        for message in numbers.keys.sorted() {
            for (field, number) in numbers[message]!.sorted(by: { $0.value < $1.value }) {
                out += "\(message).\(field) = \(number)\n"
            }
        }
        return out
    }
}
