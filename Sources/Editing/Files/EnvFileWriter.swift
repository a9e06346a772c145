import Engine
import Foundation

/// Writes `AIRFLOW_VAR_*` / `AIRFLOW_CONN_*` variables into a deployment's env files, in place:
/// the line that sets the variable is replaced (in the last file that sets it, which wins), a
/// new variable goes at the end of the last env file, a delete removes the lines that set it;
/// every other byte of the files stays as it was.
public struct EnvFileWriter: TierWriter {
    public let deployment: Deployment
    /// The parser Airflow applies to connection values read from this environment.
    public let dialect: ConnectionDialect
    public let descriptor: TierDescriptor

    public init(deployment: Deployment, dialect: ConnectionDialect,
                descriptor: TierDescriptor = TierDescriptor(tier: .env, label: "environment")) {
        self.deployment = deployment
        self.dialect = dialect
        self.descriptor = descriptor
    }

    /// Airflow ≥ 2.3 reads JSON connections from the environment as well as URIs.
    public var connectionForms: [ConnectionForm] { [.uri, .json] }
    public var keepsVariableDescriptions: Bool { false }

    /// The environment tier's naming: with a team (Airflow 3.2+ multi-team) the team's
    /// `AIRFLOW_VAR__<TEAM>___<KEY>` first, ids holding `___` refused in multi-team mode.
    private var naming: EnvironmentTier {
        EnvironmentTier(environment: DeploymentEnvironment(), dialect: dialect, teams: deployment.teamLookup)
    }

    public func lookupName(for key: SecretKey) -> LookupName {
        naming.lookupName(for: key)
    }

    public func globalLookupName(for key: SecretKey) -> LookupName? {
        naming.globalLookupName(for: key)
    }

    public func read(_ key: SecretKey) async throws -> EntryState {
        let files = try scan()
        return try await readAsLookedUp(key, passesOverEmpty: true) { name in state(of: files.winner(of: name), kind: key.kind) }
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let name = try requireName(for: change)
        guard let lastFile = deployment.envFiles.last else {
            throw EditError(.unsupported, "deployment '\(deployment.name)' has no env file to write \(name) to; "
                            + "add `env_files: [.env]` to its entry in strata.yaml (or use an Astro project, whose .env is used).")
        }
        guard DotEnvFile.isValidName(name) else {
            throw EditError(.invalid, "\(DotEnvFile.inert(name)) cannot be written to an env file: names there are letters, digits, "
                            + "_, . and - only. Store \(change.key) in another tier.")
        }
        // Read, check and build the new text with no suspension in between; AtomicFile checks
        // the file is still the one read just before renaming over it.
        let files = try scan()
        let winner = files.winner(of: name)
        var now = state(of: winner, kind: change.key.kind)
        // An empty team name is one Airflow passes over: as the lookup saw it, nothing is there.
        if now == .empty, base == .absent, globalLookupName(for: change.key) != nil, name == lookupName(for: change.key).name {
            now = .absent
        }
        try checkUnchanged(now, base: base, name: name)
        try refuseOutsideFiles(winner, name: name)

        var notes = [restartNote]
        var expected = change
        var plans: [(file: ScannedFile, text: String)] = []
        var location = lastFile.path
        var created = false
        switch change.action {
        case .set(let value, let form):
            let text: String
            switch value {
            case .variable(let variable, let description):
                text = variable
                if description?.isEmpty == false { notes.append("env variables cannot hold a description; it was not written") }
            case .connection(let connection):
                let stored = try StoredConnectionText.make(connection, form: form, dialect: dialect, name: name,
                                                           label: descriptor.label)
                text = stored.text
                notes += stored.notes
                expected = .set(change.key, .connection(stored.readBack), form: form)
            }
            if let (file, entry) = files.lastEntry(named: name) {
                let assignment = name + "=" + (try DotEnvQuoting.encode(text, name: name, path: file.url.path))
                plans.append((file, file.layout!.replacing(entry, with: assignment)))
                location = "\(file.url.path):\(entry.firstLine + 1)"
            } else {
                let file = files.files.last!
                let assignment = name + "=" + (try DotEnvQuoting.encode(text, name: name, path: file.url.path))
                let layout = file.layout ?? DotEnvLayout(lines: [""], entries: [], hasByteOrderMark: false, usesCRLF: false)
                plans.append((file, layout.appending(assignment)))
                created = true
            }
        case .delete:
            for file in files.files {
                guard let layout = file.layout else { continue }
                let entries = layout.entries(named: name)
                if !entries.isEmpty { plans.append((file, layout.removing(entries))) }
            }
            location = plans.map(\.file.url.path).joined(separator: ", ")
            if plans.count > 1 { notes.append("\(name) was set in \(plans.count) env files; it was removed from each") }
        }

        for plan in plans {
            try await write(plan.text, to: plan.file, name: name)
        }
        try checkStored(try await read(change.key), after: expected, name: name)
        return WriteReceipt(name: name, location: location, created: created, notes: notes)
    }

