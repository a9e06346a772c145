import Editing
import Engine

extension AppReducer {
    // MARK: - The picker

    /// `C`: the picker of destinations for the marked entries (or the selected one). The other
    /// deployments load in the background so their tiers can be offered.
    static func openCopyTargets(_ state: inout AppState) -> [AppEffect] {
        guard !refuseEditing(&state) else { return [] }
        if state.copySession?.isApplying == true {
            state.overlay = .copyPlan
            show(&state, "a copy is under way; C plans another once it is done", .info)
            return []
        }
        guard let deploymentState = state.deploymentState, !deploymentState.isLoading else {
            show(&state, "the deployment is still loading; C copies once every tier has answered", .info)
            return []
        }
        let keys = keysToCopy(state)
        guard !keys.isEmpty else {
            show(&state, "nothing to copy: mark entries with Space (or * for every entry shown)", .info)
            return []
        }
        let others = state.deployments.indices.filter { $0 != state.activeDeployment && !state.deployments[$0].readOnly }
            .map { state.deployments[$0] }
        // Worked out once here, not at each frame: a picker may be opened on thousands of keys.
        let winners = Set(keys.map { deploymentState.resolve($0).winner })
        state.copyRequest += 1
        state.copyPicker = CopyTargetPicker(keys: keys, ownTier: winners.count == 1 ? winners.first ?? nil : nil,
                                            request: state.copyRequest, loading: others.map(\.name))
        return others.isEmpty ? [] : [.loadCopyTargets(others, request: state.copyRequest)]
    }

    /// Another deployment arrived: its tiers join the picker, after those already there.
    static func copyTargetLoaded(_ state: inout AppState, request: Int, target: CopyTargetDeployment) {
        guard var picker = state.copyPicker, picker.request == request else { return }
        picker.loading.removeAll { $0 == target.name }
        picker.loaded.append(target)
        state.copyPicker = picker
    }

    /// What the picker offers, in order: the active deployment's tiers (but the one every key
    /// is read from now), then each other deployment's, loaded ones only.
    public static func copyDestinations(_ state: AppState) -> [CopyDestination] {
        guard let picker = state.copyPicker, let source = state.deploymentState else { return [] }
        var out: [CopyDestination] = []
        for slot in writerSlots(state) where slot.tier != picker.ownTier {
            out.append(destination(slot, in: source, active: true))
        }
        for deployment in state.deployments {
            guard let target = picker.loaded.first(where: { $0.name == deployment.name }) else { continue }
            for tier in target.state.chain {
                let slot = target.writers.first { $0.tier == tier }
                    ?? TierWriterSlot(unavailable: target.state.descriptors[tier] ?? TierDescriptor(tier: tier, label: tier.rawValue),
                                      reason: "Strata cannot write it")
                out.append(destination(slot, in: target.state, active: false))
            }
        }
        return out
    }

    private static func destination(_ slot: TierWriterSlot, in state: DeploymentState, active: Bool) -> CopyDestination {
        var reason: String?
        if state.deployment.readOnly {
            reason = "read-only deployment"
        } else if slot.writer == nil {
            reason = slot.unavailableReason ?? "Strata cannot write it"
        } else {
            switch state.tiers[slot.tier] {
            case .failed(let why)?, .unavailable(let why)?:
                reason = "could not be read (\(why)), so Strata cannot check what it holds"
            default: break
            }
        }
        return CopyDestination(deployment: state.deployment.name, tier: slot.tier, label: slot.descriptor.label,
                               isActiveDeployment: active, unavailable: reason.map(InertText.make))
    }

    static func handleCopyTargets(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let command = CopyKeys.picker.command(for: key), var picker = state.copyPicker else { return [] }
        let count = copyDestinations(state).count
        switch command {
        case .quit: return requestQuit(&state)
        case .close:
            state.overlay = .none
            return []
        case .down: picker.cursor = min(max(0, count - 1), picker.cursor + 1)
        case .up: picker.cursor = max(0, picker.cursor - 1)
        case .top: picker.cursor = 0
        case .bottom: picker.cursor = max(0, count - 1)
        case .choose: return chooseCopyTarget(&state)
        }
        state.copyPicker = picker
        return []
    }

    /// Enter in the picker: plans the copy into the destination under the cursor.
    static func chooseCopyTarget(_ state: inout AppState) -> [AppEffect] {
        guard let picker = state.copyPicker, let source = state.deploymentState,
              let sourceName = state.activeDeploymentValue?.name else { return [] }
        let destinations = copyDestinations(state)
        guard destinations.indices.contains(picker.cursor) else {
            show(&state, picker.loading.isEmpty ? "no tier to copy into" : "the other deployments are still loading", .info)
            return []
        }
        let destination = destinations[picker.cursor]
        if let reason = destination.unavailable {
            show(&state, "cannot copy into \(InertText.make(destination.address)): \(reason)", .error)
            return []
        }
        let target = destination.isActiveDeployment ? CopyTargetDeployment(state: source, writers: state.writers)
            : picker.loaded.first { $0.name == destination.deployment }
        guard let target else { return [] }
        let wanted = Set(picker.keys)
        let resolved = CopyItems.resolved(from: source)
        let items = CopyItems(items: resolved.items.filter { wanted.contains($0.key) },
                              problems: resolved.problems.filter { wanted.contains($0.key) })
        let offered = Set(items.items.map(\.key) + items.problems.map(\.key))
        let sourceLabel = "the values \(sourceName) resolves (each from its winning tier)"
        let planner = CopyPlanner(target: target.state, targetWriters: target.writers, targetTier: destination.tier,
                                  globalReadOnly: state.readOnly)
        var session = CopySession(items: items, sourceDeployment: sourceName, sourceLabel: sourceLabel, target: target,
                                  targetTier: destination.tier,
                                  plan: planner.plan(items, sourceLabel: sourceLabel, policy: .fail, move: false))
        session.missing = picker.keys.filter { !offered.contains($0) }
        state.copySession = session
        state.overlay = .copyPlan
        return []
    }

