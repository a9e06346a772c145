import Editing
import Engine

/// The editor overlay (`e`, `n`, `:new`): one variable or connection, the tier it will be
/// written to, and the field being typed.
public struct EditorState: Sendable, Equatable {
    /// A row of the form.
    public enum Row: Sendable, Hashable {
        case target
        case uri
        case json
        case field(ConnectionField)
        case value
        case description
    }

    /// The value being edited.
    public enum Value: Sendable, Hashable {
        case connection(ConnectionDraft)
        case variable(VariableDraft)
    }

    public var key: SecretKey
    /// A key no tier holds yet.
    public var isNew: Bool
    public var value: Value
    /// The tier the change will be written to.
    public var target: TierID?
    /// How a connection is stored there.
    public var form: ConnectionForm = .uri
    /// Index into `rows`.
    public var focus = 0
    /// The focused row's text while it is being typed.
    public var typing: TextField?
    /// The value before typing began; Esc goes back to it.
    var typingBase: Value?
    /// The typed field started empty because its value was masked: empty keeps the stored value.
    var typingStartedMasked = false
    /// Airflow's message about what is being typed, shown under the row.
    public var error: String?
    public var revealed = false
    /// The tier picker's cursor while it is open.
    public var picker: Int?
    /// Whether the user changed anything since the editor opened or the target changed.
    public var dirty = false
    /// Where the form's value came from ("env", "the winner (backend)", "new").
    public var startedFrom: String
    /// The Airflow version and process, for the dialect per tier.
    var version: AirflowVersion
    var context: LookupContext
    var hasWorkersBackend: Bool

    init(key: SecretKey, isNew: Bool, value: Value, target: TierID?, startedFrom: String,
         version: AirflowVersion, context: LookupContext, hasWorkersBackend: Bool) {
        self.key = key
        self.isNew = isNew
        self.value = value
        self.target = target
        self.startedFrom = startedFrom
        self.version = version
        self.context = context
        self.hasWorkersBackend = hasWorkersBackend
        if case .connection = value, let row = rows.firstIndex(of: .uri) { focus = row }
        if case .variable = value, let row = rows.firstIndex(of: .value) { focus = row }
    }

    /// The rows in order.
    public var rows: [Row] {
        switch value {
        case .connection:
            return [.target, .uri, .json] + ConnectionField.allCases.map(Row.field)
        case .variable:
            return [.target, .value, .description]
        }
    }

    public var focusedRow: Row { rows[max(0, min(focus, rows.count - 1))] }

    /// The parser Airflow uses for connections read from `tier` (`ConnectionDialect.reading`).
    public static func dialect(version: AirflowVersion, context: LookupContext, tier: TierID?, hasWorkersBackend: Bool) -> ConnectionDialect {
        .reading(tier, version: version, context: context, hasWorkersBackend: hasWorkersBackend)
    }

    var dialect: ConnectionDialect {
        Self.dialect(version: version, context: context, tier: target, hasWorkersBackend: hasWorkersBackend)
    }

    public var connection: ConnectionDraft? {
        if case .connection(let draft) = value { return draft }
        return nil
    }

    public var variable: VariableDraft? {
        if case .variable(let draft) = value { return draft }
        return nil
    }

    /// What stops the value from being staged, if anything.
    public var blockingProblem: String? {
        if let error, typing != nil { return error }
        switch value {
        case .connection(let draft):
            if let problem = draft.problem { return problem.description }
        case .variable:
            break
        }
        return nil
    }

    /// The value a tier change would store.
    public func editValue(keepsDescriptions: Bool) -> EditValue {
        switch value {
        case .connection(let draft):
            return .connection(draft.connection)
        case .variable(let draft):
            return .variable(draft.text, description: keepsDescriptions ? draft.description : nil)
        }
    }
}
