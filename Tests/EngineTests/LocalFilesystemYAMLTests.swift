import Engine
import PythonCompat
import Testing

/// PyYAML `safe_load` (C loader, PyYAML 6.0.4 as pinned by the fixtures) on inputs the
/// local-filesystem fixtures do not cover. Every expected `repr` / error below was recorded by
/// running real PyYAML on the input (scratch script, not committed); nothing was typed by hand.
@Suite("PyYAML safe_load semantics")
struct LocalFilesystemYAMLTests {
    struct YAMLCase: CustomTestStringConvertible, Sendable {
        var input: String
        var repr: String?
        var type: String?
        var error: String?
        var message: String?
        var line: Int?

        init(_ input: String, repr: String, type: String) {
            self.input = input
            self.repr = repr
            self.type = type
        }

        init(_ input: String, error: String, _ message: String, line: Int?) {
            self.input = input
            self.error = error
            self.message = message
            self.line = line
        }

        var testDescription: String { String(reflecting: input) }
    }

    static let cases: [YAMLCase] = [
        YAMLCase("a: &x 1\nb: &x 2\nc: *x", error: "ComposerError", "found duplicate anchor; first occurrence\n  in \"<unicode string>\", line 1, column 4\nsecond occurrence\n  in \"<unicode string>\", line 2, column 4", line: 1),
        YAMLCase("a: =", error: "ConstructorError", "could not determine a constructor for the tag 'tag:yaml.org,2002:value'\n  in \"<unicode string>\", line 1, column 4", line: 0),
        YAMLCase("=: 1", repr: "{'=': 1}", type: "dict"),
        YAMLCase("a: *nope", error: "ComposerError", "found undefined alias\n  in \"<unicode string>\", line 1, column 4", line: 0),
        YAMLCase("a: !!bool maybe", error: "KeyError", "'maybe'", line: nil),
        YAMLCase("a: !!int abc", error: "ValueError", "invalid literal for int() with base 10: 'abc'", line: nil),
        YAMLCase("a: !!python/object:os.system x", error: "ConstructorError", "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'\n  in \"<unicode string>\", line 1, column 4", line: 0),
        YAMLCase("a: 2024-02-30", error: "ValueError", "day is out of range for month", line: nil),
        YAMLCase("a: 2024-1-5 1:02:03.1234567 -5", repr: "{'a': datetime.datetime(2024, 1, 5, 1, 2, 3, 123456, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))}", type: "dict"),
        YAMLCase("a: -.5", repr: "{'a': '-.5'}", type: "dict"),
        YAMLCase("a: .5", repr: "{'a': 0.5}", type: "dict"),
        YAMLCase("a: 1.", repr: "{'a': 1.0}", type: "dict"),
        YAMLCase("a: 1_000", repr: "{'a': 1000}", type: "dict"),
        YAMLCase("a: 0b101", repr: "{'a': 5}", type: "dict"),
        YAMLCase("a: 0x_1F", repr: "{'a': 31}", type: "dict"),
        YAMLCase("a: 1:30", repr: "{'a': 90}", type: "dict"),
        YAMLCase("a: 1:30.5", repr: "{'a': 90.5}", type: "dict"),
        YAMLCase("a: 08", repr: "{'a': '08'}", type: "dict"),
        YAMLCase("a: 0_", repr: "{'a': 0}", type: "dict"),
        YAMLCase("a: +0", repr: "{'a': 0}", type: "dict"),
        YAMLCase("a: -0", repr: "{'a': 0}", type: "dict"),
        YAMLCase("a: .NaN", repr: "{'a': nan}", type: "dict"),
        YAMLCase("a: -.inf", repr: "{'a': -inf}", type: "dict"),
        YAMLCase("a: 1e3", repr: "{'a': '1e3'}", type: "dict"),
        YAMLCase("a: 1.0e3", repr: "{'a': '1.0e3'}", type: "dict"),
        YAMLCase("{a: 1}: x", error: "ConstructorError", "while constructing a mapping\nfound unhashable key\n  in \"<unicode string>\", line 1, column 1", line: 0),
        YAMLCase("? [1, 2]\n: x", error: "ConstructorError", "while constructing a mapping\n  in \"<unicode string>\", line 1, column 1\nfound unhashable key\n  in \"<unicode string>\", line 1, column 3", line: 0),
        YAMLCase("a: !!omap [x: 1, y: 2]", repr: "{'a': [('x', 1), ('y', 2)]}", type: "dict"),
        YAMLCase("a: !!binary aGVsbG8=", repr: "{'a': b'hello'}", type: "dict"),
        YAMLCase("<<: {a: 1}\nb: 2", repr: "{'a': 1, 'b': 2}", type: "dict"),
        YAMLCase("b: 2\n<<: [{a: 1}, {a: 3, c: 4}]", repr: "{'a': 1, 'c': 4, 'b': 2}", type: "dict"),
        YAMLCase("<<: 1", error: "ConstructorError", "while constructing a mapping\n  in \"<unicode string>\", line 1, column 1\nexpected a mapping or list of mappings for merging, but found scalar\n  in \"<unicode string>\", line 1, column 5", line: 0),
        YAMLCase("a: !!str 1", repr: "{'a': '1'}", type: "dict"),
        YAMLCase("a: !!map x", error: "ConstructorError", "expected a mapping node, but found scalar\n  in \"<unicode string>\", line 1, column 4", line: 0),
        YAMLCase("a: ! 12", repr: "{'a': 12}", type: "dict"),
        YAMLCase("a: ! '12'", repr: "{'a': 12}", type: "dict"),
        YAMLCase("--- 1\n--- 2", error: "ComposerError", "expected a single document in the stream\n  in \"<unicode string>\", line 1, column 5\nbut found another document\n  in \"<unicode string>\", line 2, column 1", line: 1),
        YAMLCase("a: \u{7}", error: "ReaderError", "unacceptable character #x0007: control characters are not allowed\n  in \"<unicode string>\", position 3", line: nil),
        YAMLCase("a: \u{feff}x", repr: "{'a': '\\ufeffx'}", type: "dict"),
        YAMLCase("\u{feff}a: 1", repr: "{'a': 1}", type: "dict"),
        YAMLCase("a: b: c", error: "ScannerError", "mapping values are not allowed in this context\n  in \"<unicode string>\", line 1, column 5", line: 0),
        YAMLCase("yes: 1\ntrue: 2\n1: 3", repr: "{True: 3}", type: "dict"),
        YAMLCase("a: 0o17", repr: "{'a': '0o17'}", type: "dict"),
        YAMLCase("a: 123456789012345678901234567890", repr: "{'a': 123456789012345678901234567890}", type: "dict"),
        YAMLCase("a: 0x123456789abcdef0123", repr: "{'a': 5373003642731685151011}", type: "dict"),
        YAMLCase("1.0: a\n1: b", repr: "{1.0: 'b'}", type: "dict"),
        YAMLCase("~: 1", repr: "{None: 1}", type: "dict"),
        YAMLCase("a: 12:30:45", repr: "{'a': 45045}", type: "dict"),
        YAMLCase("a: 190:20:30.15", repr: "{'a': 685230.15}", type: "dict"),
        YAMLCase("a: 2001-12-14t21:59:43.10-05:00", repr: "{'a': datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))}", type: "dict"),
        YAMLCase("a: 2001-12-14 21:59:43.10 +5", repr: "{'a': datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone(datetime.timedelta(seconds=18000)))}", type: "dict"),
        YAMLCase("a: 2001-12-14 21:59:43.10 Z", repr: "{'a': datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone.utc)}", type: "dict"),
        YAMLCase("a: 2001-12-14T21:59:43Z\n", repr: "{'a': datetime.datetime(2001, 12, 14, 21, 59, 43, tzinfo=datetime.timezone.utc)}", type: "dict"),
        YAMLCase("a: |\n  x\n\n", repr: "{'a': 'x\\n'}", type: "dict"),
        YAMLCase("a: [1, 2", error: "ParserError", "while parsing a flow sequence\n  in \"<unicode string>\", line 1, column 4\ndid not find expected ',' or ']'\n  in \"<unicode string>\", line 2, column 1", line: 1),
        YAMLCase("a:\n- b\n c: 1", error: "ScannerError", "mapping values are not allowed in this context\n  in \"<unicode string>\", line 3, column 3", line: 2),
        YAMLCase("a: 1.5e+3", repr: "{'a': 1500.0}", type: "dict"),
        YAMLCase("a: 1.5e3", repr: "{'a': '1.5e3'}", type: "dict"),
        YAMLCase("a: -1_0.5", repr: "{'a': -10.5}", type: "dict"),
        YAMLCase("a: 6.8523015e+5", repr: "{'a': 685230.15}", type: "dict"),
        YAMLCase("a: 685.230_15e+03", repr: "{'a': 685230.15}", type: "dict"),
        YAMLCase("a: 1:60", repr: "{'a': '1:60'}", type: "dict"),
        YAMLCase("a: 1:7", repr: "{'a': 67}", type: "dict"),
        YAMLCase("a: 190:20:30", repr: "{'a': 685230}", type: "dict"),
        YAMLCase("a: 0x", repr: "{'a': '0x'}", type: "dict"),
        YAMLCase("a: 0b", repr: "{'a': '0b'}", type: "dict"),
        YAMLCase("a: -", error: "ScannerError", "block sequence entries are not allowed in this context\n  in \"<unicode string>\", line 1, column 4", line: 0),
        YAMLCase("a: +.inf", repr: "{'a': inf}", type: "dict"),
        YAMLCase("a: +.nan", repr: "{'a': '+.nan'}", type: "dict"),
        YAMLCase("a: .Inf", repr: "{'a': inf}", type: "dict"),
        YAMLCase("a: ~", repr: "{'a': None}", type: "dict"),
        YAMLCase("a: Null", repr: "{'a': None}", type: "dict"),
        YAMLCase("a: NULL", repr: "{'a': None}", type: "dict"),
        YAMLCase("a: nULL", repr: "{'a': 'nULL'}", type: "dict"),
        YAMLCase("a: On", repr: "{'a': True}", type: "dict"),
        YAMLCase("a: oFF", repr: "{'a': 'oFF'}", type: "dict"),
        YAMLCase("a: Y", repr: "{'a': 'Y'}", type: "dict"),
        YAMLCase("a: n", repr: "{'a': 'n'}", type: "dict"),
        YAMLCase("a: 2024-01-31 ", repr: "{'a': datetime.date(2024, 1, 31)}", type: "dict"),
        YAMLCase("a: 2024-1-31", repr: "{'a': '2024-1-31'}", type: "dict"),
        YAMLCase("a: 1e-5", repr: "{'a': '1e-5'}", type: "dict"),
        YAMLCase("a: 0.00001", repr: "{'a': 1e-05}", type: "dict"),
        YAMLCase("a: 1000000000000000000.0", repr: "{'a': 1e+18}", type: "dict"),
        YAMLCase("a: 3.0", repr: "{'a': 3.0}", type: "dict"),
        YAMLCase("a: 'it''s'", repr: "{'a': \"it's\"}", type: "dict"),
        YAMLCase("a: \"tab\\there\"", repr: "{'a': 'tab\\there'}", type: "dict"),
        YAMLCase("a: 'x\\y'", repr: "{'a': 'x\\\\y'}", type: "dict"),
        YAMLCase("a: !!float 1", repr: "{'a': 1.0}", type: "dict"),
        YAMLCase("a: !!null ''", repr: "{'a': None}", type: "dict"),
        YAMLCase("a: [a, {b: c}]", repr: "{'a': ['a', {'b': 'c'}]}", type: "dict"),
        YAMLCase("a: {b: [1, 2]}", repr: "{'a': {'b': [1, 2]}}", type: "dict"),
        YAMLCase("a: !!timestamp 2024-1-5", repr: "{'a': datetime.date(2024, 1, 5)}", type: "dict"),
        YAMLCase("'1': a\n1: b", repr: "{'1': 'a', 1: 'b'}", type: "dict"),
        YAMLCase("? !!binary aGk=\n: x", repr: "{b'hi': 'x'}", type: "dict"),
        YAMLCase("a: 2000-02-29", repr: "{'a': datetime.date(2000, 2, 29)}", type: "dict"),
        YAMLCase("a: 1900-02-29", error: "ValueError", "day is out of range for month", line: nil),
        YAMLCase("a: 2024-01-31 25:00:00", error: "ValueError", "hour must be in 0..23", line: nil),
        YAMLCase("b: &anc\n  k: v\nc:\n  <<: *anc\n  k: w", repr: "{'b': {'k': 'v'}, 'c': {'k': 'w'}}", type: "dict"),
        YAMLCase("- a\n- b", repr: "['a', 'b']", type: "list"),
        YAMLCase("just text", repr: "'just text'", type: "str"),
        YAMLCase("", repr: "None", type: "NoneType"),
        YAMLCase("# comment\n", repr: "None", type: "NoneType"),
        YAMLCase("key: \"\\u00e9\\U0001F30D\"", repr: "{'key': '\u{e9}\u{1f30d}'}", type: "dict"),
        YAMLCase("a: !custom x", error: "ConstructorError", "could not determine a constructor for the tag '!custom'\n  in \"<unicode string>\", line 1, column 4", line: 0),
        YAMLCase("a: 1\n...\n", repr: "{'a': 1}", type: "dict"),
        YAMLCase("%YAML 1.1\n---\na: 1", repr: "{'a': 1}", type: "dict"),
        YAMLCase("a:\n  - 1\n  -\n  - 3", repr: "{'a': [1, None, 3]}", type: "dict"),
    ]

