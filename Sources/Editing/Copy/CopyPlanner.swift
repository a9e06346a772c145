import Engine

/// Checks a list of values against the tier they are to be copied into: what each key becomes
/// there (created, updated, unchanged, a conflict, refused and why), the form a connection is
/// stored in, which tier Airflow reads it from afterwards, and — for a move — the delete from
/// the source that follows.
public struct CopyPlanner: Sendable {
    /// The deployment copied into, as loaded, with its writers.
    public var target: DeploymentState
    public var targetWriters: [TierWriterSlot]
    public var targetTier: TierID
    /// Strata runs with `--read-only`.
    public var globalReadOnly: Bool
    /// The tier the values come from, when they come from a tier: a move deletes there, and a
    /// copy within one deployment says when the source row becomes dead.
    public var source: SourceTier?

    /// A tier of a loaded deployment that values are copied from.
    public struct SourceTier: Sendable {
        public var state: DeploymentState
        public var writers: [TierWriterSlot]
        public var tier: TierID

        public init(state: DeploymentState, writers: [TierWriterSlot], tier: TierID) {
            self.state = state
            self.writers = writers
            self.tier = tier
        }

        var label: String { state.descriptors[tier]?.label ?? tier.rawValue }
    }

    public init(target: DeploymentState, targetWriters: [TierWriterSlot], targetTier: TierID,
                globalReadOnly: Bool = false, source: SourceTier? = nil) {
        self.target = target
        self.targetWriters = targetWriters
        self.targetTier = targetTier
        self.globalReadOnly = globalReadOnly
        self.source = source
    }

    /// The plan for copying `items` (and, with `move`, deleting each from the source once its
    /// copy is verified).
    public func plan(_ items: CopyItems, sourceLabel: String, policy: ConflictPolicy, move: Bool) -> CopyPlan {
        let planner = EditPlanner(state: target, writers: targetWriters, globalReadOnly: globalReadOnly)
        let sourcePlanner = source.map { EditPlanner(state: $0.state, writers: $0.writers, globalReadOnly: globalReadOnly) }
        let writer = targetWriters.first { $0.tier == targetTier }?.writer
        // Every key resolved in one pass: one at a time, each would index every tier again.
        let keys = items.items.map(\.key)
        let resolutions = target.resolve(keys)
        let sourceResolutions = move ? (source.map { $0.state.deployment.name == target.deployment.name ? resolutions : $0.state.resolve(keys) } ?? [:]) : [:]
        let steps = items.items.map { item in
            step(for: item, planner: planner, sourcePlanner: move ? sourcePlanner : nil, writer: writer, policy: policy,
                 resolution: resolutions[item.key] ?? target.resolve(item.key), sourceResolution: sourceResolutions[item.key])
        }
        return CopyPlan(targetDeployment: target.deployment.name, targetLabel: targetLabel, targetTier: targetTier,
                        sourceLabel: sourceLabel, steps: steps, problems: items.problems, policy: policy, moves: move)
    }

    var targetLabel: String {
        targetWriters.first { $0.tier == targetTier }?.descriptor.label ?? target.descriptors[targetTier]?.label ?? targetTier.rawValue
    }

    private func step(for item: CopyItem, planner: EditPlanner, sourcePlanner: EditPlanner?,
                      writer: (any TierWriter)?, policy: ConflictPolicy, resolution: Resolution,
                      sourceResolution: Resolution?) -> CopyStep {
        var step = CopyStep(key: item.key, action: .create, origin: item.origin, write: nil, sourceDelete: nil, notes: [])
        if !item.hidden.isEmpty {
            step.action = .refused(EditError(.invalid, "\(item.origin) hides \(item.hidden.names.joined(separator: ", ")) of \(item.key) "
                                             + "(shown as ***), so its value is not known; copy it from a tier that holds it."))
            return step
        }
        var form = ConnectionForm.uri
        if case .connection(let connection) = item.value, let writer {
            switch chooseForm(for: connection, key: item.key, writer: writer) {
            case .success(let chosen):
                form = chosen.form
                step.notes += chosen.notes
                step.unkeptFields = chosen.unkept
            case .failure(let error):
                step.action = .refused(error)
                return step
            }
        }
        let planned = planner.plan(.set(item.key, item.value, form: form), into: targetTier, resolution: resolution)
        step.write = planned
        if let refusal = planned.refusal {
            step.action = .refused(refusal)
            return step
        }
        step.action = action(for: planned, item: item, form: form, policy: policy)
        if case .variable(_, let description?) = item.value, !description.isEmpty, writer?.keepsVariableDescriptions == false {
            step.notes.append("\(planned.targetLabel) keeps no variable descriptions; the description is not copied")
        }
        if let sourcePlanner, let source {
            let delete = sourcePlanner.plan(.delete(item.key), into: source.tier,
                                            resolution: sourceResolution ?? source.state.resolve(item.key))
            if let refusal = delete.refusal {
                step.action = .refused(EditError(refusal.kind, "\(item.key) cannot be moved: \(refusal.message)"))
                return step
            }
            step.sourceDelete = delete
        }
        step.expectedWinner = expectedWinner(for: step, resolution: resolution)
        step.notes += winnerNotes(for: step, planned: planned)
        return step
    }

