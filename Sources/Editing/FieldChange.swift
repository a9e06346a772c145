import Engine
import PythonCompat
/// One field a change alters, with its old and new text. Secret fields are shown masked.
public struct FieldChange: Sendable, Hashable {
    public var field: ValueField
    /// The text before and after; nil when the field is unset (or the key absent).
    public var before: String?
    public var after: String?

    public init(field: ValueField, before: String?, after: String?) {
        self.field = field
        self.before = before
        self.after = after
    }

    /// Whether the field is compared and shown without its value.
    public var isSecret: Bool { field.isSecret }

    /// The old text for display: masked when secret, `(unset)` when missing.
    public func displayedBefore(mask: String) -> String { Self.display(before, secret: isSecret, mask: mask) }
    /// The new text for display: masked when secret, `(unset)` when missing.
    public func displayedAfter(mask: String) -> String { Self.display(after, secret: isSecret, mask: mask) }

    static func display(_ text: String?, secret: Bool, mask: String) -> String {
        guard let text else { return "(unset)" }
        if text.isEmpty { return "(empty)" }
        return secret ? mask : text
    }
}

extension FieldChange {
    /// The fields that differ between `old` (nil: absent) and `new` (nil: deleted).
    public static func changes(from old: TierValue?, to new: TierValue?) -> [FieldChange] {
        switch (old, new) {
        case (nil, nil):
            return []
        case let (old?, new?):
            return new.differingFields(from: old).map { field in
                FieldChange(field: field, before: old.text(of: field), after: new.text(of: field))
            }
        case let (old?, nil):
            return old.presentFields.map { FieldChange(field: $0, before: old.text(of: $0), after: nil) }
        case let (nil, new?):
            return new.presentFields.map { FieldChange(field: $0, before: nil, after: new.text(of: $0)) }
        }
    }
}

extension TierValue {
    /// The text of one field, nil when unset.
    func text(of field: ValueField) -> String? {
        switch self {
        case .variable(let text):
            return field == .value ? text : nil
        case .connection(let c):
            switch field {
            case .value: return nil
            case .connType: return c.connType
            case .host: return c.host
            case .login: return c.login
            case .password: return c.password
            case .schema: return c.schema
            case .port: return c.verbatim["port"].map { $0.pythonDumps() } ?? c.port.map(String.init)
            case .extra: return c.extra
            case .extraKey(let key): return ExtraDocument.members(c.extra)?[key].map { $0.pythonDumps() }
            }
        }
    }

    /// The fields this value sets.
    var presentFields: [ValueField] {
        switch self {
        case .variable: return [.value]
        case .connection(let c):
            var fields: [ValueField] = []
            if c.connType != nil { fields.append(.connType) }
            if c.host != nil { fields.append(.host) }
            if c.login != nil { fields.append(.login) }
            if c.password != nil { fields.append(.password) }
            if c.schema != nil { fields.append(.schema) }
            if c.port != nil || c.verbatim["port"] != nil { fields.append(.port) }
            if let extra = c.extra {
                if let members = ExtraDocument.members(extra) {
                    fields += members.keys.map { .extraKey($0) }
                } else {
                    fields.append(.extra)
                }
            }
            return fields
        }
    }
}