    @Test("matches PyYAML", arguments: cases)
    func matchesPyYAML(_ c: YAMLCase) throws {
        do {
            let value = try PyYAML.safeLoad(c.input) ?? PythonValue.none
            #expect(c.error == nil, "expected \(c.error ?? "") but loaded \(value.pythonRepr)")
            #expect(value.pythonRepr == c.repr)
            #expect(value.pythonTypeName == c.type)
        } catch let error as PyYAMLError {
            #expect(error.className == c.error)
            #expect(error.message == c.message)
            #expect(error.problemLine == c.line)
        }
    }

    @Test func aSetKeepsItsMembers() throws {
        let value = try PyYAML.safeLoad("a: !!set {x, y}")
        guard case .dict(let dict) = value, case .set(let members) = dict[string: "a"] else {
            Issue.record("expected a dict holding a set")
            return
        }
        #expect(Set(members) == [.string("x"), .string("y")])
    }

    @Test func aRecursiveAliasIsRefusedWithItsLine() throws {
        #expect(throws: PyYAMLError.self) { try PyYAML.safeLoad("a: 1\nb: &r [*r]") }
        do {
            _ = try PyYAML.safeLoad("a: 1\nb: &r [*r]")
        } catch let error as PyYAMLError {
            #expect(error.problemLine == 1)
        }
    }

    @Test func aLargeDocumentLoadsInOrder() throws {
        var text = ""
        for i in 0..<20_000 { text += "key_\(i): value \(i)\n" }
        let value = try PyYAML.safeLoad(text)
        guard case .dict(let dict) = value else { Issue.record("expected a dict"); return }
        #expect(dict.count == 20_000)
        #expect(dict.keys.first == .string("key_0"))
        #expect(dict[string: "key_19999"] == .string("value 19999"))
    }
}
