import Engine
import Foundation
import TestSupport
import Testing
@testable import Editing

/// The round trips with real Airflow 3.3.2's CLI: Strata's exports imported by `airflow
/// connections import` / `airflow variables import` give back every source value exactly, and
/// Airflow's own exports read by Strata equal what Airflow's own import makes of them.
/// Failures name keys and fields only: the values are (made-up) secrets.
@Suite("Round trips with the real Airflow CLI")
struct AirflowCLIRoundTripTests {
    /// The metastore's rows as values, by key.
    static func values(_ dump: RealAirflowCLI.Dump) -> [SecretKey: EditValue] {
        var result: [SecretKey: EditValue] = [:]
        func text(_ row: [String: Any], _ field: String) -> String? { row[field] as? String }
        for (id, row) in dump.connections {
            result[.connection(id)] = .connection(Connection(
                connType: text(row, "conn_type"), host: text(row, "host"), login: text(row, "login"),
                password: text(row, "password"), schema: text(row, "schema"), port: (row["port"] as? NSNumber)?.intValue,
                extra: text(row, "extra"), description: text(row, "description")))
        }
        for (id, row) in dump.variables {
            result[.variable(id)] = .variable(text(row, "value") ?? "", description: text(row, "description"))
        }
        return result
    }

    @Test func strataExportsImportIntoAirflowExactly() async throws {
        let dir = try TemporaryDirectory("strata-roundtrip")
        defer { dir.remove() }
        let airflow = try RealAirflowCLI(dir: dir)
        var exports: [(file: URL, output: ExportOutput, kind: SecretKind)] = []
        for format in [TransferFormat.json, .yaml, .env] {
            for kind in [SecretKind.connection, .variable] {
                let output = try ExportWriter.write(TransferSamples.items, format: format, kinds: [kind])
                let file = dir.url.appendingPathComponent("\(kind.rawValue)s.\(format.fileExtension)")
                try output.data.write(to: file)
                exports.append((file, output, kind))
            }
        }
        let steps = exports.map { export in
            RealAirflowCLI.Step(argv: [export.kind == .connection ? "connections" : "variables", "import", export.file.path],
                                clear: true, dump: true)
        }
        let dumps = try await airflow.run(steps)
        try #require(dumps.count == exports.count)
        for (export, dump) in zip(exports, dumps) {
            let name = export.file.lastPathComponent
            #expect(!dump.failed, "\(name): Airflow's import took the file")
            let stored = Self.values(dump)
            #expect(Set(stored.keys) == Set(export.output.written), "\(name): Airflow stored exactly the keys written")
            #expect(export.output.written.count + export.output.skipped.count == (export.kind == .connection
                ? TransferSamples.connections.count : TransferSamples.variables.count), "\(name): every key is written or named")
            for key in export.output.written {
                guard let source = TransferSamples.value(of: key), let got = stored[key] else { continue }
                let noted = export.output.notes.filter { $0.key == key }.map(\.reason).joined()
                let differing = TransferSamples.differingFields(source, got)
                #expect(differing.allSatisfy { noted.contains($0) }, "\(name): \(key.id) differs in \(differing), noted: \(noted.isEmpty ? "nothing" : "some")")
            }
        }
        // The JSON and YAML files lose nothing but the one empty password Airflow never stores.
        for (export, dump) in zip(exports, dumps) where !export.file.path.hasSuffix(".env") {
            #expect(export.output.skipped.map(\.key.id) == (export.kind == .connection ? ["no_type"] : []),
                    "\(export.file.lastPathComponent) skipped only the connection without conn_type")
            let stored = Self.values(dump)
            let differing = export.output.written.filter { key in
                TransferSamples.value(of: key).map { TransferSamples.differingFields($0, stored[key] ?? $0) } != []
            }
            #expect(differing.map(\.id) == (export.kind == .connection ? ["empty_fields"] : []), "\(export.file.lastPathComponent)")
        }
    }

    @Test func strataExportsForAirflow2ImportIntoAirflow2Exactly() async throws {
        let dir = try TemporaryDirectory("strata-roundtrip")
        defer { dir.remove() }
        let airflow = try RealAirflowCLI(dir: dir, binary: "STRATA_TEST_AIRFLOW2_BIN")
        let requests: [(TransferFormat, SecretKind)] = [(.json, .connection), (.yaml, .connection), (.env, .connection), (.json, .variable)]
        var exports: [(file: URL, output: ExportOutput, kind: SecretKind)] = []
        for (format, kind) in requests {
            let output = try ExportWriter.write(TransferSamples.items, format: format, kinds: [kind], airflow: .v2)
            let file = dir.url.appendingPathComponent("\(kind.rawValue)s.\(format.fileExtension)")
            try output.data.write(to: file)
            exports.append((file, output, kind))
        }
        let dumps = try await airflow.run(exports.map { export in
            RealAirflowCLI.Step(argv: [export.kind == .connection ? "connections" : "variables", "import", export.file.path],
                                clear: true, dump: true)
        })
        try #require(dumps.count == exports.count)
        for (export, dump) in zip(exports, dumps) {
            let name = export.file.lastPathComponent
            #expect(!dump.failed, "\(name): Airflow 2's import took the file")
            let stored = Self.values(dump)
            #expect(Set(stored.keys) == Set(export.output.written), "\(name): Airflow 2 stored exactly the keys written")
            for key in export.output.written {
                guard let source = TransferSamples.value(of: key), let got = stored[key] else { continue }
                let noted = export.output.notes.filter { $0.key == key }.map(\.reason).joined()
                let differing = TransferSamples.differingFields(source, got)
                #expect(differing.allSatisfy { noted.contains($0) }, "\(name): \(key.id) differs in \(differing)")
            }
        }
        // Every variable, JSON-looking ones included, is stored as it was; only descriptions are noted.
        let variables = exports[3].output
        #expect(variables.written.count == TransferSamples.variables.count)
        #expect(Set(variables.notes.map(\.key.id)) == ["described", "empty_desc", "tab\tkey"])
    }

    @Test func airflowsOwnExportsReadByStrataEqualWhatAirflowImportsFromThem() async throws {
        let dir = try TemporaryDirectory("strata-roundtrip")
        defer { dir.remove() }
        let airflow = try RealAirflowCLI(dir: dir)
        func path(_ name: String) -> String { dir.url.appendingPathComponent(name).path }
        for kind in [SecretKind.connection, .variable] {
            let output = try ExportWriter.write(TransferSamples.items, format: .json, kinds: [kind])
            try output.data.write(to: URL(fileURLWithPath: path("source-\(kind.rawValue)s.json")))
        }
        // Airflow's exports of the samples, then each imported alone into an empty metastore.
        let exports: [(name: String, kind: SecretKind, argv: [String])] = [
            ("c.json", .connection, ["connections", "export", path("c.json")]),
            ("c.yaml", .connection, ["connections", "export", path("c.yaml")]),
            ("c.env", .connection, ["connections", "export", path("c.env")]),
            ("cj.env", .connection, ["connections", "export", path("cj.env"), "--serialization-format", "json"]),
            ("v.json", .variable, ["variables", "export", path("v.json")]),
            ("v.yaml", .variable, ["variables", "export", path("v.yaml")]),
        ]
        var steps = [RealAirflowCLI.Step(argv: ["connections", "import", path("source-connections.json")]),
                     RealAirflowCLI.Step(argv: ["variables", "import", path("source-variables.json")], dump: true)]
        steps += exports.map { RealAirflowCLI.Step(argv: $0.argv) }
        steps += exports.map { export in
            RealAirflowCLI.Step(argv: [export.kind == .connection ? "connections" : "variables", "import", path(export.name)],
                                clear: true, dump: true)
        }
        let dumps = try await airflow.run(steps)
        try #require(dumps.count == exports.count + 1)
        let source = Self.values(dumps[0])
        #expect(!dumps[0].failed, "the samples load into Airflow")
        for (export, dump) in zip(exports, dumps.dropFirst()) {
            let url = URL(fileURLWithPath: path(export.name))
            if dump.failed {
                // Airflow's import refuses its own export (its YAML variables file escapes
                // characters beyond the BMP as surrogate pairs, which YAML forbids): so does Strata.
                #expect(throws: TransferError.self, "\(export.name): Airflow refuses it, Strata must too") {
                    try ImportReader.readFile(url, kinds: [export.kind])
                }
                continue
            }
            let file = try ImportReader.readFile(url, kinds: [export.kind])
            let read = Dictionary(file.items.items.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            // Airflow's import parses a JSON line of a .env file as a URI and stores garbage;
            // Strata reads the JSON, which gives back the source, and says so.
            let expected = export.name == "cj.env" ? source.filter { $0.key.kind == .connection } : Self.values(dump)
            #expect(Set(read.keys) == Set(expected.keys), "\(export.name): the same keys")
            #expect(file.items.problems.isEmpty, "\(export.name): problems for \(file.items.problems.map(\.key.id))")
            for (key, value) in expected {
                guard let got = read[key] else { continue }
                let differing = TransferSamples.differingFields(value, got)
                #expect(differing.isEmpty, "\(export.name): \(key.id) differs in \(differing)")
            }
            #expect(file.notes.isEmpty == (export.name != "cj.env"), "\(export.name): notes only for JSON lines in .env")
        }
        // Airflow's own variable export is lossy; Strata's reading of it is lossy in the same way.
        let airflowRoundTrip = Self.values(dumps[5])
        #expect(airflowRoundTrip[.variable("json_like")] != source[.variable("json_like")],
                "Airflow's export re-serialises a JSON-looking variable (the loss Strata's export avoids)")
    }
}
