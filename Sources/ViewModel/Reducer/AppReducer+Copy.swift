import Engine

/// One thing the copy menu can put on the clipboard.
public struct CopyChoice: Sendable, Hashable {
    public var key: Character
    public var label: String
}

extension AppReducer {
    /// What can be copied for an entry, in menu order.
    public static func copyChoices(for entry: Entry) -> [CopyChoice] {
        switch entry.resolution.value {
        case .variable?:
            return [CopyChoice(key: "v", label: "value"),
                    CopyChoice(key: "e", label: "AIRFLOW_VAR_… line")]
        case .connection?:
            return [CopyChoice(key: "u", label: "URI"), CopyChoice(key: "j", label: "JSON"),
                    CopyChoice(key: "e", label: "AIRFLOW_CONN_… line"), CopyChoice(key: "v", label: "value as stored")]
        case nil:
            return []
        }
    }

    static func handleCopyMenu(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        state.overlay = .none
        guard case .char(let c) = key, let entry = state.selectedEntry,
              let choice = copyChoices(for: entry).first(where: { $0.key == c }) else { return [] }
        guard let text = copyText(choice, entry: entry, state: state) else {
            show(&state, "\(choice.label) is not available for \(entry.displayID)", .warning)
            return []
        }
        show(&state, "copied the \(choice.label) of \(entry.displayID) to the clipboard (OSC 52)", .info)
        return [.copyToClipboard(text: text, what: "\(choice.label) of \(entry.resolution.key)")]
    }

    static func copyText(_ choice: CopyChoice, entry: Entry, state: AppState) -> String? {
        let version = state.activeDeploymentValue?.airflowVersion ?? .v3
        let id = entry.resolution.key.id
        switch (entry.resolution.value, choice.key) {
        case (.variable(let value)?, "v"):
            return value
        case (.variable(let value)?, "e"):
            return "AIRFLOW_VAR_\(id.uppercased())=\(shellQuoted(value))"
        case (.connection(let connection)?, "u"):
            return state.formats.uri(connection, version)
        case (.connection(let connection)?, "j"):
            return state.formats.json(connection, version)
        case (.connection(let connection)?, "e"):
            guard let text = state.formats.uri(connection, version) ?? state.formats.json(connection, version) else { return nil }
            return "AIRFLOW_CONN_\(id.uppercased())=\(shellQuoted(text))"
        case (.connection?, "v"):
            return entry.resolution.winning?.record?.rawText
        default:
            return nil
        }
    }

    /// Single-quoted for POSIX shells and dotenv files.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "'\\''") + "'"
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
