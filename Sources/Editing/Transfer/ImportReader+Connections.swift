import Engine
import PythonCompat

extension ImportReader {
    /// `airflow connections import`: `load_connections_dict`, each id checked by `validate_key`.
    ///
    /// One exception, noted: a `.env` line whose value is a JSON object (what `airflow connections
    /// export --serialization-format json` writes) is read as that JSON. Airflow's own import
    /// parses it as a URI and stores a corrupt connection; the JSON is what the file means.
    static func connectionItems(text: String, format: LocalFilesystemFile.Format, path: String,
                                origin: String, dialect: ConnectionDialect) throws -> (CopyItems, [CopyProblem]) {
        var result = CopyItems()
        var notes: [CopyProblem] = []
        var envValues: [String: String] = [:]
        if format == .env, let lines = try? LocalFilesystemFile.loadVariables(text: text, format: .env, path: path) {
            for line in lines { if case .string(let id) = line.key, case .string(let value) = line.value { envValues[id] = value } }
        }
        for entry in try LocalFilesystemFile.connectionEntries(text: text, format: format, path: path, dialect: dialect) {
            let line = entry.line.map { " (line \($0))" } ?? ""
            guard case .string(let id) = entry.key else {
                result.problems.append(CopyProblem(key: .connection(entry.key.pythonStr),
                                                   reason: "the id is a \(entry.key.pythonTypeName), not text, so Airflow's import skips it\(line)"))
                continue
            }
            let key = SecretKey.connection(id)
            if let problem = AirflowImportKey.connectionProblem(id) {
                result.problems.append(CopyProblem(key: key, reason: problem + line))
                continue
            }
            if let json = envValues[id], json.hasPrefix("{") {
                do {
                    let connection = try Connection.parse(json: json, dialect: dialect)
                    if connection.fieldValue("conn_type") == .null {
                        result.problems.append(CopyProblem(key: key, reason: "it has no conn_type, which the metastore requires\(line)"))
                        continue
                    }
                    result.items.append(CopyItem(key: key, value: .connection(connection), origin: origin))
                    notes.append(CopyProblem(key: key, reason: "read as the JSON object it holds\(line); Airflow's own connections import "
                                             + "would parse it as a URI and store a corrupt connection"))
                } catch {
                    result.problems.append(CopyProblem(key: key, reason: "the value looks like a JSON object but is not a connection Airflow reads\(line)"))
                }
                continue
            }
            switch entry.result {
            case .success(let connection) where connection.fieldValue("conn_type") == .null:
                // The metastore's conn_type is NOT NULL: Airflow's import stops with an error here.
                result.problems.append(CopyProblem(key: key, reason: "it has no conn_type, which the metastore requires: "
                                                   + "Airflow's connections import stops with an error at it\(line)"))
            case .success(let connection):
                result.items.append(CopyItem(key: key, value: .connection(connection), origin: origin))
            case .failure(let error):
                result.problems.append(CopyProblem(key: key, reason: "Airflow's import refuses it: \(error.safeMessage)\(line)"))
            }
        }
        return (result, notes)
    }
}
