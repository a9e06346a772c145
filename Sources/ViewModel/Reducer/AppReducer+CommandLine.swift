import Engine

extension AppReducer {
    static func handleCommandLine(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let command = CommandLineKeys.map.command(for: key) else {
            if case .char(let c) = key { state.commandText.append(c) }
            return []
        }
        switch command {
        case .deleteBackward:
            if state.commandText.isEmpty { state.overlay = .none } else { state.commandText.removeLast() }
        case .clear: state.commandText = ""
        case .cancel: state.overlay = .none
        case .accept:
            state.overlay = .none
            return run(&state, state.commandText)
        case .quit:
            return requestQuit(&state)
        case .moveDown, .moveUp, .pageDown, .pageUp:
            break
        }
        return []
    }

    /// Runs a `:` command.
    static func run(_ state: inout AppState, _ text: String) -> [AppEffect] {
        let words = text.split(separator: " ").map(String.init)
        guard let verb = words.first?.lowercased() else { return [] }
        let argument = words.dropFirst().joined(separator: " ")
        switch verb {
        case "q", "quit", "exit":
            return requestQuit(&state)
        case "q!", "quit!":
            state.isQuitting = true
            return [.quit]
        case "new":
            let kind = words.dropFirst().first?.lowercased()
            let id = words.dropFirst(2).joined(separator: " ")
            switch kind {
            case "conn"?, "connection"?: return openEditor(&state, key: .connection(id), isNew: true)
            case "var"?, "variable"?: return openEditor(&state, key: .variable(id), isNew: true)
            default:
                show(&state, "usage: :new conn ID or :new var KEY", .warning)
                return []
            }
        case "edit", "e":
            return perform(&state, .edit)
        case "delete", "del", "rm":
            return openDelete(&state)
        case "staged", "changes":
            return openStaged(&state)
        case "w", "write", "save":
            return saveStaged(&state)
        case "log", "ops", "@":
            state.overlay = .operations
            state.operationsScroll = 0
            return []
        case "deployment", "deploy", "d", "ctx", "context":
            guard !argument.isEmpty else {
                show(&state, "usage: :deployment NAME (one of \(deploymentNames(state)))", .warning)
                return []
            }
            let matches = state.deployments.indices.filter { state.deployments[$0].name == argument }
            let prefixed = state.deployments.indices.filter { state.deployments[$0].name.lowercased().hasPrefix(argument.lowercased()) }
            guard let index = matches.first ?? (prefixed.count == 1 ? prefixed.first : nil) else {
                show(&state, "no deployment '\(InertText.make(argument))'; this workspace has \(deploymentNames(state))", .error)
                return []
            }
            state.focus = .list
            return activate(&state, index: index)
        case "theme":
            guard !argument.isEmpty else {
                show(&state, "usage: :theme NAME (\(BuiltinThemes.names.joined(separator: ", ")) or a .theme file)", .warning)
                return []
            }
            return [.applyTheme(argument)]
        case "compare", "diff":
            return compareDeployments(&state, names: Array(words.dropFirst()))
        case "help", "h":
            state.overlay = .help
            state.helpScroll = 0
            return []
        default:
            show(&state, "unknown command '\(InertText.make(verb))'; try :deployment NAME, :compare A B, :new conn ID, :theme NAME or :q", .error)
            return []
        }
    }

    private static func deploymentNames(_ state: AppState) -> String {
        state.deployments.map { InertText.make($0.name) }.joined(separator: ", ")
    }
}
