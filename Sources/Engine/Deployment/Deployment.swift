import Foundation

/// One Airflow environment: its environment variables (which also carry the backend
/// configuration), its metastore, and the Airflow major version it runs.
public struct Deployment: Sendable, Identifiable {
    public var name: String
    public var airflowVersion: AirflowVersion
    public var environment: DeploymentEnvironment
    /// An Astro project's `airflow_settings.yaml`, loaded into the metastore by `astro dev start`.
    public var airflowSettingsFile: URL?
    /// The metastore URL from the workspace file (`sqlite:///…`, `postgresql://…`), if any.
    public var metastoreURL: String?
    public var readOnly: Bool
    /// The folder relative paths in this deployment's settings were resolved against.
    public var baseDirectory: URL
    /// The Astro project folder, when the deployment is one. Airflow runs there
    /// (`/usr/local/airflow` in the image), so relative backend file paths start there.
    public var projectDirectory: URL?
    /// The dotenv files the environment was read from, in order (a later file wins). Edits to
    /// the environment tier go to the file that set the variable, or the last one for a new one.
    public var envFiles: [URL] = []
    /// How long remote tiers may take (`timeouts:` in the workspace file).
    public var timeouts: RemoteTimeouts = .standard

    public var id: String { name }

    public init(name: String, airflowVersion: AirflowVersion = .v3,
                environment: DeploymentEnvironment = DeploymentEnvironment(),
                airflowSettingsFile: URL? = nil, metastoreURL: String? = nil, readOnly: Bool = false,
                baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.name = name
        self.airflowVersion = airflowVersion
        self.environment = environment
        self.airflowSettingsFile = airflowSettingsFile
        self.metastoreURL = metastoreURL
        self.readOnly = readOnly
        self.baseDirectory = baseDirectory
        self.projectDirectory = nil
    }

    /// Where Airflow's working directory is for this deployment: the project folder, or the
    /// workspace folder.
    public var workingDirectory: URL { projectDirectory ?? baseDirectory }

    /// A file path as Airflow inside this deployment would open it. Relative paths start at the
    /// working directory; `/usr/local/airflow/…` (the Astro image's home) maps into the project.
    public func localPath(_ path: String) -> URL {
        let astroHome = "/usr/local/airflow/"
        if let project = projectDirectory, path.hasPrefix(astroHome),
           !FileManager.default.fileExists(atPath: path) {
            return project.appendingPathComponent(String(path.dropFirst(astroHome.count)))
        }
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        // Append rather than resolve relative to the folder URL, which would drop its last
        // component when the URL does not end in a slash.
        return workingDirectory.appendingPathComponent(path).standardizedFileURL
    }
}

/// A deployment's environment variables, each with where it was set (for editing in place).
public struct DeploymentEnvironment: Sendable, Hashable {
    public private(set) var variables: [String: String] = [:]

    /// Where each variable was set.
    public var origins: [String: EnvironmentOrigin] {
        guard let orderedEntries else { return storedOrigins }
        return originsCache.origins(of: orderedEntries, sources: originSources)
    }

    /// Every variable with its value and origin, in the order they were set, as long as no name
    /// was set twice (`nil` after that). Listing a large environment walks this instead of
    /// looking each name's origin up in a dictionary, and loading one fills no origin
    /// dictionary until `origins` is asked for.
    private(set) var orderedEntries: [Entry]? = []
    /// The origins once `orderedEntries` is dropped (empty until then).
    private var storedOrigins: [String: EnvironmentOrigin] = [:]
    /// `origins` built from `orderedEntries`, kept for the entries it was built from.
    private var originsCache = OriginsCache()

    /// The distinct origins of `orderedEntries`, an env file's with line 0: entries point into
    /// it instead of each holding a path and a line of their own.
    private var originSources: [EnvironmentOrigin] = []

    /// One variable as it was set: 40 bytes, where a name, a value and an `EnvironmentOrigin`
    /// are 56, and a large env file has one per line. `origin(of:)` gives the origin back.
    struct Entry: Sendable {
        var name: String
        var value: String
        /// The line in the env file `originSources[source]` names, or `wholeOrigin` when that
        /// source is the origin as it is (not a file, or a line beyond 32 bits).
        var line: UInt32
        var source: UInt32

        static let wholeOrigin = UInt32.max
    }

