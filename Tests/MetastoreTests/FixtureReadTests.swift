import Engine
import Foundation
import Metastore
import Testing
import TestSupport

/// Reading the databases real Airflow 3.3.2 wrote must give what Airflow gives
/// (`fixtures/metastore/*.expected.json`), and Strata's own states must never show ciphertext.
@Suite struct FixtureReadTests {
    /// The settings the fixture records, by its section names.
    static func settings() throws -> [(section: String, key: String?)] {
        let new = try MetastoreFixture.keyNew, old = try MetastoreFixture.keyOld
        return [("K_NEW,K_OLD", "\(new),\(old)"), ("K_NEW_only", new), ("K_OLD_only", old), ("no_key", nil)]
    }

    static func section(_ name: String, in expected: [String: Any]) -> [String: Any] {
        if name == "K_NEW,K_OLD" {
            return ["variables": expected["variables"]!, "connections": expected["connections"]!]
        }
        return (expected["reads_with_other_fernet_settings"] as! [String: Any])[name] as! [String: Any]
    }

    @Test("Airflow's own answers for every row under every fernet_key setting of the main fixture")
    func airflowViewMatchesMainFixture() async throws {
        let expected = try MetastoreFixture.expected()
        for (name, key) in try Self.settings() {
            let tier = try MetastoreTier(deployment: MetastoreFixture.deployment(MetastoreFixture.mainDatabase, fernetKey: key))
            let readout = try await tier.read()
            let section = Self.section(name, in: expected)
            try checkAirflowView(readout, tier: tier, section: section, setting: name)
        }
    }

    @Test("Airflow's own answers for the no-fernet fixture, with no key and with K_NEW set")
    func airflowViewMatchesNoFernetFixture() async throws {
        let expected = try MetastoreFixture.expected("airflow-3.3.2-nofernet.expected.json")
        let cases: [(String, String?, [String: Any])] = [
            ("no key", nil, ["variables": expected["variables"]!, "connections": expected["connections"]!]),
            ("K_NEW_only", try MetastoreFixture.keyNew,
             (expected["reads_with_other_fernet_settings"] as! [String: Any])["K_NEW_only"] as! [String: Any]),
        ]
        for (name, key, section) in cases {
            let tier = try MetastoreTier(deployment: MetastoreFixture.deployment(MetastoreFixture.noFernetDatabase, fernetKey: key))
            try checkAirflowView(try await tier.read(), tier: tier, section: section, setting: name)
        }
    }

    private func checkAirflowView(_ readout: MetastoreReadout, tier: MetastoreTier, section: [String: Any], setting: String) throws {
        let variables = section["variables"] as! [String: [String: Any]]
        let connections = section["connections"] as! [String: [String: Any]]
        #expect(Set(readout.variables.map(\.key)) == Set(variables.keys), "variable keys under \(setting)")
        #expect(Set(readout.connections.map(\.connID)) == Set(connections.keys), "conn_ids under \(setting)")
        for row in readout.variables {
            let want = try #require(variables[row.key])
            let answer = tier.decoder.airflowAnswer(for: row)
            if let value = want["value"] as? String {
                #expect(answer == .value(value), "Variable.get(\(row.key)) under \(setting)")
            } else {
                #expect(want["error"] as? String == "KeyError")
                #expect(want["message"] as? String == "'Variable \(row.key) does not exist.'")
                #expect(answer == .missing, "Variable.get(\(row.key)) under \(setting) is a KeyError")
            }
        }
        for row in readout.connections {
            let want = try #require(connections[row.connID])
            let answer = tier.decoder.airflowAnswer(for: row)
            if want["conn_type"] != nil {
                guard case .connection(let connection) = answer else {
                    Issue.record("\(row.connID) under \(setting): Airflow reads it, Strata's Airflow view says \(answer)")
                    continue
                }
                #expect(MetastoreFixture.matches(connection, want), "\(row.connID) under \(setting)")
                #expect(try connection.uri(dialect: .core) == want["uri"] as? String, "\(row.connID) get_uri() under \(setting)")
            } else {
                let lookup = try #require(MetastoreFixture.failure(want["lookup"]))
                #expect(lookup == AirflowConnectionAnswer.lookupFailure(connID: row.connID))
                let underlying = MetastoreFixture.failure(want["metastore_backend"]) ?? MetastoreFixture.failure(want["extra_read"])
                #expect(answer == .failed(try #require(underlying)), "\(row.connID) under \(setting)")
            }
        }
    }

