import ArgumentParser
import Engine

/// Where `--from` / `--to` point: a tier of the current deployment (`metastore`), a tier of a
/// named deployment (`prod:backend`), or — as a source only — a whole deployment (`staging`),
/// meaning the values it resolves.
struct TierAddress: Equatable, ExpressibleByArgument {
    /// The deployment named; nil for the one `--deployment` selects.
    var deployment: String?
    /// The tier; nil for the values the deployment resolves.
    var tier: TierID?

    init(deployment: String?, tier: TierID?) {
        self.deployment = deployment
        self.tier = tier
    }

    init?(argument: String) {
        if let tier = TierID(rawValue: argument) {
            self.init(deployment: nil, tier: tier)
        } else if let colon = argument.lastIndex(of: ":"), let tier = TierID(rawValue: String(argument[argument.index(after: colon)...])) {
            let name = String(argument[..<colon])
            guard !name.isEmpty else { return nil }
            self.init(deployment: name, tier: tier)
        } else if !argument.isEmpty, !argument.hasSuffix(":") {
            self.init(deployment: argument, tier: nil)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { TierID.allCases.map(\.rawValue) }

    static var defaultCompletionKind: CompletionKind { .list(TierID.allCases.map(\.rawValue)) }
}
