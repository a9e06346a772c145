/// Two or more deployments side by side on their effective values.
public struct DeploymentComparison: Sendable, Equatable {
    public var deployments: [String]
    public var rows: [Row]

    public struct Row: Sendable, Identifiable, Equatable {
        public var key: SecretKey
        /// One cell per deployment, in order.
        public var cells: [Cell]
        public var id: SecretKey { key }

        /// Whether every deployment has the same effective value.
        public var isUniform: Bool { cells.allSatisfy { $0.state == .same } }
    }

    public struct Cell: Sendable, Equatable {
        public var deployment: String
        public var state: CellState
        /// The tier that supplies the value in that deployment.
        public var winner: TierID?
        public var fingerprint: String?
        /// Fields that differ from the first deployment that has a value.
        public var differingFields: [ValueField]
        public var value: TierValue?
    }

    public enum CellState: String, Sendable {
        /// The same value as the reference (the first deployment with a value).
        case same
        case differs
        /// Every field both show agrees, but a source hid or re-serialised one (the REST API's `***`).
        case cannotTell = "cannot_tell"
        /// No tier supplies a value here.
        case missing
    }

    /// Compares resolutions of several deployments, given in order as (name, resolutions).
    public init(_ inputs: [(name: String, resolutions: [Resolution])]) {
        deployments = inputs.map(\.name)
        var byKey: [SecretKey: [String: Resolution]] = [:]
        for input in inputs {
            for resolution in input.resolutions { byKey[resolution.key, default: [:]][input.name] = resolution }
        }
        rows = byKey.keys.sorted().map { key in
            let perDeployment = byKey[key]!
            let referenceName = inputs.first { perDeployment[$0.name]?.value != nil }?.name
            let referenceResolution = referenceName.flatMap { perDeployment[$0] }
            let reference = referenceResolution?.value
            let referenceAlteration = referenceResolution?.winning?.record?.sourceAlteration ?? .none
            let cells = inputs.map { input -> Cell in
                guard let resolution = perDeployment[input.name], let value = resolution.value else {
                    return Cell(deployment: input.name, state: .missing, winner: nil, fingerprint: nil,
                                differingFields: [], value: nil)
                }
                let alteration = referenceAlteration.union(resolution.winning?.record?.sourceAlteration ?? .none)
                var state = CellState.same
                var differing: [ValueField] = []
                if let reference, input.name != referenceName {
                    switch value.agreement(with: reference, alteration: alteration) {
                    case .same: state = .same
                    case .cannotTell: state = .cannotTell
                    case .differs:
                        state = .differs
                        differing = value.differingFields(from: reference)
                        differing.removeAll { alteration.hidden.covers($0) }
                    }
                }
                return Cell(deployment: input.name, state: state,
                            winner: resolution.winner, fingerprint: SecretFingerprint.of(value),
                            differingFields: differing, value: value)
            }
            return Row(key: key, cells: cells)
        }
    }
}
