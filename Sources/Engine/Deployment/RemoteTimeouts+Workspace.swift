import Foundation

extension RemoteTimeouts {
    /// Reads a deployment's `timeouts: {connect: 5, request: 10, tier: 25}` (seconds; each
    /// key optional), refusing anything that is not a number of seconds in `acceptedSeconds`.
    static func read<Node: WorkspaceNode>(_ node: Node, reader: YAMLReader<Node>, deployment name: String) throws -> RemoteTimeouts {
        let map = try reader.mapping(node, what: "timeouts of deployment '\(name)'")
        try reader.rejectUnknownKeys(map, allowed: ["connect", "request", "tier"], in: "timeouts of deployment '\(name)'")
        var timeouts = RemoteTimeouts.standard
        let range = RemoteTimeouts.acceptedSeconds
        let accepted = "a number of seconds from \(range.lowerBound) to \(Int(range.upperBound))"
        for (keyNode, valueNode) in map.pairs {
            let key = keyNode.text ?? ""
            let text = try reader.string(valueNode, what: "timeouts.\(key)")
            let seconds = Double(text.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("0x") ? "" : text)
            guard let seconds, let duration = RemoteTimeouts.duration(seconds: seconds) else {
                throw reader.error(valueNode, "deployment '\(name)': timeouts.\(key) must be \(accepted), not '\(DotEnvFile.inert(String(text.prefix(40))))'",
                                   fix: "write e.g. `timeouts: {connect: 5, request: 10, tier: 25}`")
            }
            switch key {
            case "connect": timeouts.connect = duration
            case "request": timeouts.request = duration
            default: timeouts.tier = duration
            }
        }
        return timeouts
    }
}
