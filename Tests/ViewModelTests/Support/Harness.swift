import Engine
import TestSupport
@testable import ViewModel

/// Drives the reducer the way the terminal's run loop does, performing its effects in-process
/// against in-memory tier sources, deterministically (tiers arrive in lookup order).
final class Harness {
    var state: AppState
    let factory: any TierFactory
    /// Tiers whose results are held back, to show a tier that is still loading.
    var heldTiers: Set<TierID> = []
    private(set) var copied: [(text: String, what: String)] = []
    private(set) var themes: [String] = []
    private(set) var quitRequested = false
    private(set) var loads: [String] = []
    var backendInfo: (Deployment) -> BackendPaneInfo = { _ in .none }
    /// The writers each loaded deployment gets (none: every tier unavailable).
    var writerFactory: (any TierWriterFactory)?
    /// What `$EDITOR` saves, given the text it was opened on (nil: the editor failed).
    var externalEditor: (String) -> String? = { $0 }
    private(set) var externalEdits: [(text: String, suffix: String)] = []
    /// The operations log saves are recorded in.
    let operationLog = OperationLog()
    private(set) var savedPlans: [EditPlan] = []

    init(deployments: [Deployment], factory: any TierFactory, size: Size = Size(columns: 100, rows: 30),
         initial: String? = nil, formats: ConnectionFormats = .unavailable) {
        state = AppState(deployments: deployments, initialDeployment: initial, size: size, formats: formats)
        self.factory = factory
    }

    var frame: Frame { AppView.render(state) }

    func start() async {
        await perform(AppReducer.start(&state))
    }

    func send(_ action: AppAction) async {
        await perform(AppReducer.reduce(&state, action))
    }

    func press(_ keys: Key...) async {
        for key in keys { await send(.keyPressed(key)) }
    }

    func type(_ text: String) async {
        for character in text { await send(.keyPressed(.char(character))) }
    }

    private func perform(_ effects: [AppEffect]) async {
        for effect in effects {
            switch effect {
            case .loadDeployment(let deployment, let generation):
                // Loads the sources directly rather than through the loader, so that latencies
                // are fixed and frames are the same on every run.
                loads.append(deployment.name)
                let slots = factory.makeTiers(for: deployment, context: .server)
                let initial = DeploymentState(deployment: deployment, context: .server, slots: slots)
                await send(.deploymentStarted(generation: generation, state: initial, backend: backendInfo(deployment)))
                if let writerFactory {
                    await send(.writersReady(generation: generation, slots: writerFactory.makeWriters(for: deployment, context: .server)))
                }
                for tier in initial.chain where !heldTiers.contains(tier) {
                    guard let source = slots.first(where: { $0.tier == tier })?.source else { continue }
                    let result: TierLoadState
                    do {
                        result = .loaded(LoadedTier(source: source, snapshot: try await source.load(), latency: .milliseconds(42)))
                    } catch {
                        result = .failed(reason: (error as? TierError)?.message ?? "\(error)")
                    }
                    await send(.tierLoaded(generation: generation, tier: tier, state: result))
                }
            case .resolve(let deploymentState, let generation, let sequence):
                await send(.resolved(generation: generation, sequence: sequence, entries: deploymentState.resolveAll().map(Entry.init)))
            case .copyToClipboard(let text, let what):
                copied.append((text, what))
            case .applyTheme(let name):
                themes.append(name)
                let known = BuiltinThemes.theme(named: name) != nil
                await send(.themeApplied(name: name, problem: known ? nil : "no theme named '\(name)'"))
            case .loadComparison(let deployments, let request):
                loads.append(contentsOf: deployments.map { "compare:" + $0.name })
                var results: [DeploymentResolutions] = []
                for deployment in deployments {
                    let slots = factory.makeTiers(for: deployment, context: .server)
                    var loaded = DeploymentState(deployment: deployment, context: .server, slots: slots)
                    for tier in loaded.chain {
                        guard let source = slots.first(where: { $0.tier == tier })?.source else { continue }
                        do {
                            loaded.tiers[tier] = .loaded(LoadedTier(source: source, snapshot: try await source.load(), latency: .milliseconds(42)))
                        } catch {
                            loaded.tiers[tier] = .failed(reason: (error as? TierError)?.message ?? "\(error)")
                        }
                    }
                    results.append(DeploymentResolutions(loaded))
                }
                await send(.comparisonLoaded(request: request, results: results))
            case .applyEdits(let plan, let writers):
                // What the terminal's effect runner does: the executor, then the workspace read again.
                savedPlans.append(plan)
                let outcomes = await EditExecutor(writers: writers, log: operationLog).apply(plan)
                await send(.operationsUpdated(operationLog.entries))
                await send(.editsApplied(outcomes: outcomes, deployments: state.deployments))
            case .editExternally(let text, let suffix):
                externalEdits.append((text, suffix))
                let result = externalEditor(text)
                await send(.externalEditFinished(text: result, problem: result == nil ? "the editor exited with status 1; nothing read back" : nil))
            case .quit:
                quitRequested = true
            }
        }
    }
}
