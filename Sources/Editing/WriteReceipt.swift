import Engine
/// What a verified write did. Holds names and versions, never values.
public struct WriteReceipt: Sendable, Hashable {
    /// The exact name written in the tier (file key, secret name, env variable, row id).
    public var name: String
    /// Where: a file path, a secret's full path, "metastore (postgres)"… Safe to show.
    public var location: String
    /// The version the write made, when the tier versions values.
    public var version: String?
    /// Whether the write created the key (false: replaced or deleted it).
    public var created: Bool
    /// Things the user should know ("the URI form cannot hold a description"…).
    public var notes: [String]

    public init(name: String, location: String, version: String? = nil, created: Bool = false, notes: [String] = []) {
        self.name = name
        self.location = location
        self.version = version
        self.created = created
        self.notes = notes
    }
}
