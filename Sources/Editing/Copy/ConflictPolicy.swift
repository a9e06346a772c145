/// What a copy does with a key the target already holds with a different value.
public enum ConflictPolicy: String, Sendable, Hashable, CaseIterable {
    /// Write nothing at all while any target key differs (the default: a copy never silently
    /// replaces a value).
    case fail
    /// Leave differing keys as they are and copy the rest.
    case skip
    /// Replace differing keys.
    case overwrite
}
