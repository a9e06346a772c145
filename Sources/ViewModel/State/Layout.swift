/// Where each pane goes for a screen size. Shared by the reducer (paging) and the renderer.
public struct Layout: Sendable, Equatable {
    public static let minimum = Size(columns: 60, rows: 14)

    public var deployments: Rect
    public var backend: Rect
    public var list: Rect
    public var detail: Rect
    public var status: Rect

    /// nil when the screen is below `minimum`.
    public init?(_ size: Size) {
        guard size.columns >= Self.minimum.columns, size.rows >= Self.minimum.rows else { return nil }
        let topHeight = size.rows >= 30 ? 8 : 6
        let deploymentsWidth = min(28, max(20, size.columns / 5))
        deployments = Rect(x: 0, y: 0, width: deploymentsWidth, height: topHeight)
        backend = Rect(x: deploymentsWidth, y: 0, width: size.columns - deploymentsWidth, height: topHeight)
        let bottomHeight = size.rows - 1 - topHeight
        let listWidth = max(34, size.columns * 11 / 20)
        list = Rect(x: 0, y: topHeight, width: listWidth, height: bottomHeight)
        detail = Rect(x: listWidth, y: topHeight, width: size.columns - listWidth, height: bottomHeight)
        status = Rect(x: 0, y: size.rows - 1, width: size.columns, height: 1)
    }

    /// The rows of list entries that fit.
    public var listRows: Int { max(1, list.height - 2) }
    public var detailRows: Int { max(1, detail.height - 2) }
}
