import Foundation

/// Everything Strata can say about a configured backend without contacting it — for
/// `strata backend` and the TUI's backend pane. Never holds a secret: secret kwargs are masked.
public struct BackendReport: Sendable, Hashable, Codable {
    /// "AWS Secrets Manager", or "unknown backend".
    public var displayName: String
    public var classPath: String
    public var family: BackendFamily?
    /// Which tier the backend fills: `backend` or `workers_backend`.
    public var tier: TierID
    /// The configured kwargs, in order, with secret values masked.
    public var kwargs: [ReportedKwarg]
    /// Names of configured kwargs the class does not declare and no client uses.
    public var unknownKwargs: [String]
    /// Why Airflow would not start with this configuration (empty when it would).
    public var fatalProblems: [String]
    /// Everything else worth knowing: ignored settings, failing lookups, deprecated paths.
    public var warnings: [String]
    /// The naming scheme (`nil` for an unknown class).
    public var naming: BackendNamingScheme?
    /// "AppRole role astro_role", "env keys · region eu-west-1", "service account key file …".
    public var auth: String
    /// Where it connects: Vault URL, region and endpoint, vault URL, project, files.
    public var location: String
    /// The environment variables the configuration came from, with where each was set.
    public var sources: [ReportedSource]

    /// `fatalProblems` is empty.
    public var airflowStarts: Bool { fatalProblems.isEmpty }
}

/// One configured kwarg as it may be shown.
public struct ReportedKwarg: Sendable, Hashable, Codable {
    public var name: String
    /// The value as JSON text, or `***` when it is a secret.
    public var value: String
    /// Whether (part of) the value was replaced by `***`.
    public var masked: Bool
    public var disposition: KwargDisposition
    /// What the kwarg does or why it is a problem.
    public var note: String

    public init(name: String, value: String, masked: Bool, disposition: KwargDisposition, note: String) {
        self.name = name
        self.value = value
        self.masked = masked
        self.disposition = disposition
        self.note = note
    }
}

/// An environment variable a backend configuration was read from.
public struct ReportedSource: Sendable, Hashable, Codable {
    public var variable: String
    /// `.env:3`, `workspace file`, `process environment`; empty when unknown.
    public var origin: String

    public init(variable: String, origin: String) {
        self.variable = variable
        self.origin = origin
    }
}

extension BackendReport {
    /// The report for `configuration`, filling `tier` of a deployment with `environment`.
    public init(configuration: BackendConfiguration, environment: DeploymentEnvironment,
                version: AirflowVersion, tier: TierID = .backend) {
        let family = configuration.family
        displayName = family?.displayName ?? "unknown backend"
        classPath = configuration.classPath
        self.family = family
        self.tier = tier
        var fatal: [String] = []
        var warnings = configuration.warnings
        let recognition = BackendFamily.recognise(classPath: configuration.classPath, version: version)
        if recognition.preventsStartup { fatal.append(contentsOf: recognition.warnings) }

        var reported: [ReportedKwarg] = []
        var unknown: [String] = []
        let catalogue = family.map(BackendKwargCatalogue.of)
        for (name, value) in configuration.kwargs {
            let classification = catalogue?.classify(name, version: version)
                ?? KwargClassification(name: name, disposition: .passedToClient,
                                       isSecret: SensitiveNames.isSensitive(name),
                                       note: "the class is unknown to Strata")
            let shown = KwargMasking.display(value, isSecret: classification.isSecret)
            reported.append(ReportedKwarg(name: name, value: shown.text, masked: shown.masked,
                                          disposition: classification.disposition, note: classification.note))
            if classification.isUnknown {
                unknown.append(name)
                let line = "kwarg \(name): \(classification.note)"
                if classification.disposition == .failsAtStartup { fatal.append(line) } else { warnings.append(line) }
            }
        }
        kwargs = reported
        unknownKwargs = unknown

        if family != nil {
            let naming = BackendNaming(configuration: configuration, version: version)
            self.naming = naming.scheme
            for problem in naming.problems {
                if problem.contains("fails to start") { fatal.append(problem) } else { warnings.append(problem) }
            }
        } else {
            naming = nil
        }

        let authDescription = BackendAuthDescription(family: family, kwargs: configuration.kwargs, environment: environment)
        auth = authDescription.auth
        location = authDescription.location
        fatal.append(contentsOf: authDescription.fatal)
        warnings.append(contentsOf: authDescription.warnings)

        var seen = Set<String>()
        fatalProblems = fatal.filter { seen.insert($0).inserted }
        self.warnings = warnings.filter { !seen.contains($0) && seen.insert($0).inserted }
        sources = configuration.sources.map { name in
            ReportedSource(variable: name, origin: environment.origins[name].map(Self.describe) ?? "")
        }
    }

    private static func describe(_ origin: EnvironmentOrigin) -> String {
        switch origin {
        case .inline: return "workspace file"
        case .file(let path, let line): return "\(path):\(line)"
        case .process: return "process environment"
        }
    }

    /// The report as aligned text lines, as `strata backend` prints it.
    public var textLines: [String] {
        var lines = ["backend  \(displayName)" + (tier == .workersBackend ? " (workers)" : ""),
                     "class    \(classPath)"]
        if let naming {
            lines.append("conns    \(naming.connections)")
            lines.append("vars     \(naming.variables)")
            lines += naming.notes.map { "         \($0)" }
        }
        lines.append("auth     \(auth)")
        if !location.isEmpty { lines.append("where    \(location)") }
        if kwargs.isEmpty {
            lines.append("kwargs   (none)")
        } else {
            let width = kwargs.map(\.name.count).max() ?? 0
            for (index, kwarg) in kwargs.enumerated() {
                let label = index == 0 ? "kwargs   " : "         "
                let padded = kwarg.name + String(repeating: " ", count: width - kwarg.name.count)
                let flag = kwarg.disposition == .parameter ? ""
                    : "  [\(kwarg.disposition.rawValue.replacingOccurrences(of: "_", with: " "))]"
                lines.append(label + padded + "  " + kwarg.value + flag)
            }
        }
        lines += fatalProblems.map { "FATAL    \($0)" }
        lines += warnings.map { "warning  \($0)" }
        if !sources.isEmpty {
            lines.append("from     " + sources.map { $0.origin.isEmpty ? $0.variable : "\($0.variable) (\($0.origin))" }
                .joined(separator: ", "))
        }
        return lines
    }
}

extension BackendSettings {
    /// One report per configured backend: `[secrets]`, then the explicit `[workers]` one.
    public func reports(environment: DeploymentEnvironment, version: AirflowVersion) -> [BackendReport] {
        var result: [BackendReport] = []
        if let secrets { result.append(BackendReport(configuration: secrets, environment: environment, version: version)) }
        if let workers {
            result.append(BackendReport(configuration: workers, environment: environment, version: version,
                                        tier: .workersBackend))
        }
        return result
    }
}
