@testable import Engine
@testable import Editing
import Foundation
import Testing
import TestSupport

/// The file `astro dev init` writes (trimmed of its links), plus one real entry of each kind.
private let template = """
# This file allows you to configure Airflow Connections, Pools, and Variables in a single place for local development only.
# NOTE: json dicts can be added to the conn_extra field as yaml key value pairs. See the example below.

airflow:
  connections:
    - conn_id:
      conn_type:
      conn_host:
      conn_schema:
      conn_login:
      conn_password:
      conn_port:
      conn_extra:
        example_extra_field: example-value
    # the warehouse
    - conn_id: warehouse
      conn_type: postgres
      conn_host: wh.internal
      conn_port: 5432
  pools:
    - pool_name:
      pool_slot:
      pool_description:
  variables:
    - variable_name:
      variable_value:
    - variable_name: region
      variable_value: eu-west-1  # where we run

"""

private func settingsState(_ url: URL, _ kind: SecretKind, _ name: String) async throws -> EntryState {
    try await loadedState(AirflowSettingsTier(fileURL: url, dialect: .core), kind, name)
}

private let api = Connection(connType: "http", host: "api.example.com", login: "svc", password: "p@ss: #w/rd", schema: "https",
                             port: 443, extra: #"{"timeout": 30, "verify": true}"#)

@Suite struct AirflowSettingsWriterEntries {
    @Test func aNewConnectionIsAddedAfterTheLastEntry() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("airflow_settings.yaml", template)
        let w = AirflowSettingsWriter(fileURL: url, dialect: .core)
        #expect(w.connectionForms == [.fields])
        let receipt = try await w.apply(.set(.connection("api"), .connection(api), form: .fields), expecting: .absent)
        #expect(receipt.created)
        #expect(receipt.notes.contains { $0.contains("astro dev restart") })
        let expected = template.replacingOccurrences(of: "      conn_port: 5432\n  pools:", with: """
              conn_port: 5432
            - conn_id: api
              conn_type: http
              conn_host: api.example.com
              conn_schema: https
              conn_login: svc
              conn_password: 'p@ss: #w/rd'
              conn_port: 443
              conn_extra: '{"timeout": 30, "verify": true}'
          pools:
        """)
        #expect(try s.text("airflow_settings.yaml") == expected)
        #expect(try await settingsState(url, .connection, "api") == .present(.connection(api)))
        #expect(try await settingsState(url, .connection, "warehouse")
                == .present(.connection(Connection(connType: "postgres", host: "wh.internal", port: 5432))))
    }

    @Test func anEntryIsReplacedInPlaceAndDeletedWhole() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("airflow_settings.yaml", template)
        let w = AirflowSettingsWriter(fileURL: url, dialect: .core)
        let base = try await w.read(.connection("warehouse"))
        var moved = Connection(connType: "postgres", host: "wh2.internal", login: "etl", port: 5433)
        _ = try await w.apply(.set(.connection("warehouse"), .connection(moved), form: .fields), expecting: base)
        #expect(try s.text("airflow_settings.yaml") == template.replacingOccurrences(
            of: "      conn_host: wh.internal\n      conn_port: 5432\n",
            with: "      conn_host: wh2.internal\n      conn_login: etl\n      conn_port: 5433\n"))
        moved.login = "etl"
        _ = try await w.apply(.delete(.connection("warehouse")), expecting: .present(.connection(moved)))
        #expect(try s.text("airflow_settings.yaml") == template.replacingOccurrences(
            of: "    - conn_id: warehouse\n      conn_type: postgres\n      conn_host: wh.internal\n      conn_port: 5432\n", with: ""))
        #expect(try await settingsState(url, .connection, "warehouse") == .absent)
    }

    @Test func variablesAreReplacedAddedAndDeleted() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("airflow_settings.yaml", template)
        let w = AirflowSettingsWriter(fileURL: url, dialect: .core)
        #expect(try await w.read(.variable("region")) == .present(.variable("eu-west-1")))
        _ = try await w.apply(.set(.variable("region"), .variable("us-east-1", description: nil)), expecting: .present(.variable("eu-west-1")))
        _ = try await w.apply(.set(.variable("flag"), .variable("true", description: nil)), expecting: .absent)
        #expect(try s.text("airflow_settings.yaml") == template.replacingOccurrences(
            of: "      variable_value: eu-west-1  # where we run\n",
            with: "      variable_value: us-east-1\n    - variable_name: flag\n      variable_value: 'true'\n"))
        #expect(try await settingsState(url, .variable, "flag") == .present(.variable("true")))
        _ = try await w.apply(.delete(.variable("flag")), expecting: .present(.variable("true")))
        _ = try await w.apply(.delete(.variable("region")), expecting: .present(.variable("us-east-1")))
        #expect(try s.text("airflow_settings.yaml") == template.replacingOccurrences(
            of: "    - variable_name: region\n      variable_value: eu-west-1  # where we run\n", with: ""))
    }

    @Test(arguments: ["true", "123", "0x1F", "1.5", "null", "~", "a: b", "# hash", "Grüße 🌍", "- dash", "{json: 1}", " padded ",
                      "two\nlines", "back\\slash", "\"quoted\"", "tab\tx", "2024-01-31"])
    func variableValuesReadBackExactly(_ value: String) async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("airflow_settings.yaml", template)
        let w = AirflowSettingsWriter(fileURL: url, dialect: .core)
        _ = try await w.apply(.set(.variable("v"), .variable(value, description: nil)), expecting: .absent)
        #expect(try await settingsState(url, .variable, "v") == .present(.variable(value)))
        #expect(try await settingsState(url, .variable, "region") == .present(.variable("eu-west-1")))
    }

    @Test func missingSectionsAndFilesAreCreated() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("airflow_settings.yaml", "# settings\nairflow:\n  pools: []\n")
        let w = AirflowSettingsWriter(fileURL: url, dialect: .core)
        _ = try await w.apply(.set(.variable("a"), .variable("1", description: nil)), expecting: .absent)
        #expect(try s.text("airflow_settings.yaml") == "# settings\nairflow:\n  pools: []\n  variables:\n    - variable_name: a\n      variable_value: '1'\n")

        let empty = try s.write("empty/airflow_settings.yaml", "airflow:\n  connections:\n")
        _ = try await AirflowSettingsWriter(fileURL: empty, dialect: .core)
            .apply(.set(.connection("c"), .connection(Connection(connType: "http", host: "h")), form: .fields), expecting: .absent)
        #expect(try String(contentsOf: empty, encoding: .utf8) == "airflow:\n  connections:\n    - conn_id: c\n      conn_type: http\n      conn_host: h\n")

        let missing = s.file("none/airflow_settings.yaml")
        try FileManager.default.createDirectory(at: missing.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = try await AirflowSettingsWriter(fileURL: missing, dialect: .core)
            .apply(.set(.variable("b"), .variable("x", description: nil)), expecting: .absent)
        #expect(try String(contentsOf: missing, encoding: .utf8) == "airflow:\n  variables:\n    - variable_name: b\n      variable_value: x\n")
        #expect(try s.mode("none/airflow_settings.yaml") == 0o600)
    }
}

