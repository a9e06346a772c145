import Foundation
@testable import Engine
@testable import PythonCompat
import FuzzSupport

/// The LocalFilesystemBackend's files: the input's first byte picks the format (modulo 3:
/// `.env`, `.json`, `.yaml`) and the rest is read as that file, for variables and for
/// connections. Checks, beyond "no crash and only
/// `LocalFilesystemError`s": whenever a fast path takes a file (JSON connections in the common
/// shape, YAML variables in the common flat shape), the general path reads the same entries;
/// whenever a file is listed as rows of a table (every common shape of every format), each
/// record read from the table is the one the general path builds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLocalFiles(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let (choice, bytes) = FuzzInput.choice(data, size, of: 3)
    let text = String(decoding: bytes, as: UTF8.self)
    let format = [LocalFilesystemFile.Format.env, .json, .yaml][choice]
    let path = "fuzz." + format.rawValue
    do {
        _ = try LocalFilesystemFile.parseSecretText(text, format: format, path: path)
    } catch {
        FuzzCheck.requireError(error, is: LocalFilesystemError.self, "parseSecretText [\(format)]")
    }
    for dialect in [ConnectionDialect.core, .airflow2] {
        let general = Result {
            try LocalFilesystemFile.generalConnections(text: text, format: format, path: path, dialect: dialect,
                                                       rules: dialect == .airflow2 ? .airflow2 : .current)
        }
        if case .failure(let error) = general {
            FuzzCheck.requireError(error, is: LocalFilesystemError.self, "connections [\(format), \(dialect)]")
        }
        guard format == .json, let fast = LocalFilesystemFile.fastConnections(json: text, dialect: dialect) else { continue }
        guard case .success(let expected) = general else {
            FuzzCheck.fail("[\(dialect)] the JSON connections fast path took a file the general path refuses")
        }
        FuzzCheck.require(fast.count == expected.count, "[\(dialect)] the fast path reads another number of connections")
        for (a, b) in zip(fast, expected) {
            FuzzCheck.require(a.key == b.key && a.connID == b.connID && a.line == b.line,
                              "[\(dialect)] the fast path reads another key, conn_id or line")
            let fields = ConnectionComparison.differingFields(a.connection, b.connection)
            FuzzCheck.require(fields.isEmpty, "[\(dialect)] the fast path reads other \(fields)")
        }
    }
    if format == .yaml { checkVariablesFastPath(text) }
    checkTables(text, format: format)
    return 0
}

private func checkTables(_ text: String, format: LocalFilesystemFile.Format) {
    let path = "fuzz." + format.rawValue
    for dialect in [ConnectionDialect.core, .airflow2, .sdk] {
        let tier = LocalFilesystemTier(variablesFile: nil, connectionsFile: URL(fileURLWithPath: path), dialect: dialect)
        if let rows = LocalFilesystemFile.variableRows(text: text, format: format) {
            let general = Result { try LocalFilesystemFile.variableEntries(text: text, format: format, path: path,
                                                                           rules: tier.rules, fastPath: false) }
            guard case .success(let entries) = general else {
                FuzzCheck.fail("[\(format), \(dialect)] variables were read as rows from a file the general path refuses")
            }
            FuzzCheck.require(entries.count == rows.count, "[\(format)] the rows hold another number of variables")
            let listed = tier.variableTable(rows, text: text, format: format, path: path).records
            for (record, entry) in zip(listed, entries) {
                guard case .string(let key) = entry.key else { FuzzCheck.fail("[\(format)] a row holds a key that is not a str") }
                let expected = tier.variableRecord(key: key, value: entry.value, path: path, line: entry.line)
                FuzzCheck.require(record == expected && record.name == expected.name && record.kind == .variable,
                                  "[\(format), \(dialect)] a variable row reads as another record")
            }
        }
        guard let table = tier.connectionTable(text: text, format: format, path: path) else { continue }
        let general = Result {
            try LocalFilesystemFile.generalConnections(text: text, format: format, path: path, dialect: dialect, rules: tier.rules)
        }
        guard case .success(let items) = general else {
            FuzzCheck.fail("[\(format), \(dialect)] connections were read as rows from a file the general path refuses")
        }
        let expected = items.compactMap { item -> TierRecord? in
            guard case .string(let key) = item.key else { return nil }
            return tier.connectionRecord(key: key, connection: item.connection, connID: item.connID, path: path, line: item.line)
        }
        let listed = table.records
        FuzzCheck.require(listed.count == expected.count, "[\(format), \(dialect)] the rows hold another number of connections")
        for (record, wanted) in zip(listed, expected) {
            FuzzCheck.require(record == wanted && record.name == wanted.name && record.kind == .connection,
                              "[\(format), \(dialect)] a connection row reads as another record")
        }
    }
}

private func checkVariablesFastPath(_ text: String) {
    guard let fast = LocalFilesystemFile.fastYAMLEntries(text) else { return }
    let general: [LocalFilesystemFile.Entry]
    do {
        general = try LocalFilesystemFile.parseSecretText(text, format: .yaml, path: "fuzz.yaml")
    } catch {
        FuzzCheck.fail("the YAML variables fast path took a file the general path refuses (\(type(of: error)))")
    }
    FuzzCheck.require(fast.count == general.count, "the YAML fast path reads another number of variables")
    for (a, b) in zip(fast, general) {
        FuzzCheck.require(a.key.pythonRepr == b.key.pythonRepr && a.value.pythonRepr == b.value.pythonRepr && a.line == b.line,
                          "the YAML fast path reads another key, value or line")
    }
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_local_files_main")
public func fuzzLocalFilesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzLocalFiles($0, $1) }
}
