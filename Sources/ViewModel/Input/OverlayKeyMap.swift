/// The keys of one overlay (the comparison, the staged changes) as one list that both
/// dispatches them and writes the overlay's part of the help, so the two cannot drift apart.
struct OverlayKeyMap<Command: Hashable & Sendable>: Sendable {
    struct Binding: Sendable {
        var keys: [Key]
        var command: Command
        /// What the help says it does; nil keeps it out of the help (Ctrl-C quits everywhere).
        var help: String?

        init(_ keys: [Key], _ command: Command, _ help: String?) {
            self.keys = keys
            self.command = command
            self.help = help
        }
    }

    let bindings: [Binding]
    private let index: [Key: Command]

    init(_ bindings: [Binding]) {
        self.bindings = bindings
        var index: [Key: Command] = [:]
        for binding in bindings {
            for key in binding.keys where index[key] == nil { index[key] = binding.command }
        }
        self.index = index
    }

    /// The command `key` stands for here, if any.
    func command(for key: Key) -> Command? { index[key] }

    /// The help's rows: each binding's keys as the help labels them, and what it does.
    var helpRows: [(keys: String, text: String)] {
        bindings.compactMap { binding in
            binding.help.map { (binding.keys.map(\.label).joined(separator: " "), $0) }
        }
    }
}
