/// Lays out rows as aligned columns: a header, two spaces between columns, no trailing blanks.
package struct TableFormatter: Sendable {
    /// The column titles, e.g. `ID`, `STATE`.
    package var headers: [String]
    /// The rows so far; a short row is filled with "-".
    package private(set) var rows: [[String]] = []

    /// A table with these column titles.
    package init(headers: [String]) {
        self.headers = headers
    }

    /// Adds a row; empty cells show as "-" and control characters as "?".
    package mutating func append(_ row: [String]) {
        var cells = row.map { $0.isEmpty ? "-" : Self.sanitized($0) }
        if cells.count < headers.count { cells += Array(repeating: "-", count: headers.count - cells.count) }
        rows.append(Array(cells.prefix(headers.count)))
    }

    /// The table as lines, each ended by a newline.
    package func render() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                let isLast = column == row.count - 1
                line += isLast ? cell : cell.padded(to: widths[column]) + "  "
            }
            return line + "\n"
        }.joined()
    }

    /// A cell fit for one line of a terminal: control characters (newline, escape) become "?".
    package static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: Self.isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { Self.isControl($0) ? "?" : $0 }))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// Two columns, key and value, for one object's fields (`id  d8d9…`).
package struct FieldList: Sendable {
    /// The fields in order; a nil or empty value is left out.
    package private(set) var fields: [(String, String)] = []

    /// An empty list.
    package init() {}

    /// Adds `name  value` unless the value is nil or empty.
    package mutating func append(_ name: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        fields.append((name, TableFormatter.sanitized(value)))
    }

    /// The fields as lines, values aligned.
    package func render() -> String {
        let width = fields.map(\.0.count).max() ?? 0
        return fields.map { $0.0.padded(to: width) + "  " + $0.1 + "\n" }.joined()
    }
}

extension String {
    /// The string with blanks added to reach `width` characters.
    package func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
