/// A row of the `variable` or `connection` table that does not fit Airflow's model (a NULL or
/// non-text key, a port that is not a whole number, text that is not UTF-8…). It is reported,
/// never decoded by force.
/// (An `Error` too, so a row decoding returns `Result<Row, MetastoreUnreadableRow>`.)
public struct MetastoreUnreadableRow: Error, Sendable, Hashable {
    /// "variable" or "connection".
    public var table: String
    /// The row's `id`, when it is a whole number.
    public var id: Int64?
    /// `key` / `conn_id`, when it is readable text; Airflow finds the row under this name only.
    public var name: String?
    /// What does not fit, column by column; never a stored value.
    public var reason: String

    public init(table: String, id: Int64?, name: String?, reason: String) {
        self.table = table
        self.id = id
        self.name = name
        self.reason = reason
    }

    /// "row id 7 of the `variable` table" (or "a row … without a usable id").
    public var rowDescription: String {
        id.map { "row id \($0) of the `\(table)` table" } ?? "a row of the `\(table)` table without a usable id"
    }
}
