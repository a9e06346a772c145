import Engine
/// Checks staged changes against a loaded deployment: read-only rules, the tier's naming,
/// the placeholder rule, unchanged values, and which tier wins afterwards.
public struct EditPlanner: Sendable {
    public var state: DeploymentState
    public var writers: [TierWriterSlot]
    /// Strata runs with `--read-only`.
    public var globalReadOnly: Bool

    public init(state: DeploymentState, writers: [TierWriterSlot], globalReadOnly: Bool = false) {
        self.state = state
        self.writers = writers
        self.globalReadOnly = globalReadOnly
    }

    /// The plan for `changes`, each to its tier, in order.
    public func plan(_ changes: [(change: TierChange, tier: TierID)]) -> EditPlan {
        EditPlan(deploymentName: state.deployment.name, changes: changes.map { plan($0.change, into: $0.tier) })
    }

    /// The plan for one change written to `tier`.
    public func plan(_ change: TierChange, into tier: TierID) -> PlannedChange {
        plan(change, into: tier, resolution: state.resolve(change.key))
    }

    /// The plan for one change, given how its key resolves now (worked out in bulk by the caller).
    public func plan(_ change: TierChange, into tier: TierID, resolution: Resolution) -> PlannedChange {
        let slot = writers.first { $0.tier == tier }
        let label = slot?.descriptor.label ?? state.descriptors[tier]?.label ?? tier.rawValue
        let current = resolution.tiers.first { $0.tier == tier }
        var planned = PlannedChange(change: change, target: tier, targetLabel: label, name: nil, base: .absent,
                                    fields: [], winnerAfter: resolution.winner,
                                    winnerAfterLabel: resolution.winning?.label, warnings: [], refusal: nil, isNoOp: false)
        if let refusal = refusal(for: change, slot: slot, current: current) {
            planned.refusal = refusal
            return planned
        }
        let writer = slot!.writer!
        planned.name = Self.writeName(for: change.key, writer: writer, found: current?.record)
        if planned.name != writer.lookupName(for: change.key).name { planned.change.name = planned.name }
        planned.base = Self.entryState(current?.state) ?? .absent
        let before = planned.base.value
        let after = change.newValue?.tierValue
        planned.fields = FieldChange.changes(from: before, to: after)
        planned.isNoOp = isNoOp(change, base: planned.base, record: current?.record, writer: writer)

        let (winner, winnerLabel) = winnerAfter(change, tier: tier, resolution: resolution)
        planned.winnerAfter = winner
        planned.winnerAfterLabel = winnerLabel
        planned.warnings = warnings(for: planned, resolution: resolution)
        return planned
    }

    /// The exact name a write of `key` goes to. Multi-team (Airflow 3.2+): an existing value is
    /// rewritten where this team's Airflow reads it now — the global name when that is what the
    /// lookup found — and anything else goes under the team's name, which Airflow reads first.
    static func writeName(for key: SecretKey, writer: any TierWriter, found record: TierRecord?) -> String? {
        if let record, let global = writer.globalLookupName(for: key)?.name, record.name == global { return global }
        return writer.lookupName(for: key).name
    }

    // MARK: Rules

    private func refusal(for change: TierChange, slot: TierWriterSlot?, current: TierResolution?) -> EditError? {
        if globalReadOnly {
            return EditError(.readOnly, "Strata was started with --read-only; nothing is written. Start it without --read-only to edit.")
        }
        if state.deployment.readOnly {
            return EditError(.readOnly, "deployment '\(state.deployment.name)' is read-only (read_only: true in strata.yaml); "
                             + "nothing is written. Remove read_only from its entry to edit it.")
        }
        guard let slot else {
            return EditError(.unsupported, "deployment '\(state.deployment.name)' has no \(current?.label ?? "such") tier to write.")
        }
        guard let writer = slot.writer else {
            return EditError(.unsupported, "\(slot.descriptor.label) cannot be written: \(slot.unavailableReason ?? "no writer").")
        }
        if case .skipped(let reason) = writer.lookupName(for: change.key) {
            return EditError(.invalid, "\(writer.descriptor.label) cannot hold \(change.key): \(reason); Airflow would never read it there.")
        }
        if let refusal = writer.refusal(for: change, holding: current?.record) { return refusal }
        switch current?.state {
        case .loading?:
            return EditError(.unsupported, "\(slot.descriptor.label) is still loading; wait for it, then save again.")
        case .unavailable(let reason)?:
            return EditError(.unsupported, "\(slot.descriptor.label) could not be loaded (\(reason)); Strata cannot check what it holds, so it does not write there.")
        default:
            break
        }
        guard case .set(let value, let form) = change.action else { return nil }
        if value.kind != change.key.kind {
            return EditError(.invalid, "a \(value.kind.rawValue) value cannot be stored as \(change.key).")
        }
        let base = Self.entryState(current?.state)?.value
        let hidden = current?.record?.hiddenFields ?? .none
        let placeholders = MaskedPlaceholder.fields(in: value).filter { !Self.isKeptHidden($0, hidden: hidden, base: base, value: value) }
        if !placeholders.isEmpty {
            return EditError(.placeholder, "\(placeholders.joined(separator: ", ")) of \(change.key) holds a masked placeholder, "
                             + "not a value; Strata never writes one. Type the real value, or leave the field untouched to keep it.")
        }
        if case .connection = value {
            if writer.connectionForms.isEmpty {
                return EditError(.invalid, "\(writer.descriptor.label) does not hold connections.")
            }
            if !writer.connectionForms.contains(form) {
                let accepted = writer.connectionForms.map(\.rawValue).joined(separator: ", ")
                return EditError(.invalid, "\(writer.descriptor.label) does not store connections as \(form.rawValue); use \(accepted).")
            }
        }
        return nil
    }

