import Engine

extension AppReducer {
    /// `:compare a b [c…]`: loads those deployments and compares their effective values.
    static func compareDeployments(_ state: inout AppState, names: [String]) -> [AppEffect] {
        var indices: [Int] = []
        for name in names {
            let exact = state.deployments.indices.filter { state.deployments[$0].name == name }
            let prefixed = state.deployments.indices.filter { state.deployments[$0].name.lowercased().hasPrefix(name.lowercased()) }
            guard let index = exact.first ?? (prefixed.count == 1 ? prefixed.first : nil) else {
                let known = state.deployments.map { InertText.make($0.name) }.joined(separator: ", ")
                show(&state, "no deployment '\(InertText.make(name))' to compare; this workspace has \(known)", .error)
                return []
            }
            if !indices.contains(index) { indices.append(index) }
        }
        return compareDeployments(&state, indices: indices)
    }

    static func compareDeployments(_ state: inout AppState, indices: [Int]) -> [AppEffect] {
        guard indices.count >= 2 else {
            show(&state, "name two or more deployments: :compare NAME NAME…, or mark them with Space in Deployments", .warning)
            return []
        }
        let deployments = indices.map { state.deployments[$0] }
        state.compareRequest += 1
        var view = CompareView(.loadingDeployments(deployments.map(\.name)))
        view.request = state.compareRequest
        state.compare = view
        state.markedDeployments = []
        return [.loadComparison(deployments, request: state.compareRequest)]
    }

    /// The deployments of a `:compare` arrived; ignored when the view was closed or replaced.
    static func comparisonLoaded(_ state: inout AppState, request: Int, results: [DeploymentResolutions]) {
        guard state.mode == .compare, var view = state.compare, view.request == request,
              case .loadingDeployments = view.content else { return }
        view.replace(.deployments(DeploymentComparison(results.map { (name: $0.name, resolutions: $0.resolutions) })))
        state.compare = view
        let failures = results.flatMap { result in result.failures.map { InertText.make(result.name) + " " + InertText.make($0) } }
        if !failures.isEmpty {
            show(&state, "partial comparison: " + failures.joined(separator: "; "), .warning)
        }
        clampCompare(&state)
    }

    /// Space: in the Deployments pane marks or unmarks the deployment under the cursor; in the
    /// list or the detail, the selected entry.
    static func toggleMark(_ state: inout AppState) {
        if state.focus == .list || state.focus == .detail {
            toggleEntryMark(&state)
            return
        }
        guard state.focus == .deployments, state.deployments.indices.contains(state.deploymentCursor) else {
            return
        }
        if state.markedDeployments.contains(state.deploymentCursor) {
            state.markedDeployments.remove(state.deploymentCursor)
        } else {
            state.markedDeployments.insert(state.deploymentCursor)
        }
        let count = state.markedDeployments.count
        show(&state, "\(count) deployment\(count == 1 ? "" : "s") marked · c compares them with \(count == 1 ? "the active one" : "each other")", .info)
    }

    /// `c`: compares marked deployments when the Deployments pane has marks, else the tiers.
    static func openComparison(_ state: inout AppState) -> [AppEffect] {
        if state.focus == .deployments, !state.markedDeployments.isEmpty {
            var indices = state.markedDeployments.sorted()
            if indices.count == 1, indices[0] != state.activeDeployment { indices.insert(state.activeDeployment, at: 0) }
            return compareDeployments(&state, indices: indices)
        }
        return openTierComparison(&state)
    }
}