    private func action(for planned: PlannedChange, item: CopyItem, form: ConnectionForm, policy: ConflictPolicy) -> CopyStep.Action {
        if planned.isNoOp { return .unchanged }
        switch planned.base {
        case .absent:
            return .create
        case .present(let held) where held.holdsSameValue(as: item.value.tierValue):
            // Connections: the same connection in another stored form is the same to Airflow;
            // only a form that keeps descriptions makes a differing description a change.
            if case .connection(let new) = item.value, case .connection(let old) = held,
               form == .fields, (new.description ?? "") != (old.description ?? "") {
                break
            }
            if case .variable = item.value { break }
            return .unchanged
        default:
            break
        }
        switch policy {
        case .fail: return .conflict(skipped: false)
        case .skip: return .conflict(skipped: true)
        case .overwrite: return .update
        }
    }

    /// Which tier Airflow reads the key from once the copy (and any move) is done, and what
    /// becomes of the source row.
    private func winnerNotes(for step: CopyStep, planned: PlannedChange) -> [String] {
        guard step.landsInTarget else { return [] }
        var notes: [String] = []
        let winner = step.expectedWinner
        let winnerLabel = winner.flatMap { id in target.descriptors[id]?.label } ?? winner?.rawValue
        if let winner, winner != targetTier {
            notes.append("\(winnerLabel ?? winner.rawValue) shadows it: Airflow keeps reading \(step.key) from \(winnerLabel ?? winner.rawValue)")
        }
        if let source, source.state.deployment.name == target.deployment.name, step.sourceDelete == nil,
           winner == targetTier, source.tier != targetTier, target.chain.contains(source.tier) {
            notes.append("the \(source.label) row becomes dead (Airflow reads \(planned.targetLabel) first): remove it with --move")
        }
        return notes
    }

    /// The tier Airflow reads `step.key` from once the copy is written and, for a move, the
    /// source row deleted.
    func expectedWinner(for step: CopyStep, resolution: Resolution) -> TierID? {
        let movedOut = step.sourceDelete != nil && source?.state.deployment.name == target.deployment.name ? source?.tier : nil
        for row in resolution.tiers {
            if row.tier == targetTier {
                if step.key.kind == .variable || !(step.write?.change.newValue?.tierValue.isEmptyValue ?? true) { return row.tier }
                continue
            }
            if row.tier == movedOut { continue }
            switch row.state {
            case .present: return row.tier
            case .empty where step.key.kind == .variable: return row.tier
            default: continue
            }
        }
        return nil
    }

    private struct ChosenForm {
        var form: ConnectionForm
        var notes: [String]
        var unkept: [String]
    }

    /// The first of the target's forms that Airflow reads back as exactly this connection;
    /// else, of the forms that keep its meaning, the one that changes fewest fields (an empty
    /// text read back as None, a description dropped — each named in a note); else why none can.
    private func chooseForm(for connection: Connection, key: SecretKey, writer: any TierWriter) -> Result<ChosenForm, EditError> {
        let forms = writer.connectionForms
        guard !forms.isEmpty else { return .success(ChosenForm(form: .uri, notes: [], unkept: [])) }
        let dialect = target.connectionDialect(for: targetTier)
        var best: ChosenForm?
        var firstError: EditError?
        for form in forms {
            do {
                let stored = try writer.connectionReadBack(connection, as: form, key: key, dialect: dialect)
                guard StoredConnectionText.lostFields(connection, stored.readBack).isEmpty else {
                    throw EditError(.invalid, "\(writer.descriptor.label) cannot hold \(key) exactly as \(form.rawValue)")
                }
                let unkept = Self.changedFields(connection, stored.readBack)
                if unkept.isEmpty { return .success(ChosenForm(form: form, notes: [], unkept: [])) }
                if best == nil || unkept.count < best!.unkept.count {
                    let label = writer.descriptor.label
                    let notes = unkept.map { field in
                        field == "description" ? "\(label) cannot keep the description of \(key) as \(form.rawValue); it is not copied"
                            : "\(field) of \(key) is empty, and Airflow reads it back from \(label) as None"
                    }
                    best = ChosenForm(form: form, notes: notes, unkept: unkept)
                }
            } catch let error as EditError {
                if firstError == nil { firstError = error }
            } catch {
                if firstError == nil { firstError = EditError(.invalid, "\(writer.descriptor.label) cannot hold \(key)") }
            }
        }
        if let best { return .success(best) }
        return .failure(firstError ?? EditError(.invalid, "\(writer.descriptor.label) cannot hold \(key)"))
    }

    /// The fields whose exact value differs once stored (`""` against None included).
    static func changedFields(_ meant: Connection, _ stored: Connection) -> [String] {
        let fields: [(String, (Connection) -> String?)] = [
            ("conn_type", \.connType), ("host", \.host), ("login", \.login), ("password", \.password), ("schema", \.schema),
            ("port", { $0.port.map(String.init) }), ("extra", \.extra), ("description", \.description),
        ]
        return fields.filter { $0.1(meant) != $0.1(stored) }.map(\.0)
    }
}
