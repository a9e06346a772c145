import Editing
import Engine

extension Error {
    /// Any failure of a cloud write as an `EditError` saying what failed and what to do;
    /// `EditError`s pass through. Cloud failure messages hold no token or value.
    func asCloudEditError(_ doing: String) -> EditError {
        switch self {
        case let error as EditError: return error
        case let failure as CloudFailure: return EditError(.failed, "\(doing) failed: \(failure.message)")
        case let error as TierError: return EditError(.failed, "\(doing) failed: \(error.message)")
        default: return EditError(.failed, "\(doing) failed (\(type(of: self))).")
        }
    }
}

extension CloudFailure {
    /// Failures that say nothing about one secret: the whole tier cannot be reached or used.
    var isTierWide: Bool {
        [.unauthenticated, .badCredentials, .clockSkew, .unavailable, .configuration, .throttled, .malformed].contains(kind)
    }
}
