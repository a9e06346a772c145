import Foundation
import Engine

/// Turns the text stored under a name into what Airflow reads from it.
enum StoredValueReading {
    /// Variables are the text itself (an empty one is still a hit); connections go through
    /// `transform` (Secrets Manager's JSON re-keying) and the connection parser of `dialect`.
    /// Errors become `unreadable`, naming the error class, never the value.
    static func state(kind: SecretKind, text: String, dialect: ConnectionDialect,
                      transform: (String) throws -> String = { $0 }) -> EntryState {
        if text.isEmpty { return .empty }
        switch kind {
        case .variable:
            return .present(.variable(text))
        case .connection:
            do {
                return .present(.connection(try Connection.parse(storedValue: try transform(text), dialect: dialect)))
            } catch let error as AirflowError {
                return .unreadable(reason: "Airflow cannot parse it (\(error.className)); the lookup raises, Airflow logs "
                    + "it and asks the next tier")
            } catch {
                return .unreadable(reason: "Airflow cannot parse it (\(type(of: error))); the lookup raises, Airflow logs "
                    + "it and asks the next tier")
            }
        }
    }

    /// A failed read of one item, with what Airflow then does.
    static func unreadable(_ error: AWSServiceError, resource: String) -> EntryState {
        switch error.kind {
        case .accessDenied:
            let action = error.deniedAction ?? "\(error.service.rawValue):\(error.operation)"
            return .unreadable(reason: "IAM denies \(action) on \(error.deniedResource ?? resource) (\(error.code)); "
                + "Airflow's lookup raises, logs it and asks the next tier")
        default:
            return .unreadable(reason: error.description + " Airflow's lookup raises, logs it and asks the next tier.")
        }
    }
}

extension Date {
    /// `ISO8601DateFormatter`'s default form (`2026-11-26T22:20:48Z`, UTC, whole seconds),
    /// written directly: creating a formatter costs more than reading a secret does, and a
    /// listing formats two dates per secret.
    var iso8601: String {
        // Foundation hands ICU whole milliseconds, and the format truncates those to seconds.
        let milliseconds = (timeIntervalSince1970 * 1000).rounded()
        var seconds = time_t((milliseconds / 1000).rounded(.down))
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return ISO8601.format(self) }
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2)
            + "T" + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "Z"
    }
}

extension Error {
    /// Any error out of the AWS tiers as a `TierError` with a clear, secret-free message.
    var asAWSTierError: TierError {
        switch self {
        case let error as TierError: return error
        case let error as AWSServiceError: return TierError(error.description)
        case let error as AWSSetupError: return TierError(error.message)
        default: return TierError("the AWS tier failed (\(type(of: self)))")
        }
    }
}
