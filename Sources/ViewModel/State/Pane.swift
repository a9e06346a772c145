/// The four panes, numbered as the 1–4 keys focus them.
public enum Pane: Int, Sendable, Hashable, CaseIterable {
    case deployments = 1
    case backend = 2
    case list = 3
    case detail = 4

    public var title: String {
        switch self {
        case .deployments: return "Deployments"
        case .backend: return "Backend"
        case .list: return "Variables & connections"
        case .detail: return "Detail"
        }
    }
}
