import Foundation
import Yams

/// The deployments Strata knows about, from a `strata.yaml` workspace file or an Astro project.
public struct Workspace: Sendable {
    public var deployments: [Deployment]
    /// The theme the workspace file asks for, if any.
    public var theme: String?
    /// The file the workspace came from, or the Astro project folder.
    public var origin: URL

    public init(deployments: [Deployment], theme: String? = nil, origin: URL) {
        self.deployments = deployments
        self.theme = theme
        self.origin = origin
    }

    /// The deployment called `name`.
    public func deployment(named name: String) -> Deployment? {
        deployments.first { $0.name == name }
    }

    /// The file name Strata looks for in the current folder.
    public static let fileName = "strata.yaml"

    /// Finds the workspace: `explicitPath` when given, else `strata.yaml` in `directory`, else an
    /// Astro project in `directory` as a deployment named `local`.
    public static func discover(explicitPath: String?, in directory: URL,
                                processEnvironment: [String: String] = ProcessInfo.processInfo.environment) throws -> Workspace {
        if let explicitPath {
            let url = URL(fileURLWithPath: explicitPath, relativeTo: directory).standardizedFileURL
            return try load(url, processEnvironment: processEnvironment)
        }
        let file = directory.appendingPathComponent(fileName)
        if FileCheck.inspect(file.path) != .missing { // a dangling link or a FIFO is reported, not passed over
            return try load(file, processEnvironment: processEnvironment)
        }
        if AstroProject.isProject(directory) {
            var deployment = Deployment(name: "local", airflowVersion: AstroProject.airflowVersion(of: directory) ?? .v3,
                                        baseDirectory: directory)
            try AstroProject.apply(directory, to: &deployment)
            return Workspace(deployments: [deployment], origin: directory)
        }
        throw WorkspaceError(path: file.path, line: nil,
                             problem: "no workspace found: there is no \(fileName) here and this folder is not an Astro project",
                             fix: "run Strata in an Astro project folder, pass --workspace PATH, or try `strata demo`")
    }

    /// Loads a `strata.yaml` workspace file.
    public static func load(_ url: URL, processEnvironment: [String: String] = ProcessInfo.processInfo.environment) throws -> Workspace {
        let text: String
        do {
            text = try RegularFile.utf8String(url.path)
        } catch is InvalidUTF8Error {
            throw WorkspaceError(path: url.path, line: nil, problem: "the file is not UTF-8 text", fix: "save it as UTF-8")
        } catch let error as RegularFileError where error.check != .missing {
            throw WorkspaceError(path: url.path, line: nil, problem: "the workspace file \(error.check.problem ?? "cannot be read")",
                                 fix: error.check.fix)
        } catch {
            throw WorkspaceError(path: url.path, line: nil, problem: "the workspace file cannot be read",
                                 fix: "check that it exists and is readable, or pass another --workspace")
        }
        return try parse(text, at: url, processEnvironment: processEnvironment)
    }

    /// Parses workspace YAML; relative paths resolve against the file's folder.
    public static func parse(_ text: String, at url: URL,
                             processEnvironment: [String: String] = ProcessInfo.processInfo.environment) throws -> Workspace {
        let path = url.path
        if let flat = try WorkspaceYAMLCheck.check(text, path: path) {
            // The plain block style: read in place from the flat document.
            return try parse(root: FlatWorkspaceNode.Document(text: text, flat: flat).root, at: url,
                             processEnvironment: processEnvironment)
        }
        return try parseThroughYams(text, at: url, processEnvironment: processEnvironment)
    }

