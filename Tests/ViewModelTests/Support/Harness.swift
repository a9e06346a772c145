import Editing
import Engine
import Foundation
import TestSupport
@testable import ViewModel

/// Drives the reducer the way the terminal's run loop does: the effects that reach the world
/// go to the shipped `EffectRunner` (over `TestAppEnvironment`'s in-memory tiers), the
/// terminal's own effects (clipboard, theme, editor, quit) are recorded here. After each
/// action it waits until the runner is idle and reduces what it posted, so every step ends settled.
final class Harness {
    var state: AppState
    let environment: TestAppEnvironment
    private let runner: EffectRunner
    private let posted = PostedActions()
    private(set) var copied: [(text: String, what: String)] = []
    private(set) var themes: [String] = []
    private(set) var quitRequested = false
    /// Deployments loaded, in order, "compare:<name>" for each one a comparison loads and
    /// "copy-target:<name>" for each one `C` loads to offer its tiers.
    private(set) var loads: [String] = []
    /// What `$EDITOR` saves, given the text it was opened on (nil: the editor failed).
    var externalEditor: (String) -> String? = { $0 }
    private(set) var externalEdits: [(text: String, suffix: String)] = []
    private(set) var savedPlans: [EditPlan] = []

    init(deployments: [Deployment], factory: any TierFactory, size: Size = Size(columns: 100, rows: 30),
         initial: String? = nil, formats: ConnectionFormats = .unavailable) {
        state = AppState(deployments: deployments, initialDeployment: initial, size: size, formats: formats)
        environment = TestAppEnvironment(factory: factory)
        let posted = posted
        runner = EffectRunner(environment: environment, context: .server, post: { posted.append($0) })
    }

    /// Tiers whose results are held back, to show a tier that is still loading.
    var heldTiers: Set<TierID> {
        get { environment.heldTiers }
        set { environment.heldTiers = newValue }
    }

    /// The writers each loaded deployment gets (none: every tier unavailable).
    var writerFactory: (any TierWriterFactory)? {
        get { environment.writerFactory }
        set { environment.writerFactory = newValue }
    }

    var backendInfo: @Sendable (Deployment) -> BackendPaneInfo {
        get { environment.backendInfo }
        set { environment.backendInfo = newValue }
    }

    /// The operations log saves are recorded in.
    var operationLog: OperationLog { environment.operationLog }

    var frame: Frame { AppView.render(state) }

    func start() async {
        perform(AppReducer.start(&state))
        await settle()
    }

    func send(_ action: AppAction) async {
        reduce(action)
        await settle()
    }

    func press(_ keys: Key...) async {
        for key in keys { await send(.keyPressed(key)) }
    }

    func type(_ text: String) async {
        for character in text { await send(.keyPressed(.char(character))) }
    }

    /// Waits for the runner and reduces what it posted, until nothing more comes. Depth
    /// first, as a runner that is never slower than the terminal would deliver them: what an
    /// action's effects post is reduced before the actions queued after it, so no resolve is
    /// ever coalesced away and every run gives the same frames.
    private func settle() async {
        await runner.waitUntilIdle()
        var queue = posted.drain()
        while !queue.isEmpty {
            reduce(queue.removeFirst())
            await runner.waitUntilIdle()
            queue = posted.drain() + queue
        }
    }

    private func reduce(_ action: AppAction) {
        perform(AppReducer.reduce(&state, action))
    }

    private func perform(_ effects: [AppEffect]) {
        for effect in effects {
            switch effect {
            case .loadDeployment(let deployment, _):
                loads.append(deployment.name)
            case .loadComparison(let deployments, _):
                loads.append(contentsOf: deployments.map { "compare:" + $0.name })
            case .applyEdits(let plan, _):
                savedPlans.append(plan)
            case .loadCopyTargets(let deployments, _):
                loads.append(contentsOf: deployments.map { "copy-target:" + $0.name })
            default:
                break
            }
            if runner.submit(effect) { continue }
            switch effect {
            case .copyToClipboard(let text, let what):
                copied.append((text, what))
            case .applyTheme(let name):
                themes.append(name)
                let known = BuiltinThemes.theme(named: name) != nil
                reduce(.themeApplied(name: name, problem: known ? nil : "no theme named '\(name)'"))
            case .editExternally(let text, let suffix):
                externalEdits.append((text, suffix))
                let result = externalEditor(text)
                reduce(.externalEditFinished(text: result, problem: result == nil ? "the editor exited with status 1; nothing read back" : nil))
            case .quit:
                quitRequested = true
            case .loadDeployment, .resolve, .loadComparison, .applyEdits, .testConnection, .loadCopyTargets, .applyCopy:
                break   // the runner's
            }
        }
    }
}

/// What the runner posted, waiting for the harness to reduce it.
///
/// `@unchecked Sendable`: its list is only read or written under its lock.
final class PostedActions: @unchecked Sendable {
    private let lock = NSLock()
    private var actions: [AppAction] = []

    func append(_ action: AppAction) { lock.withLock { actions.append(action) } }

    var isEmpty: Bool { lock.withLock { actions.isEmpty } }

    func drain() -> [AppAction] {
        lock.withLock {
            defer { actions.removeAll() }
            return actions
        }
    }
}