    /// Where `entry` (one of `orderedEntries`) was set.
    func origin(of entry: Entry) -> EnvironmentOrigin {
        Self.origin(of: entry, in: originSources)
    }

    fileprivate static func origin(of entry: Entry, in sources: [EnvironmentOrigin]) -> EnvironmentOrigin {
        let source = sources[Int(entry.source)]
        if entry.line != Entry.wholeOrigin, case .file(let path, _) = source {
            return .file(path: path, line: Int(entry.line))
        }
        return source
    }

    /// An entry for `origin`, adding its source when it is new (usually the last one added).
    private mutating func makeEntry(_ name: String, _ value: String, origin: EnvironmentOrigin) -> Entry {
        var key = origin
        var line = Entry.wholeOrigin
        if case .file(let path, let fileLine) = origin, fileLine >= 0, let compact = UInt32(exactly: fileLine),
           compact != Entry.wholeOrigin {
            key = .file(path: path, line: 0)
            line = compact
        }
        let index: Int
        if let last = originSources.indices.last, originSources[last] == key {
            index = last
        } else if let found = originSources.firstIndex(of: key) {
            index = found
        } else {
            index = originSources.count
            originSources.append(key)
        }
        // There are never more sources than entries, far fewer than 2^32 in memory.
        return Entry(name: name, value: value, line: line, source: UInt32(truncatingIfNeeded: index))
    }

    public init() {}

    public init(_ variables: [String: String], origin: EnvironmentOrigin = .inline) {
        reserveCapacity(variables.count)
        for (name, value) in variables { set(name, value, origin: origin) }
    }

    public subscript(name: String) -> String? { variables[name] }

    /// Sets a variable; a later call wins, as later env files do.
    public mutating func set(_ name: String, _ value: String, origin: EnvironmentOrigin) {
        guard orderedEntries != nil else {
            variables[name] = value
            storedOrigins[name] = origin
            return
        }
        if variables.updateValue(value, forKey: name) != nil {
            // A name set again: from now on origins live in a dictionary.
            var origins = [String: EnvironmentOrigin](minimumCapacity: variables.count)
            for entry in orderedEntries! { origins[entry.name] = self.origin(of: entry) }
            origins[name] = origin
            storedOrigins = origins
            orderedEntries = nil
            originSources = []
            originsCache = OriginsCache()
        } else {
            let newEntry = makeEntry(name, value, origin: origin)
            orderedEntries!.append(newEntry)
            // A cache shared with a copy of this environment may be filled from the copy's
            // entries: this one gets its own. (A cache of its own is stale by its count.)
            if !isKnownUniquelyReferenced(&originsCache) { originsCache = OriginsCache() }
        }
    }

    public static func == (lhs: DeploymentEnvironment, rhs: DeploymentEnvironment) -> Bool {
        lhs.variables == rhs.variables && lhs.origins == rhs.origins
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(variables)
        hasher.combine(origins)
    }
}

/// The origins dictionary of an environment still held as ordered entries, built on first use.
private final class OriginsCache: @unchecked Sendable {
    private let lock = NSLock()
    private var builtFromCount = -1
    private var origins: [String: EnvironmentOrigin] = [:]

    func origins(of entries: [DeploymentEnvironment.Entry], sources: [EnvironmentOrigin]) -> [String: EnvironmentOrigin] {
        lock.lock()
        defer { lock.unlock() }
        // Entries are only ever appended while a cache is not shared, so the count tells
        // whether it is current.
        if builtFromCount != entries.count {
            var built = [String: EnvironmentOrigin](minimumCapacity: entries.count)
            for entry in entries { built[entry.name] = DeploymentEnvironment.origin(of: entry, in: sources) }
            origins = built
            builtFromCount = entries.count
        }
        return origins
    }
}

/// Where a deployment's environment variable was set.
public enum EnvironmentOrigin: Sendable, Hashable {
    /// The workspace file's inline `env` map.
    case inline
    /// A dotenv file, with the 1-based line number.
    case file(path: String, line: Int)
    /// Strata's own process environment, when the user asked for it.
    case process
}

extension DeploymentEnvironment {
    /// Makes room for `count` more variables, so loading a large env file does not rehash.
    public mutating func reserveCapacity(_ count: Int) {
        variables.reserveCapacity(variables.count + count)
        if orderedEntries != nil {
            orderedEntries!.reserveCapacity(variables.count + count)
        } else {
            storedOrigins.reserveCapacity(storedOrigins.count + count)
        }
    }
}
