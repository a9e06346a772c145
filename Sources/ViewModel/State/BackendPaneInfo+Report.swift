import Engine

extension BackendPaneInfo {
    /// The pane's content for an Engine backend report (secret kwargs already masked there).
    public init(report: BackendReport) {
        var warnings = report.fatalProblems.map { "Airflow would not start: " + $0 }
        warnings += report.warnings
        warnings += report.unknownKwargs.map { "kwarg '\($0)' is not used by this class" }
        warnings += report.naming?.notes ?? []
        self.init(friendlyName: report.displayName + (report.tier == .workersBackend ? " (workers)" : ""),
                  className: report.classPath,
                  kwargs: report.kwargs.map { "\($0.name) = \($0.value)" },
                  namingScheme: report.naming.map { ["conns " + $0.connections, "vars " + $0.variables] } ?? [],
                  auth: [report.auth, report.location].filter { !$0.isEmpty }.joined(separator: " · "),
                  warnings: warnings)
    }

    /// What the pane shows for a deployment, read from its environment without contacting anything.
    /// With a workers backend (Airflow 3, worker or triggerer context) the pane describes the first tier asked.
    @Sendable public static func describing(_ deployment: Deployment) -> BackendPaneInfo {
        let settings = BackendConfiguration.read(from: deployment.environment, version: deployment.airflowVersion)
        let reports = settings.reports(environment: deployment.environment, version: deployment.airflowVersion)
        guard let report = reports.first else { return .none }
        return BackendPaneInfo(report: report)
    }
}
