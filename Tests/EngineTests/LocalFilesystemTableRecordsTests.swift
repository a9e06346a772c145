@testable import Engine
import Foundation
import Testing
import TestSupport

/// Files of the common shapes are listed as rows of one table over the file's text, each
/// record built when it is read. Those records must be exactly the ones the entry path builds
/// (`loadVariables` / `loadConnections` without fast paths, then the tier's record rules), and
/// a file either path refuses must be refused the same way.
@Suite("Local files listed as table rows give the records of the general path")
struct LocalFilesystemTableRecordsTests {
    static func generalVariableRecords(_ tier: LocalFilesystemTier, path: String) throws -> [TierRecord] {
        try LocalFilesystemFile.loadVariables(path: path, rules: tier.rules, fastPath: false).compactMap { variable in
            guard case .string(let key) = variable.key else { return nil }
            return tier.variableRecord(key: key, value: variable.value, path: path, line: variable.line)
        }
    }

    static func generalConnectionRecords(_ tier: LocalFilesystemTier, path: String) throws -> [TierRecord] {
        try LocalFilesystemFile.loadConnections(path: path, dialect: tier.dialect, rules: tier.rules, fastPath: false)
            .compactMap { item in
                guard case .string(let key) = item.key else { return nil }
                return tier.connectionRecord(key: key, connection: item.connection, connID: item.connID, path: path, line: item.line)
            }
    }

    /// Loads `path` as each kind of file in every dialect and compares with the general path.
    static func expectAgreement(_ path: String, _ label: String) async {
        let url = URL(fileURLWithPath: path)
        for dialect in [ConnectionDialect.core, .airflow2, .sdk] {
            let asVariables = LocalFilesystemTier(variablesFile: url, connectionsFile: nil, dialect: dialect)
            let listedVariables = try? await asVariables.load().records
            let expectedVariables = try? generalVariableRecords(asVariables, path: path)
            #expect(listedVariables?.count == expectedVariables?.count, "\(label) variables (\(dialect))")
            #expect(listedVariables == expectedVariables, "\(label) variables (\(dialect))")
            #expect(listedVariables?.map(\.name) == expectedVariables?.map(\.name), "\(label) variable names (\(dialect))")
            #expect(listedVariables?.map(\.kind) == expectedVariables?.map(\.kind), "\(label) variable kinds (\(dialect))")

            let asConnections = LocalFilesystemTier(variablesFile: nil, connectionsFile: url, dialect: dialect)
            let listedConnections = try? await asConnections.load().records
            let expectedConnections = try? generalConnectionRecords(asConnections, path: path)
            #expect(listedConnections == expectedConnections, "\(label) connections (\(dialect))")
            #expect(listedConnections?.map(\.name) == expectedConnections?.map(\.name), "\(label) connection names (\(dialect))")
            #expect(listedConnections?.map(\.kind) == expectedConnections?.map(\.kind), "\(label) connection kinds (\(dialect))")
        }
    }

    @Test("fixture", arguments: Fixtures.localFilesystemFiles)
    func fixtureFilesAgree(_ name: String) async {
        await Self.expectAgreement(Fixtures.url("local-filesystem").appendingPathComponent(name).path, name)
    }

