/// One row of Airflow's `variable` table exactly as stored (`val` may be a Fernet token).
public struct MetastoreVariableRow: Sendable, Hashable {
    public var id: Int64
    public var key: String
    public var val: String?
    public var description: String?
    public var isEncrypted: Bool
    /// Airflow 3 multi-team ownership; always nil on Airflow 2 schemas.
    public var teamName: String?

    public init(id: Int64, key: String, val: String?, description: String?, isEncrypted: Bool, teamName: String? = nil) {
        self.id = id
        self.key = key
        self.val = val
        self.description = description
        self.isEncrypted = isEncrypted
        self.teamName = teamName
    }

    /// A keyed digest of every column, to tell whether the row changed since it was read.
    /// It is keyed with a per-process secret, so it reveals nothing about the value.
    public var fingerprint: String {
        var digest = RowDigest()
        digest.add(id)
        digest.add(key)
        digest.add(val)
        digest.add(description)
        digest.add(isEncrypted)
        digest.add(teamName)
        return digest.hex
    }
}
