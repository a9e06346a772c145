@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite("airflow_settings.yaml tier")
struct AirflowSettingsTierTests {
    static let sample = """
    # astro dev start loads this into the local metastore
    airflow:
      connections:
        - conn_id: my_postgres
          conn_type: postgres
          conn_host: db.local
          conn_schema: analytics
          conn_login: user
          conn_password: pw
          conn_port: "5432"
          conn_extra:
            sslmode: require
            retries: 3
        - conn_id: from_uri
          conn_uri: mysql://u:p@h:3306/db
        - conn_id: no_type
          conn_host: h
        - conn_id: my_postgres
          conn_type: http
      variables:
        - variable_name: region
          variable_value: eu-west-1
        - variable_name: flag
          variable_value: true
        - variable_name: skipped
          variable_value:
        - variable_name: quoted
          variable_value: "it's"
        - variable_name: region
          variable_value: us-east-1
      pools:
        - pool_name: p
          pool_slot: 2
    """

    func load(_ text: String, dialect: ConnectionDialect = .core) async throws -> TierSnapshot {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("airflow_settings.yaml", text)
        return try await AirflowSettingsTier(fileURL: file, dialect: dialect).load()
    }

    @Test func entriesBecomeWhatTheMetastoreWouldHold() async throws {
        let snapshot = try await load(Self.sample)
        let byName = Dictionary(uniqueKeysWithValues: snapshot.records.map { ("\($0.kind):\($0.name)", $0) })
        #expect(byName["variable:region"]?.state == .present(.variable("us-east-1")), "a later variable entry wins")
        #expect(byName["variable:flag"]?.state == .present(.variable("1")), "Go's weak typing turns true into 1")
        #expect(byName["variable:skipped"] == nil, "an empty value is skipped by the Astro CLI")
        guard case .unreadable(let reason)? = byName["variable:quoted"]?.state else {
            Issue.record("a single quote breaks the CLI's bash command")
            return
        }
        #expect(reason.contains("single quote"))
        guard case .present(.connection(let pg))? = byName["connection:my_postgres"]?.state else {
            Issue.record("my_postgres must load")
            return
        }
        #expect(pg.connType == "postgres", "the first entry wins: connections add refuses a second")
        #expect(pg.port == 5432)
        #expect(pg.extra == "{\"sslmode\": \"require\"}", "non-string extra members are dropped")
        #expect(byName["connection:my_postgres"]?.metadata["notes"]?.contains("retries") == true)
        #expect(byName["connection:my_postgres"]?.metadata["line"] == "4")
        guard case .present(.connection(let fromURI))? = byName["connection:from_uri"]?.state else {
            Issue.record("from_uri must parse")
            return
        }
        #expect(fromURI.host == "h" && fromURI.port == 3306 && fromURI.schema == "db")
        guard case .unreadable? = byName["connection:no_type"]?.state else {
            Issue.record("without conn_type or conn_uri the CLI skips the connection")
            return
        }
        #expect(snapshot.warnings.contains { $0.contains("listed again") })
    }

    @Test func keysAreLookedUpExactlyInTheMetastoreTier() throws {
        let tier = AirflowSettingsTier(fileURL: URL(fileURLWithPath: "/p/airflow_settings.yaml"), dialect: .sdk)
        #expect(tier.descriptor.tier == .metastore)
        #expect(tier.descriptor.label == "airflow_settings.yaml (loaded into the metastore by astro dev start)")
        #expect(tier.lookupName(for: .variable("My_Var")) == .name("My_Var"))
        #expect(tier.dialect == .core, "the metastore is read by the server's parser")
    }

    @Test func anEmptyOrAirflowlessFileHoldsNothing() async throws {
        #expect(try await load("").records.isEmpty)
        #expect(try await load("# nothing yet\n").records.isEmpty)
        #expect(try await load("airflow:\n  connections:\n  variables:\n").records.isEmpty)
    }

    @Test("malformed files fail naming file and line", arguments: [
        ("airflow:\n  variables:\n    - variable_name: a\n      variable_value: [1, 2]\n", 4),
        ("airflow:\n  variables: [unclosed\n", 3),
        ("airflow:\n  connections:\n    - conn_id: c\n      conn_type: http\n      conn_port: eighty\n", 5),
        ("airflow:\n  variables:\n    - variable_name: a\n      variable_name: b\n", 4),
        ("airflow:\n  variables: yes please\n", 2),
    ])
    func malformed(_ text: String, line: Int) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("airflow_settings.yaml", text)
        let tier = AirflowSettingsTier(fileURL: file, dialect: .core)
        let error = await #expect(throws: TierError.self) { try await tier.load() }
        #expect(error?.message.hasPrefix("\(file.path):\(line):") == true, "\(error?.message ?? "")")
    }

    @Test func secretsNeverAppearInErrors() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("airflow_settings.yaml",
                                 "airflow:\n  connections:\n    - conn_id: c\n      conn_uri: x://u:topsecret@h:99999/db\n")
        let snapshot = try await AirflowSettingsTier(fileURL: file, dialect: .core).load()
        guard case .unreadable(let reason)? = snapshot.records.first?.state else {
            Issue.record("a port out of range cannot be added")
            return
        }
        #expect(!reason.contains("topsecret"))
    }

    @Test func nonUTF8AndBOMFiles() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bad = dir.url.appendingPathComponent("bad.yaml")
        try Data([0x61, 0x3A, 0x20, 0xC3, 0x28]).write(to: bad)
        await #expect(throws: TierError.self) { try await AirflowSettingsTier(fileURL: bad, dialect: .core).load() }
        let bom = try dir.write("bom.yaml", "\u{FEFF}airflow:\n  variables:\n    - variable_name: a\n      variable_value: b\n")
        let snapshot = try await AirflowSettingsTier(fileURL: bom, dialect: .core).load()
        #expect(snapshot.records.first?.state == .present(.variable("b")))
    }

    @Test func goYAMLWeakTyping() {
        #expect(GoYAML.plainScalarKind("5") == .int("5"))
        #expect(GoYAML.plainScalarKind("yes") == .string, "yaml.v3 reads yes as a string")
        #expect(GoYAML.plainScalarKind("1.50") == .float(1.5))
        #expect(GoYAML.formatFloat(1.5) == "1.5")
        #expect(GoYAML.formatFloat(1e21) == "1000000000000000000000")
        #expect(GoYAML.formatFloat(2.0) == "2")
    }
}
