import Engine
import Foundation
import PythonCompat
import Testing
import TestSupport

/// Aliases share their anchored node, as in PyYAML, so a document costs what its text costs;
/// a document whose aliases would expand it beyond 10,000,000 nodes (the "billion laughs")
/// is refused with an error naming the file, in every YAML reader: local-files variables and
/// connections, `airflow_settings.yaml` and `strata.yaml`.
@Suite("YAML alias expansion")
struct YAMLAliasExpansionTests {
    /// Nine levels of nine aliases each: 9^9 (387,420,489) leaves from 10 lines.
    static func laughs(levels: Int = 9, indent: String = "", key: (Int) -> String = { "l\($0)" }) -> String {
        var text = "\(indent)\(key(0)): &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<levels {
            let previous = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            text += "\(indent)\(key(level)): &l\(level) [\(previous)]\n"
        }
        return text
    }

    @Test func aModestlyAliasedVariablesFileLoadsWithItsValuesShared() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Six levels: 531,441 leaves once expanded, under the limit.
        let file = try dir.write("variables.yaml", Self.laughs(levels: 6) + "base: &base {a: 1}\nuses_base: *base\n")
        let snapshot = try await LocalFilesystemTier(variablesFile: file, connectionsFile: nil, dialect: .core).load()
        #expect(snapshot.records.count == 8)
        #expect(snapshot.records.first { $0.name == "uses_base" }?.rawText == "{'a': 1}")
        let value = try #require(try PyYAML.safeLoad(Self.laughs(levels: 6)))
        guard case .dict(let dict) = value, case .list(let top)? = dict[.string("l5")] else {
            Issue.record("l5 must be a list")
            return
        }
        #expect(top.count == 9)
        #expect(top.allSatisfy { $0 == top[0] }, "every alias is the same value")
    }

    @Test func aLocalFilesAliasBombIsRefusedNamingTheFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let variables = try dir.write("variables.yaml", Self.laughs())
        let connections = try dir.write("connections.yaml", Self.laughs())
        for tier in [LocalFilesystemTier(variablesFile: variables, connectionsFile: nil, dialect: .core),
                     LocalFilesystemTier(variablesFile: nil, connectionsFile: connections, dialect: .core)] {
            let error = await #expect(throws: TierError.self) { try await tier.load() }
            let file = tier.variablesFile ?? tier.connectionsFile!
            #expect(error?.message.hasPrefix(file.path + ": ") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("expands beyond 10,000,000 nodes through its aliases") == true)
        }
    }

    @Test func anAirflowSettingsAliasBombIsRefusedNamingTheFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Refused when the file is composed, wherever the aliases are.
        let text = "airflow:\n  variables:\n    - variable_name: v\n      variable_value: x\n      laughs:\n"
            + Self.laughs(indent: "        ")
        let settings = try dir.write("airflow_settings.yaml", text)
        let error = await #expect(throws: TierError.self) { try await AirflowSettingsTier(fileURL: settings, dialect: .core).load() }
        #expect(error?.message.hasPrefix(settings.path + ": ") == true)
        #expect(error?.message.contains("expands beyond 10,000,000 nodes") == true, "\(error?.message ?? "")")
    }

    @Test func aWorkspaceAliasBombIsRefusedNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("strata.yaml", "deployments:\n  - name: a\n    env:\n      A: b\n" + "theme: dark\nlaughs:\n" + Self.laughs(indent: "  "))
        #expect { _ = try Workspace.load(file, processEnvironment: [:]) } throws: { error in
            guard let error = error as? WorkspaceError else { return false }
            return error.path == file.path && error.problem.contains("expands beyond 10,000,000 nodes through its aliases")
        }
    }

    @Test func aRecursiveAliasIsStillReportedAsRecursion() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("variables.yaml", "a: &a [*a]\n")
        let error = await #expect(throws: TierError.self) {
            try await LocalFilesystemTier(variablesFile: file, connectionsFile: nil, dialect: .core).load()
        }
        #expect(error?.message.contains("recursive alias") == true, "\(error?.message ?? "")")
    }
}
