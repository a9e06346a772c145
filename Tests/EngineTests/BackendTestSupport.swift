import Engine

/// Builds backend configurations the way a deployment would: from environment variables.
enum BackendFixture {
    static func settings(_ variables: [String: String], version: AirflowVersion = .v3) -> BackendSettings {
        BackendConfiguration.read(from: DeploymentEnvironment(variables), version: version)
    }

    /// The `[secrets]` configuration of `family` with `kwargs` as the JSON text of
    /// `AIRFLOW__SECRETS__BACKEND_KWARGS` (nil: unset).
    static func configuration(_ family: BackendFamily, _ kwargs: String? = nil,
                              version: AirflowVersion = .v3) -> BackendConfiguration {
        var env = ["AIRFLOW__SECRETS__BACKEND": family.classPath]
        if let kwargs { env["AIRFLOW__SECRETS__BACKEND_KWARGS"] = kwargs }
        guard let configuration = settings(env, version: version).secrets else {
            fatalError("a configured class must produce a configuration")
        }
        return configuration
    }

    static func naming(_ family: BackendFamily, _ kwargs: String? = nil, version: AirflowVersion = .v3) -> BackendNaming {
        BackendNaming(configuration: configuration(family, kwargs, version: version), version: version)
    }
}

extension LookupName {
    /// Whether this is a skip whose reason mentions `text`.
    func isSkipped(mentioning text: String) -> Bool {
        if case .skipped(let reason) = self { return reason.contains(text) }
        return false
    }

    var isSkipped: Bool {
        if case .skipped = self { return true }
        return false
    }
}