    @Test("Strata shows every row of the main fixture with both keys: values, descriptions, flags, keys used")
    func strataStatesWithBothKeys() async throws {
        let expected = try MetastoreFixture.expected()
        let tier = try MetastoreTier(deployment: MetastoreFixture.deployment(
            MetastoreFixture.mainDatabase, fernetKey: "\(try MetastoreFixture.keyNew),\(try MetastoreFixture.keyOld)"))
        let readout = try await tier.read()
        let keyIndex = ["K_NEW": "0", "K_OLD": "1"]
        let variables = expected["variables"] as! [String: [String: Any]]
        #expect(readout.variableRecords.count == 13)
        for record in readout.variableRecords {
            let want = try #require(variables[record.name])
            let value = want["value"] as! String
            if value.isEmpty {
                #expect(record.state == .empty, "\(record.name) is an empty variable")
            } else {
                #expect(record.state == .present(.variable(value)), "\(record.name)")
            }
            #expect(record.kind == .variable && record.suggestedID == record.name)
            #expect(record.metadata["description"] == want["description"] as? String, "\(record.name) description")
            #expect(record.metadata["is_encrypted"] == ((want["is_encrypted"] as! Bool) ? "true" : "false"))
            #expect(record.metadata["encrypted_with"] == (want["encrypted_with"] as? String).flatMap { keyIndex[$0] },
                    "\(record.name) encrypted_with")
            #expect(record.metadata["row_id"] == readout.variable(record.name).map { String($0.id) })
            #expect(readout.variable(record.name)?.fingerprint.count == 64)
        }
        let connections = expected["connections"] as! [String: [String: Any]]
        #expect(readout.connectionRecords.count == 12)
        for record in readout.connectionRecords {
            let want = try #require(connections[record.name])
            guard case .present(.connection(let connection)) = record.state else {
                Issue.record("\(record.name) should be readable, is \(record.state)")
                continue
            }
            #expect(MetastoreFixture.matches(connection, want), "\(record.name)")
            #expect(MetastoreFixture.dejson(connection.extra) == (want["extra_dejson"] as? NSObject), "\(record.name) extra_dejson")
            #expect(record.metadata["is_encrypted"] == ((want["is_encrypted"] as! Bool) ? "true" : "false"))
            #expect(record.metadata["is_extra_encrypted"] == ((want["is_extra_encrypted"] as! Bool) ? "true" : "false"))
            #expect(record.metadata["password_encrypted_with"] == (want["password_encrypted_with"] as? String).flatMap { keyIndex[$0] },
                    "\(record.name) password_encrypted_with")
            #expect(record.metadata["extra_encrypted_with"] == (want["extra_encrypted_with"] as? String).flatMap { keyIndex[$0] },
                    "\(record.name) extra_encrypted_with")
        }
    }

    @Test("Variable.get(deserialize_json=True) of each fixture value parses (or fails) as Airflow's json.loads did")
    func deserializeJSON() async throws {
        let expected = try MetastoreFixture.expected()
        let tier = try MetastoreTier(deployment: MetastoreFixture.deployment(
            MetastoreFixture.mainDatabase, fernetKey: "\(try MetastoreFixture.keyNew),\(try MetastoreFixture.keyOld)"))
        let readout = try await tier.read()
        for record in readout.variableRecords {
            let want = (expected["variables"] as! [String: [String: Any]])[record.name]!["deserialize_json"]
            let text = record.rawText ?? ""
            let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? NSObject
            if let error = want as? [String: Any], error["error"] != nil {
                #expect(parsed == nil, "\(record.name) is not JSON")
            } else {
                #expect(parsed == (want as? NSObject), "\(record.name) deserialises like Airflow")
            }
        }
    }

    @Test("With the wrong key, Strata says which rows no key decrypts; with no key it never shows ciphertext")
    func strataStatesWithOtherSettings() async throws {
        let expected = try MetastoreFixture.expected()
        for (name, key) in try Self.settings() where name != "K_NEW,K_OLD" {
            let tier = try MetastoreTier(deployment: MetastoreFixture.deployment(MetastoreFixture.mainDatabase, fernetKey: key))
            let readout = try await tier.read()
            let section = Self.section(name, in: expected)
            let variables = section["variables"] as! [String: [String: Any]]
            for (row, record) in zip(readout.variables, readout.variableRecords) {
                let want = variables[row.key]!
                if !row.isEncrypted {
                    #expect(record.state == .present(.variable(want["value"] as! String)))
                } else if key == nil {
                    // Airflow returns the raw token here; Strata must not present it as the value.
                    #expect(want["value"] as? String == row.val)
                    let reason = try #require(record.unreadableReason, "\(row.key) with no key")
                    #expect(reason.contains("no Fernet key") && reason.contains("ciphertext"))
                    #expect(!reason.contains(row.val!) && record.rawText == nil)
                } else if want["error"] != nil {
                    let reason = try #require(record.unreadableReason, "\(row.key) under \(name)")
                    #expect(reason.contains("no Fernet key decrypts this value"))
                    #expect(reason.contains("missing"))
                } else {
                    let value = want["value"] as! String
                    #expect(record.state == (value.isEmpty ? .empty : .present(.variable(value))), "\(row.key) under \(name)")
                }
            }
            let connections = section["connections"] as! [String: [String: Any]]
            for (row, record) in zip(readout.connections, readout.connectionRecords) {
                let want = connections[row.connID]!
                if want["conn_type"] != nil {
                    guard case .present(.connection(let connection)) = record.state else {
                        Issue.record("\(row.connID) under \(name) should be readable, is \(record.state)")
                        continue
                    }
                    #expect(MetastoreFixture.matches(connection, want))
                } else {
                    let reason = try #require(record.unreadableReason, "\(row.connID) under \(name)")
                    #expect(reason.contains(key == nil ? "no Fernet key is set" : "no Fernet key decrypts this value")
                            || reason.contains("sets no Fernet key"), "\(row.connID): \(reason)")
                    #expect(reason.contains("not defined"))
                    for secret in [row.password, row.extra].compactMap({ $0 }) where !secret.isEmpty {
                        #expect(!reason.contains(secret))
                    }
                }
            }
        }
    }

    @Test("The tier describes itself and lists connections and variables by their exact names")
    func descriptorAndSnapshot() async throws {
        let tier = try MetastoreTier(deployment: MetastoreFixture.deployment(MetastoreFixture.noFernetDatabase, fernetKey: ""))
        #expect(tier.descriptor.tier == .metastore)
        #expect(tier.descriptor.label == "metastore (sqlite)")
        #expect(tier.descriptor.detail == "sqlite://" + MetastoreFixture.noFernetDatabase.path)
        #expect(tier.lookupName(for: .variable("MixedCase.Key-1")) == .name("MixedCase.Key-1"))
        let snapshot = try await tier.load()
        #expect(snapshot.records.map(\.name).sorted() == ["nf_aws", "nf_json", "nf_no_password", "nf_plain", "nf_postgres", "nf_unicode"])
        #expect(snapshot.warnings.isEmpty)
        let aws = try #require(snapshot.records.first { $0.name == "nf_aws" })
        #expect(aws.kind == .connection && aws.metadata["description"] == "extra stored in clear")
    }
}
