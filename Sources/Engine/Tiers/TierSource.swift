/// A source of variables and connections: one precedence tier of one deployment.
///
/// Implementations live in the Engine (environment, local files) and in the backend modules
/// (metastore, AWS, Vault, cloud). A source is cheap to create; `load()` does the I/O.
public protocol TierSource: Sendable {
    /// Which tier this source fills, and how to describe it.
    var descriptor: TierDescriptor { get }

    /// The exact name Airflow would look `key` up under in this tier, or why it never would.
    func lookupName(for key: SecretKey) -> LookupName

    /// Lists everything the tier holds, for browsing. Throws when the tier as a whole cannot be
    /// read (unreachable, unauthorised, corrupt file); single unreadable items are records
    /// in the `unreadable` state instead.
    func load() async throws -> TierSnapshot

    /// Multi-team (Airflow 3.2+): the name Airflow tries when the one `lookupName(for:)` gives —
    /// the team's — finds nothing: the global name. Nil when that miss is final (no team, or
    /// a tier whose lookups have no team form).
    func globalLookupName(for key: SecretKey) -> LookupName?

    /// Whether Airflow passes over `record`, found under a team's name, and goes on to the
    /// global name: the environment uses a team's variable only when its value is non-empty.
    func passesOver(teamRecord record: TierRecord) -> Bool
}

extension TierSource {
    public func globalLookupName(for key: SecretKey) -> LookupName? { nil }
    public func passesOver(teamRecord record: TierRecord) -> Bool { false }
}

/// How a tier presents itself: its id, a short label and a one-line detail.
public struct TierDescriptor: Sendable, Hashable {
    public var tier: TierID
    /// "AWS Secrets Manager", "environment", "metastore (sqlite)", "airflow_settings.yaml"…
    public var label: String
    /// Where it reads from, safe to show: a file path, a URL without credentials, a region.
    public var detail: String

    public init(tier: TierID, label: String, detail: String = "") {
        self.tier = tier
        self.label = label
        self.detail = detail
    }
}

/// Everything a tier held when it was loaded.
public struct TierSnapshot: Sendable, Equatable {
    public var records: [TierRecord]
    /// Problems that did not stop the load (a malformed line that was skipped, a page that failed).
    public var warnings: [String]

    public init(records: [TierRecord], warnings: [String] = []) {
        self.records = records
        self.warnings = warnings
    }
}

/// Why a whole tier could not be loaded. The message says what was wrong and what to do,
/// and never contains a secret.
public struct TierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is shown: redacted when it was built from Airflow error text quoting a secret.
    public var message: String
    /// The unredacted message, when redaction changed it; only `--reveal` shows it.
    public var exactMessage: String?

    public init(_ message: String, exact: String? = nil) {
        self.message = message
        self.exactMessage = exact == message ? nil : exact
    }

    public var description: String { message }
}
