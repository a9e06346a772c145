import Engine

extension ImportReader {
    /// A `.env` file of environment variables — every line `AIRFLOW_VAR_<KEY>=…` or
    /// `AIRFLOW_CONN_<ID>=…`, as `astro dev object export --env-export` and Docker env files
    /// hold them — read as Airflow's environment-variables backend reads them (dotenv quoting,
    /// URI or JSON connections), both kinds in one file. Nil for any other file: it is then an
    /// Airflow secret file, read as Airflow's import reads one.
    static func environmentFileItems(text: String, kinds: Set<SecretKind>, path: String, origin: String) -> ImportedFile? {
        guard let file = try? DotEnvFile.parse(text, path: path), !file.entries.isEmpty,
              file.entries.allSatisfy({ $0.name.hasPrefix(EnvironmentTier.variablePrefix) || $0.name.hasPrefix(EnvironmentTier.connectionPrefix) })
        else { return nil }
        var variables: [String: String] = [:]
        var lines: [String: Int] = [:]
        for entry in file.entries {
            // A shell, like Docker, keeps the last value set.
            variables[entry.name] = entry.value
            lines[entry.name] = entry.line
        }
        let snapshot = EnvironmentTier(environment: DeploymentEnvironment(variables), dialect: .core).snapshot()
        var result = CopyItems()
        var notes: [CopyProblem] = []
        for record in snapshot.records where kinds.contains(record.kind) {
            let key = SecretKey(record.kind, record.suggestedID)
            let line = lines[record.name].map { " (line \($0))" } ?? ""
            switch record.state {
            case .present(.variable(let text)):
                result.items.append(CopyItem(key: key, value: .variable(text, description: nil), origin: origin))
            case .empty where record.kind == .variable:
                result.items.append(CopyItem(key: key, value: .variable("", description: nil), origin: origin))
            case .present(.connection(let connection)):
                result.items.append(CopyItem(key: key, value: .connection(connection), origin: origin))
            case .unreadable(let reason):
                result.problems.append(CopyProblem(key: key, reason: reason + line))
            default:
                result.problems.append(CopyProblem(key: key, reason: "Airflow finds no connection in an empty value\(line)"))
            }
            if record.name != EnvironmentTier.name(for: key) {
                notes.append(CopyProblem(key: key, reason: "\(record.name) is not the name Airflow looks up for \(key.id) "
                                         + "(\(EnvironmentTier.name(for: key))); read as \(key.id)"))
            }
        }
        return ImportedFile(format: .env, items: result, notes: notes)
    }
}
