import Foundation
import TestSupport
import Testing
@testable import Engine
@testable import PythonCompat

/// The fast block-subset composer must build exactly the nodes libyaml's path builds, or
/// decline (and leave the document to libyaml).
@Suite("YAML block-subset fast path agrees with libyaml")
struct YAMLBlockComposerTests {
    /// A node tree as text: kind, tag, mark, plain flag and value of every node.
    static func describe(_ node: YAMLNode?) -> String {
        guard let node else { return "nil" }
        var out = ""
        func walk(_ node: YAMLNode, _ depth: Int) {
            out += String(repeating: " ", count: depth)
            out += "\(node.id) \(node.tag) \(node.mark.line):\(node.mark.column) plain=\(node.isPlain) \(String(reflecting: node.value))\n"
            for item in node.items { walk(item, depth + 1) }
            for (key, value) in node.pairs { walk(key, depth + 1); walk(value, depth + 2) }
        }
        walk(node, 0)
        return out
    }

    /// Checks one document; returns whether the fast path took it.
    @discardableResult
    static func check(_ text: String, replay: String = "", sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let fast = Array(text.utf8).withUnsafeBufferPointer { YAMLBlockComposer.compose($0) }
        let slow = Result { try YAMLComposer.composeSingleDocument(text, fastPath: false) }
        guard let fast else {
            // Declined: the public path must still be libyaml's answer.
            let viaDefault = Result { try YAMLComposer.composeSingleDocument(text) }
            switch (slow, viaDefault) {
            case (.success(let a), .success(let b)): #expect(describe(a) == describe(b), "\(replay)", sourceLocation: sourceLocation)
            case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)", "\(replay)", sourceLocation: sourceLocation)
            default: Issue.record("fast path declined, yet results differ for \(String(reflecting: text))", sourceLocation: sourceLocation)
            }
            return false
        }
        switch slow {
        case .success(let node):
            #expect(describe(fast) == describe(node), "input: \(String(reflecting: text))", sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record("fast path accepted a document libyaml rejects (\(error)): \(String(reflecting: text))", sourceLocation: sourceLocation)
        }
        return true
    }

    static func fixtureYAML() throws -> [(String, String)] {
        let folder = Fixtures.url("local-filesystem")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.filter { !$0.hasSuffix(".json") && !$0.hasSuffix(".env") }.compactMap { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            guard let text = String(data: data, encoding: .utf8) else { return nil }
            return (name, text)
        }
    }

    @Test("every local-filesystem fixture that is text composes identically")
    func fixtures() throws {
        let files = try Self.fixtureYAML()
        #expect(files.count >= 12)
        var taken = 0
        for (_, text) in files where Self.check(text) { taken += 1 }
        // The fixtures' plain files (basic variables and connections) are in the subset.
        #expect(taken >= 3)
    }

    @Test("every PyYAML semantics case composes identically or is declined")
    func pyYAMLCases() {
        for yamlCase in LocalFilesystemYAMLTests.cases { Self.check(yamlCase.input) }
    }

    @Test("airflow_settings.yaml and secret-file shapes take the fast path")
    func typicalShapes() {
        let documents = [
            "a: 1\nb: two\n",
            "airflow:\n  variables:\n    - variable_name: v\n      variable_value: x y\n  connections:\n    - conn_id: c\n      conn_type: postgres\n      conn_port: 5432\n",
            "airflow:\n  variables:\n  - variable_name: v\n    variable_value: 'quoted: # not a comment'\n  pools: []\n",
            "conn:\n  conn_type: http\n  host: \"example.com\"\n  extra:\n    timeout: 30\n",
            "k: postgres://user:pw@host:5432/db?a=b\n",
            "list:\n  - a\n  - b\n# comment\n\n  - c\nafter: yes\n",
            "- a: 1\n  b: 2\n- c: 3\n",
            "top:\n- x:\n  - 1\n  - 2\n  y: null\n",
            "   indented: root\n   second: 2\n",
        ]
        for document in documents { Self.check(document) }
        #expect(Self.check("a: 1\nb: two\n"))
        #expect(Self.check(documents[1]))
        #expect(Self.check(documents[6]))
    }

    @Test("documents outside the subset are declined or agree")
    func edgeShapes() {
        let documents = [
            "", "# only\n", "a:", "a:\nb: 1", "a: 1\n  b: 2", "a: b: c", "a:b", "a :b", "a : b", "'a': b",
            "\"a\" : b", "a: 'it''s'", "a: \"x\\ty\"", "a: x # c", "a: |\n  x\n", "a: >\n  x\n", "a: [1, 2]",
            "a: {b: 1}", "a: &x 1\nb: *x", "a: !!str 1", "<<: {a: 1}", "--- \na: 1", "a: 1\n...\n", "a: 1\n---\nb: 2",
            "a: 1\r\nb: 2\r\n", "a:\t1", "\ta: 1", "a: \u{85}", "a: é", "a: 1\n- b", "- a\nb: 1", "- - a", "-\n  a",
            "a:\n  - b\n c: 1", "a:\n    b: 1\n  c: 2", "? a\n: b", "a: -1", "a: ~", "a: 0o17", "a: 1_000",
            "a: 2001-12-14", "a: 1.5e3", "a: .inf", "a: yes", "a: Null", "a: 'x'  ", "a: 'x' y", "a: \"x\"y",
            "a: x:", "a: x :y", "a: [x", "a: x]", "a: x,y", "a: x{y}", "a: %x", "a: @x", "a: `x", "a: ,x",
            "a: 1\na: 2", "1: a\n1.0: b", "a:\n  b:\n    c:\n      d: deep\n", "a:\n-\n", "a:\n- \n- b",
            "'a: b", "\"a", "a: 'b", "a: \"b", "a: ''", "a: \"\"", "'': x", "a  b: c  d  ",
            String(repeating: "k", count: 1100) + ": v", String(repeating: "k", count: 1000) + ": v",
        ]
        for document in documents { Self.check(document) }
    }

    @Test("a byte outside printable ASCII is found wherever it is in a long line")
    func specialBytesAtEveryOffset() {
        let plain = "key: " + String(repeating: "abcdefgh", count: 4)
        #expect(Self.check(plain + "\nnext: 1\n"))
        for special in ["\t", "\r", "\u{7F}", "\u{1}", "é", "\u{85}", "\u{2028}", "\u{0}"] {
            for offset in 5..<plain.utf8.count {
                var bytes = Array(plain.utf8)
                bytes.insert(contentsOf: Array(special.utf8), at: offset)
                let text = String(decoding: bytes, as: UTF8.self) + "\nnext: 1\n"
                #expect(!Self.check(text), "offset \(offset)")
            }
        }
    }

    @Test("generated variants of airflow_settings.yaml agree")
    func generated() {
        var generator = SeededGenerator()
        let scalars = ["x", "1", "0x1F", "yes", "No", "~", "null", "1.5", "2020-01-02", "a b", "a:b", "a/b.c",
                       "'q'", "\"dq\"", "'a # b'", "\"\"", "-x", "x y ", "x  ", "[x]", "x,y", "12:30", "+1", ".5",
                       "=", "<<", "on", "tRue", "1e3", "0b101", "190:20:30", "x#y", "x #y"]
        let indents = ["  ", "    ", " "]
        for _ in 0..<300 {
            let indent = indents.randomElement(using: &generator)!
            let indentless = Bool.random(using: &generator)
            let item = indentless ? indent : indent + indent
            var text = "airflow:\n\(indent)variables:\n"
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                text += "\(item)- variable_name: \(scalars.randomElement(using: &generator)!)\n"
                text += "\(item)  variable_value: \(scalars.randomElement(using: &generator)!)\n"
                if Bool.random(using: &generator) { text += "# comment\n\n" }
            }
            text += "\(indent)connections:\n"
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                text += "\(item)- conn_id: \(scalars.randomElement(using: &generator)!)\n"
                text += "\(item)  conn_port: \(scalars.randomElement(using: &generator)!)\n"
            }
            Self.check(text, replay: generator.replay)
        }
    }

    @Test("the loaded values match whichever path composes")
    func loadedValues() throws {
        let text = "airflow:\n  variables:\n    - variable_name: v\n      variable_value: 017\n  connections:\n    - conn_id: c\n      conn_port: 5432\n      conn_extra: yes\n"
        let fast = try PyYAML.safeLoad(text)
        #expect(fast != nil)
        let slow = try YAMLComposer.composeSingleDocument(text, fastPath: false).map { root -> PythonValue in
            var constructor = YAMLConstructor()
            return try constructor.construct(root)
        }
        #expect(fast == slow)
    }
}
