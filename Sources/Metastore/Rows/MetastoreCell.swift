/// One column value of a metastore row as the database gave it, before it is trusted: the
/// readers turn every cell into one of these (never trapping on a type they did not expect),
/// and `MetastoreRowDecoding` decides whether the row fits Airflow's model.
enum MetastoreCell: Sendable, Hashable {
    case null
    case integer(Int64)
    /// A floating-point number (SQLite stores an integer too large for 64 bits as one).
    case real(Double)
    case text(String)
    /// Text whose bytes are not UTF-8 (Python's driver refuses to decode it).
    case invalidText
    case blob
    /// A value of a database type Strata does not read here (PostgreSQL type name).
    case other(String)

    /// "NULL", "a number", "binary data (BLOB)"… for messages; never the value itself.
    var kindDescription: String {
        switch self {
        case .null: return "NULL"
        case .integer: return "a whole number"
        case .real: return "a floating-point number"
        case .text: return "text"
        case .invalidText: return "text that is not valid UTF-8"
        case .blob: return "binary data (BLOB)"
        case .other(let type): return "of database type \(type)"
        }
    }
}
