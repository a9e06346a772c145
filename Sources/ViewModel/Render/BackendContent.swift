import Engine

/// The Active backend pane's title and lines: class, naming scheme, kwargs, auth and status.
enum BackendContent {
    static func title(_ state: AppState) -> String {
        guard let backend = state.backend else { return "Backend" }
        return "Backend: " + InertText.make(backend.friendlyName)
    }

    static func lines(_ state: AppState) -> [StyledLine] {
        guard let info = state.backend else {
            return [StyledLine("reading the deployment's configuration…", .loading)]
        }
        var lines: [StyledLine] = []
        lines.append(status(state))
        if let className = info.className {
            lines.append(.field("class", InertText.make(className), .value, labelWidth: 8))
        }
        if !info.namingScheme.isEmpty {
            lines.append(.field("names", info.namingScheme.map(InertText.make).joined(separator: "   "), .value, labelWidth: 8))
        }
        if let auth = info.auth {
            lines.append(.field("auth", InertText.make(auth), .value, labelWidth: 8))
        }
        for (index, kwarg) in info.kwargs.enumerated() {
            lines.append(.field(index == 0 ? "kwargs" : "", InertText.make(kwarg),
                                kwarg.contains("***") || kwarg.contains(Masked.placeholder) ? .masked : .value,
                                labelWidth: 8))
        }
        for warning in info.warnings {
            lines.append(.field("note", InertText.make(warning), .warning, labelWidth: 8))
        }
        return lines
    }

    /// "ok · 42 ms · 118 entries", "loading…", or the error and what to do.
    static func status(_ state: AppState) -> StyledLine {
        guard let deployment = state.deploymentState else {
            return .field("status", "starting…", .loading, labelWidth: 8)
        }
        let tier: TierID = deployment.chain.first ?? .backend
        switch deployment.tiers[tier] {
        case .loaded(let loaded)?:
            var line = StyledLine.field("status", "ok", .ok, labelWidth: 8)
            line.add(" · \(milliseconds(loaded.latency)) · \(loaded.snapshot.records.count) entries", .muted)
            if !loaded.snapshot.warnings.isEmpty {
                line.add(" · \(loaded.snapshot.warnings.count) warning(s)", .warning)
            }
            return line
        case .loading?:
            return .field("status", "loading… (the other tiers are shown as they arrive)", .loading, labelWidth: 8)
        case .failed(let reason)?:
            return .field("status", "error: " + InertText.make(reason) + " — fix it, then press R", .error, labelWidth: 8)
        case .unavailable(let reason)?:
            return .field("status", InertText.make(reason), .muted, labelWidth: 8)
        case nil:
            return .field("status", "not configured", .muted, labelWidth: 8)
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return ms < 10 ? String(format1: ms) + " ms" : "\(Int(ms.rounded())) ms"
    }
}

extension String {
    /// One decimal place, without Foundation.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