@Suite struct AirflowSettingsWriterRefusals {
    @Test func whatTheAstroCLICannotLoadIsRefused() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("airflow_settings.yaml", template)
        let w = AirflowSettingsWriter(fileURL: url, dialect: .core)
        let cases: [TierChange] = [
            .set(.variable("q"), .variable("it's", description: nil)),
            .set(.variable("e"), .variable("", description: nil)),
            .set(.connection("u"), .connection(api), form: .uri),
            .set(.connection("t"), .connection(Connection(host: "no-type"))),
            .set(.connection("p"), .connection(Connection(connType: "http", password: "o'clock")), form: .fields),
        ]
        for change in cases {
            let error = await editError { _ = try await w.apply(change, expecting: .absent) }
            #expect(error?.kind == .invalid, "\(change.key)")
        }
        #expect(try s.text("airflow_settings.yaml") == template)
    }

    @Test func aChangeBehindStratasBackIsAConflict() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("airflow_settings.yaml", template)
        let w = AirflowSettingsWriter(fileURL: url, dialect: .core)
        let base = try await w.read(.variable("region"))
        let changed = template.replacingOccurrences(of: "eu-west-1", with: "ap-south-1")
        try s.write("airflow_settings.yaml", changed)
        let error = await editError { _ = try await w.apply(.delete(.variable("region")), expecting: base) }
        #expect(error?.kind == .conflict)
        #expect(try s.text("airflow_settings.yaml") == changed)
    }

    @Test func flowStyleListsAreLeftToTheUser() async throws {
        let s = try Scratch(); defer { s.remove() }
        let text = "airflow:\n  variables: [{variable_name: a, variable_value: b}]\n"
        let url = try s.write("airflow_settings.yaml", text)
        let error = await editError {
            _ = try await AirflowSettingsWriter(fileURL: url, dialect: .core)
                .apply(.set(.variable("c"), .variable("d", description: nil)), expecting: .absent)
        }
        #expect(error?.kind == .unsupported)
        #expect(try s.text("airflow_settings.yaml") == text)
    }
}
