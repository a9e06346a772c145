import Engine

/// The comparison overlay (`c`, `:compare`): tiers of the current deployment side by side, or
/// several deployments' effective values, with an optional field-level view of one row.
public struct CompareView: Sendable, Equatable {
    /// What is compared.
    public enum Content: Sendable, Equatable {
        case tiers(TierMatrix)
        case deployments(DeploymentComparison)
        /// Deployments still loading, by name.
        case loadingDeployments([String])
    }

    /// The rows before filtering; `shown` is recomputed from it whenever the filter changes.
    public private(set) var content: Content
    public private(set) var filter: TierMatrix.Filter = .all
    /// The keys of the rows that pass the filter, in display order.
    public private(set) var shownKeys: [SecretKey] = []
    public var cursor = 0
    public var scroll = 0
    /// The key whose fields are listed (Enter on a row); nil shows the whole comparison.
    public var fieldsKey: SecretKey?
    public var fieldScroll = 0
    /// Whether secret fields show their values instead of fingerprints (`x` in the field view).
    public var revealed = false
    /// Identifies the `:compare` request whose results this view waits for.
    public var request = 0

    public init(_ content: Content, filter: TierMatrix.Filter = .all) {
        self.content = content
        setFilter(filter)
    }

    /// Replaces the rows (a tier reloaded), keeping the filter and the cursor's key.
    public mutating func replace(_ content: Content) {
        let key = selectedKey
        self.content = content
        setFilter(filter, keeping: key)
    }

    public mutating func setFilter(_ filter: TierMatrix.Filter, keeping key: SecretKey? = nil) {
        self.filter = filter
        switch content {
        case .tiers(let matrix):
            shownKeys = matrix.filtered(filter).rows.map(\.key)
        case .deployments(let comparison):
            shownKeys = comparison.rows.filter { row in
                switch filter {
                case .all: return true
                case .shadowed, .differing: return row.cells.contains { $0.state == .differs }
                case .problems: return row.cells.contains { $0.state == .missing }
                }
            }.map(\.key)
        case .loadingDeployments:
            shownKeys = []
        }
        cursor = key.flatMap { shownKeys.firstIndex(of: $0) } ?? 0
        scroll = 0
        if let fieldsKey, !shownKeys.contains(fieldsKey) { self.fieldsKey = nil }
    }

    public var selectedKey: SecretKey? {
        shownKeys.indices.contains(cursor) ? shownKeys[cursor] : nil
    }

    /// How many rows there are before filtering.
    public var totalRows: Int {
        switch content {
        case .tiers(let matrix): return matrix.rows.count
        case .deployments(let comparison): return comparison.rows.count
        case .loadingDeployments: return 0
        }
    }

    /// The tier-matrix row of `key`, when comparing tiers.
    public func tierRow(_ key: SecretKey) -> TierMatrix.Row? {
        guard case .tiers(let matrix) = content else { return nil }
        return matrix.rows.first { $0.key == key }
    }

    /// The deployment-comparison row of `key`, when comparing deployments.
    public func deploymentRow(_ key: SecretKey) -> DeploymentComparison.Row? {
        guard case .deployments(let comparison) = content else { return nil }
        return comparison.rows.first { $0.key == key }
    }

    /// The values compared in the field view of `key`: a labelled column per tier or deployment
    /// that holds a value.
    func fieldColumns(_ key: SecretKey) -> [FieldComparison.Column] {
        if let row = tierRow(key) {
            return row.cells.compactMap { cell in
                cell.value.map { FieldComparison.Column(label: cell.tier.shortName, role: cell.tier.role, value: $0) }
            }
        }
        if let row = deploymentRow(key) {
            return row.cells.compactMap { cell in
                cell.value.map { FieldComparison.Column(label: InertText.make(cell.deployment), role: .label, value: $0) }
            }
        }
        return []
    }
}
