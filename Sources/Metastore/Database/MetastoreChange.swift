import Engine

/// What a write expects to find in the row before it changes it. A write whose expectation
/// does not hold is refused as a conflict: nothing is ever overwritten silently.
public enum MetastoreExpectation: Sendable, Hashable {
    /// The row must not exist (creating).
    case absent
    /// The row must still be exactly as read: its `fingerprint` (all columns) must match.
    case unchanged(fingerprint: String)

    /// Expect `row` unchanged.
    public static func unchanged(_ row: MetastoreVariableRow) -> Self { .unchanged(fingerprint: row.fingerprint) }
    /// Expect `row` unchanged.
    public static func unchanged(_ row: MetastoreConnectionRow) -> Self { .unchanged(fingerprint: row.fingerprint) }
}

/// Column values a write stores (already encrypted as needed).
struct VariableColumns: Sendable, Hashable {
    var val: String
    var description: String?
    var isEncrypted: Bool
}

struct ConnectionColumns: Sendable, Hashable {
    var connType: String
    var description: String?
    var host: String?
    var schema: String?
    var login: String?
    var password: String?
    var port: Int?
    var extra: String?
    var isEncrypted: Bool
    var isExtraEncrypted: Bool
}

/// One row change, applied in a transaction after checking the expectation.
enum MetastoreChange: Sendable {
    case putVariable(key: String, VariableColumns, MetastoreExpectation)
    case deleteVariable(key: String, MetastoreExpectation)
    case putConnection(connID: String, ConnectionColumns, MetastoreExpectation)
    case deleteConnection(connID: String, MetastoreExpectation)

    var expectation: MetastoreExpectation {
        switch self {
        case .putVariable(_, _, let e), .deleteVariable(_, let e), .putConnection(_, _, let e), .deleteConnection(_, let e):
            return e
        }
    }

    var kind: String {
        switch self {
        case .putVariable, .deleteVariable: return "variable"
        case .putConnection, .deleteConnection: return "connection"
        }
    }

    var name: String {
        switch self {
        case .putVariable(let key, _, _), .deleteVariable(let key, _): return key
        case .putConnection(let id, _, _), .deleteConnection(let id, _): return id
        }
    }

    /// Why the change may not touch a row whose `team_name` is `rowTeam`, for a deployment of
    /// `team`: another team's row, which this team's lookups never return. The key is unique
    /// across teams, so there is no row of this team's own to write instead. Nil when allowed.
    func otherTeamRefusal(rowTeam: String?, team: String?) -> String? {
        guard let rowTeam, rowTeam != team else { return nil }
        let reader = team.map { "team '\(InertText.make($0))'" } ?? "a deployment without a team"
        return "\(kind) '\(InertText.make(name))' belongs to team '\(InertText.make(rowTeam))'; Airflow's lookups for \(reader) never "
            + "return it and its \(kind == "variable" ? "key" : "conn_id") is unique across teams; nothing was written"
    }

    /// Why a new row cannot name `team`: Airflow's `team_name` is a foreign key to its `team`
    /// table, which must hold the team first.
    static func missingTeam(_ team: String) -> String {
        "team '\(InertText.make(team))' is not in Airflow's team table, which a row's team_name must name; nothing was written — "
            + "create it with `airflow teams create \(InertText.make(team))`, or check the deployment's `team:`"
    }

    /// The conflict message when the expectation fails against `currentFingerprint` (nil: no row).
    func conflict(currentFingerprint: String?) -> String? {
        switch (expectation, currentFingerprint) {
        case (.absent, nil):
            return nil
        case (.absent, .some):
            return "\(kind) '\(name)' already exists in the metastore (someone created it since it was read); nothing was written — reload and try again"
        case (.unchanged, nil):
            return "\(kind) '\(name)' was deleted from the metastore since it was read; nothing was written — reload and try again"
        case (.unchanged(let expected), .some(let current)):
            return expected == current ? nil
                : "\(kind) '\(name)' was changed in the metastore by someone else since it was read; nothing was written — reload to see the new value"
        }
    }
}

/// Everything read from the two tables.
struct MetastoreContents: Sendable {
    var variables: [MetastoreVariableRow]
    var connections: [MetastoreConnectionRow]
    /// Rows of either table that do not fit Airflow's model, in table then id order.
    var unreadable: [MetastoreUnreadableRow] = []
    var isAirflow3Schema: Bool
}

/// The rows one query read: those that fit, and those that did not.
struct MetastoreRows<Row: Sendable>: Sendable {
    var rows: [Row] = []
    var unreadable: [MetastoreUnreadableRow] = []

    mutating func add(_ result: Result<Row, MetastoreUnreadableRow>) {
        switch result {
        case .success(let row): rows.append(row)
        case .failure(let row): unreadable.append(row)
        }
    }

    /// The one row a keyed write works on; throws when that row exists but cannot be read, so
    /// a write never guesses what it would overwrite.
    func current(context: ErrorContext, name: String) throws -> Row? {
        if let bad = unreadable.first {
            throw context.plain(.invalidValue, "the \(bad.rowDescription) holding '\(name)' cannot be read (\(bad.reason)); nothing was written — fix or delete that row in the database first")
        }
        return rows.first
    }
}

/// The after-image of a write: the row as now stored, or nil after a delete.
public enum MetastoreWriteResult: Sendable, Hashable {
    case variable(MetastoreVariableRow?)
    case connection(MetastoreConnectionRow?)
}

/// A database holding Airflow's tables.
protocol MetastoreDatabase: Sendable {
    func readAll() async throws -> MetastoreContents
    func apply(_ change: MetastoreChange) async throws -> MetastoreWriteResult
}
