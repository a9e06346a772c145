/// One row of Airflow's `connection` table exactly as stored (`password` and `extra` may be
/// Fernet tokens, as the two flags say).
public struct MetastoreConnectionRow: Sendable, Hashable {
    public var id: Int64
    public var connID: String
    public var connType: String?
    public var description: String?
    public var host: String?
    public var schema: String?
    public var login: String?
    public var password: String?
    public var port: Int?
    public var extra: String?
    /// Refers to `password` only.
    public var isEncrypted: Bool
    /// Refers to `extra` only.
    public var isExtraEncrypted: Bool
    public var teamName: String?

    public init(id: Int64, connID: String, connType: String?, description: String? = nil, host: String? = nil,
                schema: String? = nil, login: String? = nil, password: String? = nil, port: Int? = nil,
                extra: String? = nil, isEncrypted: Bool = false, isExtraEncrypted: Bool = false, teamName: String? = nil) {
        self.id = id
        self.connID = connID
        self.connType = connType
        self.description = description
        self.host = host
        self.schema = schema
        self.login = login
        self.password = password
        self.port = port
        self.extra = extra
        self.isEncrypted = isEncrypted
        self.isExtraEncrypted = isExtraEncrypted
        self.teamName = teamName
    }

    /// A keyed digest of every column, to tell whether the row changed since it was read.
    public var fingerprint: String {
        var digest = RowDigest()
        digest.add(id)
        digest.add(connID)
        digest.add(connType)
        digest.add(description)
        digest.add(host)
        digest.add(schema)
        digest.add(login)
        digest.add(password)
        digest.add(port.map(Int64.init))
        digest.add(extra)
        digest.add(isEncrypted)
        digest.add(isExtraEncrypted)
        digest.add(teamName)
        return digest.hex
    }
}
