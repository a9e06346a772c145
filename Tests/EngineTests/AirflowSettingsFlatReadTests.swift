@testable import Engine
@testable import PythonCompat
import Foundation
import Testing
import TestSupport

/// `airflow_settings.yaml` in the block subset is read straight from the block composer's flat
/// document; everything else from a node tree. These cases hold the flat read to the tree read
/// (libyaml's tree and the block composer's tree): same entries, same errors.
@Suite("airflow_settings.yaml: the flat read agrees with the node-tree read")
struct AirflowSettingsFlatReadTests {
    static func outcome(_ text: String, flat: Bool, libyaml: Bool = true) -> String {
        do {
            let settings: AirflowSettingsFile
            if flat {
                settings = try AirflowSettingsFile.parse(text, path: "/p/airflow_settings.yaml", flatDocument: true)
            } else if libyaml {
                settings = try AirflowSettingsFile.parse(text, path: "/p/airflow_settings.yaml", flatDocument: false)
            } else {
                guard let root = Array(text.utf8).withUnsafeBufferPointer({ YAMLBlockComposer.compose($0) }) else { return "declined" }
                settings = try AirflowSettingsFile.read(root, path: "/p/airflow_settings.yaml")
            }
            return "variables \(settings.variables)\nconnections \(settings.connections)\npools \(settings.poolCount)"
        } catch {
            return "error \(error)"
        }
    }