    // MARK: - The plan

    static func copyPlanner(_ session: CopySession, readOnly: Bool) -> CopyPlanner {
        CopyPlanner(target: session.target.state, targetWriters: session.target.writers, targetTier: session.targetTier,
                    globalReadOnly: readOnly)
    }

    /// Plans the session again: against the target as last read, with its policy.
    static func replanCopy(_ session: inout CopySession, readOnly: Bool) {
        session.plan = copyPlanner(session, readOnly: readOnly)
            .plan(session.items, sourceLabel: session.sourceLabel, policy: session.policy, move: false)
        session.outcomes = nil
        session.progress = nil
    }

    static func handleCopyPlan(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let command = CopyKeys.plan.command(for: key), var session = state.copySession else { return [] }
        switch command {
        case .quit: return requestQuit(&state)
        case .close:
            state.overlay = .none
            if session.isApplying { show(&state, "the copy goes on; C shows its progress", .info) }
            return []
        case .down: session.scroll += 1
        case .up: session.scroll = max(0, session.scroll - 1)
        case .top: session.scroll = 0
        case .bottom: session.scroll = Int.max / 4
        case .policy:
            guard !session.isApplying else {
                show(&state, "a copy is under way; the policy can change once it is done", .info)
                return []
            }
            let all = ConflictPolicy.allCases
            session.policy = all[((all.firstIndex(of: session.policy) ?? 0) + 1) % all.count]
            replanCopy(&session, readOnly: state.readOnly)
            show(&state, "on conflict: \(session.policy.rawValue) — " + policyMeaning(session.policy), .info)
        case .apply:
            return applyCopy(&state)
        }
        state.copySession = session
        return []
    }

    static func policyMeaning(_ policy: ConflictPolicy) -> String {
        switch policy {
        case .fail: "nothing is written while any key differs in the target"
        case .skip: "keys that differ in the target are left as they are"
        case .overwrite: "keys that differ in the target are replaced"
        }
    }

    /// `s` in the plan: applies it; once applied, plans again against the target as read after the copy.
    static func applyCopy(_ state: inout AppState) -> [AppEffect] {
        guard var session = state.copySession else { return [] }
        guard !session.isApplying else {
            show(&state, "a copy is already under way", .info)
            return []
        }
        guard !refuseEditing(&state) else { return [] }
        if session.outcomes != nil {
            replanCopy(&session, readOnly: state.readOnly)
            state.copySession = session
            show(&state, "planned again against \(InertText.make(session.target.name)) as read after the copy; s applies", .info)
            return []
        }
        let plan = session.plan
        if plan.isBlocked {
            show(&state, "nothing is written: \(plan.count("conflict")) key(s) differ in the target; o sets the policy to skip or overwrite", .warning)
            return []
        }
        let work = session.work.count
        guard work > 0 else {
            show(&state, "nothing to write: every key is unchanged, skipped or refused", .warning)
            return []
        }
        state.copyRequest += 1
        session.request = state.copyRequest
        session.isApplying = true
        session.progress = (0, work)
        state.copySession = session
        show(&state, "copying \(work) key\(work == 1 ? "" : "s") to \(InertText.make(plan.targetLabel))…", .info)
        return [.applyCopy(plan, planner: copyPlanner(session, readOnly: state.readOnly),
                           deployment: session.target.state.deployment, request: session.request)]
    }

    /// A copy finished: its results shown, the target (when it is the deployment browsed) reloaded.
    static func copyApplied(_ state: inout AppState, request: Int, outcomes: [CopyOutcome], reloaded: DeploymentState,
                            deployments: [Deployment]?) -> [AppEffect] {
        guard var session = state.copySession, session.request == request else { return [] }
        session.isApplying = false
        session.outcomes = outcomes
        session.target.state = reloaded
        state.copySession = session
        if let deployments, deployments.map(\.name) == state.deployments.map(\.name) {
            state.deployments = deployments
        }
        let tally = CopyTally(outcomes)
        var effects: [AppEffect] = []
        if tally.written > 0, session.target.name == state.activeDeploymentValue?.name {
            state.pendingSelection = state.selectedEntry?.key
            effects = activate(&state, index: state.activeDeployment)
        }
        let text = "copied to \(InertText.make(session.plan.targetLabel)): " + tally.summary + " · @ shows the operations log"
        show(&state, text, tally.failed + tally.unverified > 0 ? .error : .info)
        return effects
    }
}

/// How many keys of an applied copy were written, already held, failed, or not found as planned
/// when the target was read again.
struct CopyTally: Equatable {
    var written = 0, unchanged = 0, failed = 0, unverified = 0

    init(_ outcomes: [CopyOutcome]) {
        for outcome in outcomes {
            if outcome.error != nil {
                failed += 1
            } else if outcome.verificationProblem != nil {
                unverified += 1
            } else if outcome.receipt != nil {
                written += 1
            } else if outcome.step.action == .unchanged {
                unchanged += 1
            }
        }
    }

    var summary: String { "\(written) written, \(unchanged) unchanged, \(failed) failed, \(unverified) unverified" }
}
