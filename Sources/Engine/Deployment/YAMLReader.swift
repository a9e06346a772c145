/// Reads typed values out of a workspace file's nodes, with errors that name the file and line.
struct YAMLReader<Node: WorkspaceNode> {
    var path: String

    struct Map {
        var pairs: [(Node, Node)]
        subscript(key: String) -> Node? {
            pairs.first { $0.0.text == key }?.1
        }
    }

    func error(_ node: Node, _ problem: String, fix: String) -> WorkspaceError {
        WorkspaceError(path: path, line: node.line, problem: problem, fix: fix)
    }

    func mapping(_ node: Node, what: String) throws -> Map {
        guard let pairs = node.pairs else {
            throw error(node, "\(what) must be a mapping of keys to values", fix: "write it as `key: value` lines")
        }
        return Map(pairs: pairs)
    }

    func string(_ node: Node, what: String) throws -> String {
        guard let text = node.text else {
            throw error(node, "\(what) must be a single value", fix: "write it on one line as `key: value`")
        }
        return text
    }

    func bool(_ node: Node, what: String) throws -> Bool {
        let text = try string(node, what: what).lowercased()
        switch text {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, "\(what) must be true or false", fix: "write `\(what): true` or `\(what): false`")
        }
    }

    func rejectUnknownKeys(_ map: Map, allowed: Set<String>, in context: String) throws {
        for (key, _) in map.pairs {
            let name = key.text ?? ""
            if !allowed.contains(name) {
                throw error(key, "unknown key '\(DotEnvFile.inert(name))' in \(context)",
                            fix: "use one of: \(allowed.sorted().joined(separator: ", "))")
            }
        }
    }
}