    private func isNoOp(_ change: TierChange, base: EntryState, record: TierRecord?, writer: any TierWriter) -> Bool {
        switch change.action {
        case .delete:
            return base == .absent
        case .set(let value, _):
            let text: String? = {
                if case .variable(let text, _) = value { return text }
                return nil
            }()
            switch (value, base) {
            case (.variable(_, let description), .present(.variable(let old))):
                return old == text && (description == nil || !writer.keepsVariableDescriptions
                                       || description == record?.metadata["description"])
            case (.variable(let new, let description), .empty):
                return new.isEmpty && (description == nil || !writer.keepsVariableDescriptions
                                       || description == record?.metadata["description"])
            case (.connection(let new), .present(.connection(let old))):
                return new == old
            default:
                return false
            }
        }
    }

    /// Which tier Airflow reads the key from once `change` is in `tier`.
    private func winnerAfter(_ change: TierChange, tier: TierID, resolution: Resolution) -> (TierID?, String?) {
        for entry in resolution.tiers {
            let hit: Bool
            if entry.tier == tier {
                switch change.action {
                case .delete: hit = false
                case .set(let value, _): hit = change.key.kind == .variable || !value.tierValue.isEmptyValue
                }
            } else {
                switch entry.state {
                case .present: hit = true
                case .empty: hit = change.key.kind == .variable
                default: hit = false
                }
            }
            if hit { return (entry.tier, entry.label) }
        }
        return (nil, nil)
    }

    private func warnings(for planned: PlannedChange, resolution: Resolution) -> [String] {
        var warnings: [String] = []
        let key = planned.change.key
        switch planned.change.action {
        case .set:
            if let winner = planned.winnerAfter, winner != planned.target {
                let label = planned.winnerAfterLabel ?? winner.rawValue
                warnings.append("this writes \(planned.targetLabel), but the \(label) value shadows it: Airflow will keep reading \(key) from \(label).")
            }
        case .delete:
            if let winner = planned.winnerAfter {
                warnings.append("after the delete Airflow reads \(key) from \(planned.winnerAfterLabel ?? winner.rawValue).")
            } else if resolution.winner == planned.target {
                warnings.append("after the delete no tier supplies \(key): DAGs that read it will fail.")
            }
        }
        // Only ids that share the name in the tier written are changed with it.
        let writer = writers.first { $0.tier == planned.target }?.writer
        let sharing = resolution.collisions.filter { other in
            planned.name != nil && writer?.lookupName(for: SecretKey(key.kind, other)).name == planned.name
        }
        if !sharing.isEmpty {
            warnings.append("\(key) shares its stored name \(planned.name ?? "") with \(sharing.joined(separator: ", ")) in \(planned.targetLabel); the write changes those too.")
        }
        return warnings
    }

    /// Whether a placeholder is the mask of a field the tier hides (the REST API's `***`) and the
    /// edit leaves that field as it was: the writer never sends such a field, so it is kept, not
    /// overwritten with the mask.
    static func isKeptHidden(_ field: String, hidden: HiddenFields, base: TierValue?, value: EditValue) -> Bool {
        guard !hidden.isEmpty else { return false }
        switch (base, value) {
        case let (.variable(old)?, .variable(new, _)):
            return field == "value" && hidden.hides("value") && old == new
        case let (.connection(old)?, .connection(new)):
            guard field.hasPrefix("extra.") else { return false }
            return hidden.covers(.extraKey(String(field.dropFirst("extra.".count)))) && old.extra == new.extra
        default:
            return false
        }
    }

    static func entryState(_ state: ResolvedState?) -> EntryState? {
        switch state {
        case .present(let value)?: return .present(value)
        case .empty?: return .empty
        case .absent?, .skipped?, nil: return .absent
        case .unreadable(let reason)?: return .unreadable(reason: reason)
        case .loading?, .unavailable?, .notConfigured?: return nil
        }
    }
}

extension EntryState {
    /// The value held, nil unless present (an empty variable counts as "").
    public var value: TierValue? {
        if case .present(let value) = self { return value }
        return nil
    }
}