    private var restartNote: String {
        deployment.projectDirectory != nil
            ? "Airflow reads its environment when it starts: restart the deployment (astro dev restart) for Airflow to see it"
            : "Airflow reads its environment when it starts: restart the deployment for Airflow to see it"
    }

    /// Values that do not come from an env file cannot be edited there.
    private func refuseOutsideFiles(_ winner: Winner?, name: String) throws {
        switch winner?.origin {
        case .inline?:
            throw EditError(.unsupported, "\(name) is set in strata.yaml (`env:` of deployment '\(deployment.name)'), which wins over "
                            + "its env files; change it there, or move it into an env file to edit it with Strata.")
        case .process?:
            throw EditError(.unsupported, "\(name) comes from the environment Strata was started in (`process_env: true`); "
                            + "change it where that environment is set, or add it to an env file to edit it with Strata.")
        default:
            break
        }
    }

    /// Writes one env file atomically after checking the new text reads back with only `name` changed.
    private func write(_ text: String, to file: ScannedFile, name: String) async throws {
        let before = file.layout.map { Self.assignments(of: $0, path: file.url.path) } ?? [:]
        try await AtomicFile.replace(file.url, with: Data(text.utf8), expecting: file.data) { temp in
            let parsed = try DotEnvFile.load(temp)
            var after: [String: String] = [:]
            for entry in parsed.entries { after[entry.name] = entry.value }
            var othersBefore = before, othersAfter = after
            othersBefore[name] = nil
            othersAfter[name] = nil
            guard othersBefore == othersAfter else {
                throw EditError(.failed, "editing \(name) in \(file.url.path) would have changed other variables; nothing was written. "
                                + "Edit this file by hand.")
            }
        }
    }

    private static func assignments(of layout: DotEnvLayout, path: String) -> [String: String] {
        let text = (layout.hasByteOrderMark ? "\u{FEFF}" : "") + layout.lines.joined(separator: "\n")
        var values: [String: String] = [:]
        for entry in (try? DotEnvFile.parse(text, path: path).entries) ?? [] { values[entry.name] = entry.value }
        return values
    }

    // MARK: Reading the files

    /// One env file as it is on disk now.
    struct ScannedFile {
        var url: URL
        /// nil: the file does not exist.
        var data: Data?
        var layout: DotEnvLayout?
        var values: [String: String]
    }

    /// Where the value Airflow sees comes from.
    struct Winner {
        var value: String
        var origin: EnvironmentOrigin
    }

    struct ScannedFiles {
        var files: [ScannedFile]
        var inline: [String: String]
        var process: [String: String]

        /// The value a deployment's environment gets for `name`: strata.yaml's `env` over the
        /// env files (a later one over an earlier one) over the process environment.
        func winner(of name: String) -> Winner? {
            if let value = inline[name] { return Winner(value: value, origin: .inline) }
            for file in files.reversed() {
                if let value = file.values[name], let entry = file.layout?.entries(named: name).last {
                    return Winner(value: value, origin: .file(path: file.url.path, line: entry.firstLine + 1))
                }
            }
            if let value = process[name] { return Winner(value: value, origin: .process) }
            return nil
        }

        /// The last line setting `name` in the last file that sets it.
        func lastEntry(named name: String) -> (ScannedFile, DotEnvLayout.Entry)? {
            for file in files.reversed() {
                if let entry = file.layout?.entries(named: name).last { return (file, entry) }
            }
            return nil
        }
    }

    /// Re-reads every env file from disk; the inline and process values come from the loaded
    /// deployment (strata.yaml and Strata's environment do not change under it).
    func scan() throws -> ScannedFiles {
        var files: [ScannedFile] = []
        for url in deployment.envFiles {
            let target = AtomicFile.target(of: url)
            guard let data = try AtomicFile.read(target) else {
                files.append(ScannedFile(url: target, data: nil, layout: nil, values: [:]))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw EditError(.failed, "\(target.path) is not UTF-8 text; save it as UTF-8, then edit again")
            }
            do {
                let layout = try DotEnvLayout.parse(text, path: target.path)
                var values: [String: String] = [:]
                for entry in try DotEnvFile.parse(text, path: target.path).entries { values[entry.name] = entry.value }
                files.append(ScannedFile(url: target, data: data, layout: layout, values: values))
            } catch let error as DotEnvError {
                throw EditError(.failed, "\(error.description); nothing was written")
            }
        }
        var inline: [String: String] = [:]
        var process: [String: String] = [:]
        for (name, origin) in deployment.environment.origins {
            switch origin {
            case .inline: inline[name] = deployment.environment[name]
            case .process: process[name] = deployment.environment[name]
            case .file: break
            }
        }
        return ScannedFiles(files: files, inline: inline, process: process)
    }

    /// What the environment tier makes of the value, parsed by the tier's own code.
    func state(of winner: Winner?, kind: SecretKind) -> EntryState {
        guard let winner else { return .absent }
        let tier = EnvironmentTier(environment: DeploymentEnvironment(), dialect: dialect, descriptor: descriptor)
        return tier.state(kind: kind, value: winner.value)
    }
}