    /// Checks one document; returns whether the flat read took it.
    @discardableResult
    static func check(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let flat = outcome(text, flat: true)
        #expect(flat == outcome(text, flat: false), "input: \(String(reflecting: text))", sourceLocation: sourceLocation)
        let blockTree = outcome(text, flat: false, libyaml: false)
        if blockTree != "declined" { #expect(flat == blockTree, "input: \(String(reflecting: text))", sourceLocation: sourceLocation) }
        return Array(text.utf8).withUnsafeBufferPointer { YAMLBlockComposer.composeDocument($0) } != nil
    }

    @Test func theSampleAndTypicalFilesAgree() {
        // The sample has an empty value, which the block composer leaves to libyaml.
        #expect(!Self.check(AirflowSettingsTierTests.sample))
        #expect(Self.check("airflow:\n  variables:\n    - variable_name: v\n      variable_value: x y\n  connections:\n    - conn_id: c\n      conn_type: postgres\n      conn_port: 5432\n"))
        for text in [
            "", "# only\n", "airflow:\n", "airflow: ~\n", "airflow: null\n", "airflow:\n  variables: ~\n  connections: null\n  pools: 3\n",
            "airflow:\n  pools: []\n", "airflow:\n  pools:\n    - pool_name: p\n    - pool_name: q\n", "airflow:\n  pools: x\n",
            "other: 1\n", "- a\n", "airflow: 1\n", "airflow:\n  variables: yes please\n",
            "airflow:\n  variables:\n    - variable_name: a\n      variable_value: [1, 2]\n",
            "airflow:\n  variables:\n    - variable_name: a\n      variable_name: b\n",
            "airflow:\n  variables:\n    - variable_name: a\n      VARIABLE_NAME: b\n      variable_value: c\n",
            "AIRFLOW:\n  Variables:\n    - Variable_Name: a\n      variable_VALUE: c\n",
            "airflow:\n  variables:\n    - x\n", "airflow:\n  variables:\n    - variable_name:\n        a: 1\n",
            "airflow:\n  connections:\n    - conn_id: c\n      conn_type: http\n      conn_port: eighty\n",
            "airflow:\n  connections:\n    - conn_id: c\n      conn_port: [1]\n",
            "airflow:\n  connections:\n    - conn_id: c\n      conn_type: http\n      conn_extra:\n        a: b\n        n: 1\n        t: true\n        q: '1'\n",
            "airflow:\n  connections:\n    - conn_id: c\n      conn_type: http\n      conn_extra:\n        - a\n",
            "airflow:\n  connections:\n    - conn_id: c\n      conn_type: http\n      conn_extra: '{\"a\": 1}'\n",
            "airflow:\n  connections:\n    - conn_id: c\n      conn_extra: ~\n      conn_uri: http://h\n",
            "airflow:\n  connections:\n    - conn_id: ''\n      conn_type: http\n",
            "airflow:\n  connections:\n    - conn_id: c\n      conn_type: http\n      conn_login: it's\n",
            "airflow:\n  variables:\n    - variable_name: 'a b'\n      variable_value: x\n",
            "airflow:\n  variables:\n    - variable_name: a\n      variable_value: \"it's\"\n",
            "airflow:\n  variables:\n  - variable_name: a\n    variable_value: 1.50\n  - variable_name: b\n    variable_value: 0x1F\n",
            "airflow:\n  variables:\n    - variable_name: a\n      variable_value: é\n",
            "airflow:\n  variables:\n    - variable_name: a\n      variable_value: x # comment\n",
            "airflow:\n  variables:\n    - {variable_name: a, variable_value: b}\n",
            "airflow:\n  variables: [unclosed\n",
            "a: 1\na: 2\n", "'a': 1\na: 2\n", "airflow:\n  variables: []\n  variables: ~\n",
        ] {
            Self.check(text)
        }
    }

    @Test func aMappingWithManyKeysChecksDuplicatesToo() {
        var keys = (0..<40).map { "  k\($0): v\n" }
        Self.check("airflow:\n" + keys.joined())
        keys.append("  k7: again\n")
        Self.check("airflow:\n" + keys.joined())
        #expect(Self.outcome("airflow:\n" + keys.joined(), flat: true).contains("'k7' appears twice"))
    }

    @Test func generatedFilesAgree() {
        var generator = SeededGenerator()
        let scalars = ["x", "1", "0", "017", "0x1F", "yes", "No", "true", "FALSE", "~", "null", "", "''", "1.5", "1e3", ".inf",
                       "2020-01-02", "a b", "a/b.c", "'q'", "\"dq\"", "'a # b'", "\"\"", "-x", "-1", "+1", "12:30",
                       "it's", "\"it's\"", "x,y", "[x]", "{a: 1}", "1_000", "9223372036854775808", "a:b", "Ünï"]
        let keys = ["variable_name", "variable_value", "Variable_Name", "conn_id", "conn_type", "conn_host", "conn_port",
                    "conn_uri", "conn_extra", "conn_login", "conn_password", "conn_schema", "CONN_ID", "other"]
        var taken = 0
        for _ in 0..<400 {
            let indent = ["  ", "    ", " "].randomElement(using: &generator)!
            let item = Bool.random(using: &generator) ? indent : indent + indent
            var text = "airflow:\n"
            for section in ["variables", "connections", "pools"].shuffled(using: &generator) where Int.random(in: 0...3, using: &generator) > 0 {
                text += "\(indent)\(section):\n"
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let count = Int.random(in: 1...4, using: &generator)
                    for k in 0..<count {
                        let key = keys.randomElement(using: &generator)!
                        let value = scalars.randomElement(using: &generator)!
                        text += "\(item)\(k == 0 ? "- " : "  ")\(key): \(value)\n"
                    }
                    if Int.random(in: 0...5, using: &generator) == 0 {
                        text += "\(item)  conn_extra:\n\(item)    a: \(scalars.randomElement(using: &generator)!)\n"
                    }
                }
            }
            if Self.check(text) { taken += 1 }
        }
        #expect(taken > 20, "many generated files should be in the block subset; \(generator.replay)")
    }

    @Test func theBenchmarkShapeTakesTheFlatRead() {
        var text = "airflow:\n  variables:\n"
        for i in 0..<500 { text += "    - variable_name: var_\(i)\n      variable_value: metastore value \(i)\n" }
        text += "  connections:\n"
        for i in 0..<200 { text += "    - conn_id: conn_\(i)\n      conn_type: postgres\n      conn_host: db\(i)\n      conn_port: 5432\n" }
        #expect(Self.check(text))
    }
}
