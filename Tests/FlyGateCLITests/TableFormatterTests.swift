import Testing

@testable import FlyGateCLI

@Suite("TableFormatter")
struct TableFormatterTests {
    @Test("columns start at the same place on every line, with no trailing blanks")
    func alignsColumns() {
        var table = TableFormatter(headers: ["ID", "NAME", "STATE"])
        table.append(["d8d9e1e5c43e08", "quiet-sun-4521", "started"])
        table.append(["1", "x", "stopped"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == [
            "ID              NAME            STATE",
            "d8d9e1e5c43e08  quiet-sun-4521  started",
            "1               x               stopped",
        ])
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
    }

    @Test("empty and missing cells show as -; extra cells are dropped")
    func fillsCells() {
        var table = TableFormatter(headers: ["A", "B", "C"])
        table.append(["", "b"])
        table.append(["a", "b", "c", "extra"])
        #expect(table.render() == "A  B  C\n-  b  -\na  b  c\n")
    }

    @Test("a hostile cell cannot break the table or send escapes to the terminal")
    func sanitizesControlCharacters() {
        var table = TableFormatter(headers: ["NAME", "STATE"])
        table.append(["evil\nname\u{1B}[31m", "started"])
        let text = table.render()
        #expect(text.split(separator: "\n").count == 2)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("evil?name?[31m"))
    }

    @Test("a field list aligns its values and leaves out empty ones")
    func fieldList() {
        var fields = FieldList()
        fields.append("id", "d8d9e1e5c43e08")
        fields.append("private_ip", "fdaa::2")
        fields.append("nonce", "")
        fields.append("missing", nil)
        #expect(fields.render() == "id          d8d9e1e5c43e08\nprivate_ip  fdaa::2\n")
    }
}
