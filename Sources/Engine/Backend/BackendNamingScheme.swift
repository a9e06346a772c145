/// A human description of a backend's naming scheme, for the backend pane and `strata backend`.
public struct BackendNamingScheme: Sendable, Hashable, Codable {
    /// `airflow/connections/<id>`, or `off (connections_prefix is null…)`.
    public var connections: String
    /// `airflow/variables/<key>`, or why variables are not looked up.
    public var variables: String
    /// Rules that change which names are asked for (lookup patterns, Azure's `_` → `-`, KV v2 API path).
    public var notes: [String]

    /// `conns airflow/connections/<id>   vars airflow/variables/<key>`.
    public var summary: String { "conns \(connections)   vars \(variables)" }
}

extension BackendNaming {
    /// How this backend names connections and variables.
    public var scheme: BackendNamingScheme {
        var notes: [String] = []
        let conns = Self.template(connections, placeholder: "<id>", kind: "conns", notes: &notes)
        let vars = Self.template(variables, placeholder: "<key>", kind: "vars", notes: &notes)
        if let vault {
            notes.append("KV v\(vault.kvEngineVersion): hvac requests "
                + (vault.kvEngineVersion == 1 ? "GET /v1/<mount>/<path>" : "GET /v1/<mount>/data/<path>"))
        }
        if family == .azureKeyVault {
            notes.append("every '_' in the name (prefix included) becomes sep, so my_db and my-db are the same secret; "
                + "names must be 1–127 letters, digits and '-'")
        }
        if family == .gcpSecretManager {
            notes.append("ids may only hold letters, digits, '-' and '_' (at most 255 characters with the prefix)")
        }
        var seen = Set<String>()
        return BackendNamingScheme(connections: conns, variables: vars, notes: notes.filter { seen.insert($0).inserted })
    }

    private static func template(_ rule: KindRule, placeholder: String, kind: String, notes: inout [String]) -> String {
        switch rule {
        case .disabled(let reason): return "off (\(reason))"
        case .broken(let reason): return "failing (\(reason))"
        case .unknown: return "unknown"
        case .secretsManager(let prefix, let sep, let pattern):
            if let pattern { notes.append("\(kind): only ids matching \(pattern.value.displayText) are looked up (re.match, ignoring case)") }
            return prefix.isEmpty ? placeholder : prefix + sep + placeholder
        case .ssm(let prefix, let pattern):
            if let pattern { notes.append("\(kind): only ids matching \(pattern.value.displayText) are looked up (re.match, ignoring case)") }
            return KindRule.ssmName(prefix: prefix, id: placeholder)
        case .gcp(let prefix, let sep):
            return prefix + sep + placeholder
        case .azure(let prefix, let sep):
            return KindRule.azureBuild(prefix: prefix, sep: sep, id: placeholder)
        case .vault(let basePaths, let settings):
            return basePaths.map { base -> String in
                let path = base.isEmpty ? placeholder : base + "/" + placeholder
                if let mount = settings.mountPoint { return mount + "/" + path }
                return "<mount>/" + (base.isEmpty ? "<path>" : base + "/<path>") + " (mount from \(placeholder) = <mount>/<path>)"
            }.joined(separator: ", then ")
        case .localFile(let file):
            return "\(placeholder) in \(file)"
        }
    }
}
