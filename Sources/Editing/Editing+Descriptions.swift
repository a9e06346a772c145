import Engine
/// Editing values print without their secrets: they reach test failures, crash reports and
/// logs, where only names belong.
extension EditValue: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        switch self {
        case .variable: return "variable value (masked)"
        case .connection(let connection):
            return "connection \(connection.connType ?? "?")://\(connection.host ?? "") (secret fields masked)"
        }
    }

    public var debugDescription: String { description }
}

extension TierChange: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        switch action {
        case .set(let value, let form): return "set \(key) to \(value)\(key.kind == .connection ? " as \(form.rawValue)" : "")"
        case .delete: return "delete \(key)"
        }
    }

    public var debugDescription: String { description }
}

extension PlannedChange: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        var text = "\(change) in \(targetLabel)"
        if let refusal { text += " — refused (\(refusal.kind.rawValue))" } else if isNoOp { text += " — no change" }
        return text
    }

    public var debugDescription: String { description }
}

extension EditExecutor.Outcome: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        if let receipt { return "\(planned.change): written \(receipt.name)" + (receipt.version.map { " (version \($0))" } ?? "") }
        if let error { return "\(planned.change): \(error.kind.rawValue): \(error.message)" }
        return "\(planned.change): nothing written"
    }

    public var debugDescription: String { description }
}
