/// A deployment's environment variables, each with where it was set (for editing in place).
///
/// Held compactly (see `EnvironmentStore`): a deployment's `.env` may have a million lines.
/// Look names up with the subscript or `names(withPrefix:)`; `variables` and `origins` build
/// dictionaries of everything.
public struct DeploymentEnvironment: Sendable, Hashable {
    private(set) var store = EnvironmentStore()

    public init() {}

    public init(_ variables: [String: String], origin: EnvironmentOrigin = .inline) {
        reserveCapacity(variables.count)
        for (name, value) in variables { set(name, value, origin: origin) }
    }

    /// Every variable, as a dictionary built on each call.
    public var variables: [String: String] { store.dictionary() }

    /// Where each variable was set, built on first use.
    public var origins: [String: EnvironmentOrigin] { store.origins() }

    public subscript(name: String) -> String? { store.value(of: name) }

    /// Where `name` was set, without building `origins`.
    public func origin(of name: String) -> EnvironmentOrigin? {
        store.position(of: name).map { store.origin(of: store.entries[$0]) }
    }

    public var count: Int { store.count }
    public var isEmpty: Bool { store.count == 0 }

    /// The names that start with `prefix`, in the order they were first set.
    public func names(withPrefix prefix: String) -> [String] { store.names(withPrefix: prefix) }

    /// Sets a variable; a later call wins, as later env files do, and the name keeps its place.
    public mutating func set(_ name: String, _ value: String, origin: EnvironmentOrigin) {
        uniqueStore().set(name, value, origin: origin)
    }

    /// `set` for a name and value given as UTF-8 bytes (a dotenv file's, read in place).
    mutating func set(nameBytes: UnsafeBufferPointer<UInt8>, valueBytes: UnsafeBufferPointer<UInt8>,
                      origin: EnvironmentOrigin) {
        uniqueStore().set(nameBytes: nameBytes, valueBytes: valueBytes, origin: origin)
    }

    /// Makes room for `count` more variables, so loading a large env file does not regrow.
    public mutating func reserveCapacity(_ count: Int) {
        uniqueStore().reserveCapacity(count)
    }

    /// `reserveCapacity` for variables read from a file of `bytes` bytes.
    mutating func reserveCapacity(_ count: Int, bytes: Int) {
        uniqueStore().reserveCapacity(count, averageBytes: count > 0 ? bytes / count + 1 : 0)
    }

    private mutating func uniqueStore() -> EnvironmentStore {
        if !isKnownUniquelyReferenced(&store) { store = store.copy() }
        return store
    }

    public static func == (lhs: DeploymentEnvironment, rhs: DeploymentEnvironment) -> Bool {
        lhs.store === rhs.store || (lhs.variables == rhs.variables && lhs.origins == rhs.origins)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(variables)
        hasher.combine(origins)
    }
}
