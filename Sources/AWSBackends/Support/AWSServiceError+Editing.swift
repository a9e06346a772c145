import Editing
import Engine

extension Error {
    /// Any failure of an AWS write as an `EditError` that says what failed and what to do;
    /// `EditError`s pass through. Service messages are already cleaned of secrets.
    func asAWSEditError(_ doing: String) -> EditError {
        switch self {
        case let error as EditError: return error
        case let error as AWSServiceError: return EditError(.failed, "\(doing) failed: \(error.description)")
        case let error as TierError: return EditError(.failed, "\(doing) failed: \(error.message)")
        case let error as AWSSetupError: return EditError(.failed, "\(doing) failed: \(error.message)")
        default: return EditError(.failed, "\(doing) failed (\(type(of: self))).")
        }
    }
}