    /// Common-shape files with the cases rows must carry: escapes, typed YAML scalars, a key
    /// repeated in YAML, empty values, a key Airflow's sanitising refuses, non-ASCII values
    /// (not in YAML, whose flat read is ASCII only).
    static let generated: [(name: String, text: String)] = [
        ("vars.env", "a=1\n# comment\n\nb=two words\nc=ünïcode ✓\nd=x=y\n"),
        ("vars.json", #"{"a": "1", "b": "tab\there \u00e9 \"q\"", "c": "", "d": "ü✓"}"#),
        ("vars.yaml", "a: 1\nb: two words\nc: 'quoted: yes'\nd: true\ne: 2024-01-02\nf: \"dq\"\na: again\nh: 0x1F\n"),
        // The flat YAML read takes ASCII only: a non-ASCII file goes through the general path (and still agrees).
        ("conns.env", "db=postgres://u:p%40ss@h:5432/s?x=1\nweb=http://example.com\nbad id=mysql://h\n"),
        ("conns.yaml", "a: postgres://u:p@h/s\n# between\nb:\n  conn_type: http\n  host: 'h.example.com'\n  port: 8080\n  extra:\n    k: 1\n    deep:\n      x: \"y\"\nbad id:\n  conn_type: x\n\n  login: me\nc:\n  conn_type: http\n  password: 'p w'\n"),
        ("conns.json", #"{"a": "postgres://u:p@h/s", "b": {"conn_type": "http", "host": "h\u00e9", "port": 8080, "extra": {"k": 1}}, "bad id": {"conn_type": "x"}, "c": {"conn_type": "http", "password": ""}}"#),
    ]

    @Test func generatedCommonShapesAgreeAndAreTables() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-table-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in Self.generated {
            let url = folder.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            await Self.expectAgreement(url.path, name)
            // The shape is one the rows take (the point of this file).
            let (read, format) = try LocalFilesystemFile.readSecretFile(path: url.path, rules: .current)
            let tier = LocalFilesystemTier(variablesFile: nil, connectionsFile: url, dialect: .core)
            if name.hasPrefix("vars") {
                #expect(LocalFilesystemFile.variableRows(text: read, format: format) != nil, "\(name) is read as rows")
            } else {
                #expect(tier.connectionTable(text: read, format: format, path: url.path) != nil, "\(name) is read as rows")
            }
        }
    }

    /// Found by fuzzing: a control character in a comment before the first entry makes libyaml
    /// refuse the whole file, so the rows (which compose entry by entry) must not take it.
    @Test func aControlCharacterBeforeTheFirstYAMLEntryRefusesTheFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-table-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("conns.yaml")
        try Data("#\"\u{1E}\u{0}line1\\nline2\nTR\"if\"n: In}\n".utf8).write(to: url)
        let tier = LocalFilesystemTier(variablesFile: nil, connectionsFile: url, dialect: .core)
        let text = try PythonTextFile.read(path: url.path)
        #expect(tier.connectionTable(text: text, format: .yaml, path: url.path) == nil)
        await #expect(throws: TierError.self) { try await tier.load() }
        await Self.expectAgreement(url.path, "control character in a leading comment")
        // The same entry after an ordinary comment is read as a row, with its own line.
        try Data("# a comment\n\nTR\"if\"n: http://h\n".utf8).write(to: url)
        let listed = try await tier.load().records
        #expect(listed.map(\.name) == [#"TR"if"n"#] && listed.first?.metadataValue(forKey: "line") == "3")
        await Self.expectAgreement(url.path, "ordinary leading comment")
    }

    @Test func aConnectionsFileAirflowRefusesIsRefusedNotListed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-table-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("conns.env")
        // The second URI has an invalid port: Airflow raises for the whole file.
        try "a=postgres://h:5432/s\nb=postgres://h:99999999999999999999/s\n".write(to: url, atomically: true, encoding: .utf8)
        let tier = LocalFilesystemTier(variablesFile: nil, connectionsFile: url, dialect: .core)
        await #expect(throws: TierError.self) { try await tier.load() }
        #expect(throws: (any Error).self) { try Self.generalConnectionRecords(tier, path: url.path) }
    }
}

/// A record that is a row of a table behaves as the boxed record it stands for.
@Suite("Table records read, compare and change like boxed records")
struct TierRecordTableTests {
    static func boxed(_ row: Int) -> TierRecord {
        TierRecord(kind: row % 2 == 0 ? .variable : .connection, name: "name_\(row)", suggestedID: "id_\(row)",
                   state: .present(.variable("value \(row)")), rawText: "value \(row)", file: "/f", line: row + 1)
    }

    static let table = TierRecordTable(count: 4, materialize: { boxed($0) }, name: { "name_\($0)" },
                                       kind: { $0 % 2 == 0 ? .variable : .connection })

    @Test func aRowReadsAsItsBoxedRecord() {
        for (row, record) in Self.table.records.enumerated() {
            let expected = Self.boxed(row)
            #expect(record == expected && expected == record)
            #expect(record.hashValue == expected.hashValue)
            #expect(record.name == expected.name && record.kind == expected.kind && record.suggestedID == expected.suggestedID)
            #expect(record.state == expected.state && record.rawText == expected.rawText)
            #expect(record.metadata == ["file": "/f", "line": String(row + 1)])
            #expect(record.metadataValue(forKey: "line") == String(row + 1))
        }
        #expect(Self.table.records[0] != Self.table.records[1])
    }

    @Test func changingARowChangesThatRecordOnly() {
        let records = Self.table.records
        var changed = records[2]
        changed.rawText = "other"
        changed.exactReason = "exact"
        #expect(changed.rawText == "other" && changed.exactReason == "exact" && changed.name == "name_2")
        #expect(changed != records[2])
        #expect(records[2].rawText == "value 2" && records[2].exactReason == nil)
        #expect(Self.table.records[2] == Self.boxed(2))
        // A boxed record shared by two copies is copied on change, too.
        var first = Self.boxed(1)
        let second = first
        first.name = "renamed"
        #expect(first.name == "renamed" && second.name == "name_1")
    }
}