    /// The workspace as Yams composes `text` (after `WorkspaceYAMLCheck`): how every file not
    /// in the plain block style is read, and what the in-place reading must agree with.
    static func parseThroughYams(_ text: String, at url: URL, processEnvironment: [String: String]) throws -> Workspace {
        let path = url.path
        let root: Node
        do {
            // Tags are not used here (every value is read as text): Yams's default resolver
            // would match each key against its regular expressions while checking duplicates.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw WorkspaceError(path: path, line: nil, problem: "the workspace file is empty",
                                     fix: "list deployments under a `deployments:` key (see the README)")
            }
            root = node
        } catch let error as WorkspaceError {
            throw error
        } catch let error as YamlError {
            throw WorkspaceError(path: path, line: Self.line(of: error), problem: "invalid YAML",
                                 fix: "fix the YAML syntax at that line")
        }
        return try parse(root: root, at: url, processEnvironment: processEnvironment)
    }

    /// Reads the workspace from its root node, whichever composer built it.
    private static func parse<N: WorkspaceNode>(root: N, at url: URL, processEnvironment: [String: String]) throws -> Workspace {
        let path = url.path
        let base = url.deletingLastPathComponent()
        let reader = YAMLReader<N>(path: path)
        let top = try reader.mapping(root, what: "the workspace file")
        try reader.rejectUnknownKeys(top, allowed: ["deployments", "theme"], in: "the workspace file")
        let theme = try top["theme"].map { try reader.string($0, what: "theme") }
        guard let list = top["deployments"] else {
            throw WorkspaceError(path: path, line: root.line, problem: "no `deployments:` list",
                                 fix: "add a `deployments:` list with at least one deployment (see the README)")
        }
        guard let items = list.items, !items.isEmpty else {
            throw WorkspaceError(path: path, line: list.line, problem: "`deployments` must be a non-empty list",
                                 fix: "write each deployment as a list item starting with `- name: …`")
        }
        var deployments: [Deployment] = []
        var names: Set<String> = [] // a workspace may list very many deployments: no quadratic search
        for item in items {
            let deployment = try parseDeployment(item, reader: reader, base: base, processEnvironment: processEnvironment)
            if !names.insert(deployment.name).inserted {
                throw WorkspaceError(path: path, line: item.line,
                                     problem: "two deployments are named '\(deployment.name)'",
                                     fix: "give each deployment a unique name")
            }
            deployments.append(deployment)
        }
        return Workspace(deployments: deployments, theme: theme, origin: url)
    }

    static let deploymentKeys: Set<String> = [
        "name", "airflow", "env_files", "env", "project", "metastore", "read_only", "process_env", "timeouts", "api",
        "team",
    ]

    private static func parseDeployment<N: WorkspaceNode>(_ node: N, reader: YAMLReader<N>, base: URL,
                                        processEnvironment: [String: String]) throws -> Deployment {
        let map = try reader.mapping(node, what: "a deployment")
        guard let nameNode = map["name"] else {
            throw reader.error(node, "a deployment has no `name`", fix: "add `name: <something>`")
        }
        let name = try reader.string(nameNode, what: "name")
        guard !name.isEmpty else { throw reader.error(nameNode, "a deployment's name is empty", fix: "give it a name") }
        try reader.rejectUnknownKeys(map, allowed: deploymentKeys, in: "deployment '\(name)'")

        var deployment = Deployment(name: name, baseDirectory: base)
        var versionGiven = false
        if let airflow = map["airflow"] {
            let text = try reader.string(airflow, what: "airflow")
            let major = text.split(separator: ".").first.flatMap { Int($0) }
            guard let major, let version = AirflowVersion(rawValue: major) else {
                throw reader.error(airflow, "deployment '\(name)': airflow must be 2 or 3, not '\(DotEnvFile.inert(text))'",
                                   fix: "write `airflow: 2` or `airflow: 3`")
            }
            deployment.airflowVersion = version
            versionGiven = true
        }
        if let flag = map["read_only"] { deployment.readOnly = try reader.bool(flag, what: "read_only") }
        if let timeouts = map["timeouts"] { deployment.timeouts = try RemoteTimeouts.read(timeouts, reader: reader, deployment: name) }
        if let api = map["api"] { deployment.api = try AirflowAPISettings.read(api, reader: reader, deployment: name) }

        var environment = DeploymentEnvironment()
        if let flag = map["process_env"], try reader.bool(flag, what: "process_env") {
            for (key, value) in processEnvironment { environment.set(key, value, origin: .process) }
        }
        if let project = map["project"] {
            let folder = URL(fileURLWithPath: try reader.string(project, what: "project"), relativeTo: base).standardizedFileURL
            guard AstroProject.isProject(folder) || FileManager.default.fileExists(atPath: folder.path) else {
                throw reader.error(project, "deployment '\(name)': project folder \(folder.path) does not exist",
                                   fix: "point `project:` at an Astro project folder")
            }
            deployment.environment = environment
            deployment.baseDirectory = folder
            try AstroProject.apply(folder, to: &deployment)
            environment = deployment.environment
            deployment.baseDirectory = base
            if !versionGiven, let detected = AstroProject.airflowVersion(of: folder) { deployment.airflowVersion = detected }
        }
        if let files = map["env_files"] {
            let paths: [N]
            if let items = files.items {
                paths = items
            } else if files.text != nil {
                paths = [files]
            } else {
                throw reader.error(files, "deployment '\(name)': env_files must be a list of paths", fix: "write `env_files: [.env]`")
            }
            for pathNode in paths {
                let url = URL(fileURLWithPath: try reader.string(pathNode, what: "env_files entry"), relativeTo: base).standardizedFileURL
                let file: DotEnvFile
                do {
                    file = try DotEnvFile.load(url)
                } catch let error as DotEnvError {
                    throw WorkspaceError(path: error.path, line: error.line,
                                         problem: "deployment '\(name)': \(error.problem)", fix: error.fix)
                }
                let path = url.path
                environment.reserveCapacity(file.entries.count)
                for entry in file.entries {
                    environment.set(entry.name, entry.value, origin: .file(path: path, line: entry.line))
                }
                deployment.envFiles.append(url)
            }
        }
        if let env = map["env"] {
            let isMapping = try env.forEachPair { keyNode, valueNode in
                let key = try reader.string(keyNode, what: "an env name")
                environment.set(key, try reader.string(valueNode, what: "env value of \(key)"), origin: .inline)
            }
            if !isMapping { _ = try reader.mapping(env, what: "env of deployment '\(name)'") }
        }
        deployment.environment = environment
        if let metastore = map["metastore"] {
            deployment.metastoreURL = Self.resolvingSQLitePath(try reader.string(metastore, what: "metastore"), base: base)
        }
        if let team = map["team"] { deployment.team = try readTeam(team, of: deployment, reader: reader) }
        return deployment
    }

    /// `sqlite:///relative.db` is relative to the workspace file, as paths elsewhere in it are.
    static func resolvingSQLitePath(_ url: String, base: URL) -> String {
        let prefix = "sqlite:///"
        guard url.hasPrefix(prefix) else { return url }
        let path = String(url.dropFirst(prefix.count))
        if path.hasPrefix("/") { return url }
        return "sqlite:///" + URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL.path.dropFirst()
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}

/// A workspace file Strata cannot use: where, what is wrong and what to do.
public struct WorkspaceError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var problem: String
    public var fix: String

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(problem); \(fix)"
    }
}
