import Engine

/// A deployment's `[core] fernet_key`, as Airflow would read it from the environment.
public struct FernetSetting: Sendable {
    public enum State: Sendable {
        /// Empty or unset: Airflow's null fernet.
        case none
        case keys(FernetKeyRing)
        /// Given as `_CMD` / `_SECRET`, which Strata does not run or fetch.
        case indirect(variable: String)
        case malformed(FernetSettingError)
    }

    public var state: State
    /// Where it came from, for messages ("AIRFLOW__CORE__FERNET_KEY").
    public var source: String

    public init(state: State, source: String = "AIRFLOW__CORE__FERNET_KEY") {
        self.state = state
        self.source = source
    }

    /// `K1,K2` parsed; an empty string is no key. Throws nothing: a bad key becomes `.malformed`.
    public init(setting: String, source: String = "AIRFLOW__CORE__FERNET_KEY") {
        self.source = source
        do {
            let ring = try FernetKeyRing(setting: setting)
            state = ring.encrypts ? .keys(ring) : .none
        } catch let error as FernetSettingError {
            state = .malformed(error)
        } catch {
            state = .none
        }
    }

    /// The deployment's setting: `AIRFLOW__CORE__FERNET_KEY`, else a note that `_CMD`/`_SECRET` is used.
    public init(deployment: Deployment) {
        let name = "AIRFLOW__CORE__FERNET_KEY"
        if let value = deployment.environment[name] {
            self.init(setting: value, source: name)
        } else if deployment.environment[name + "_CMD"] != nil {
            self.init(state: .indirect(variable: name + "_CMD"), source: name + "_CMD")
        } else if deployment.environment[name + "_SECRET"] != nil {
            self.init(state: .indirect(variable: name + "_SECRET"), source: name + "_SECRET")
        } else {
            self.init(state: .none, source: name)
        }
    }

    /// The usable key ring, or nil.
    public var ring: FernetKeyRing? {
        if case .keys(let ring) = state { return ring }
        return nil
    }

    /// Why encrypted values cannot be read, or nil when keys are available.
    var unavailableReason: String? {
        switch state {
        case .keys: return nil
        case .none: return "the deployment sets no Fernet key (\(source))"
        case .indirect(let variable): return "the Fernet key is given through \(variable), which Strata does not run; set AIRFLOW__CORE__FERNET_KEY in the deployment's environment to decrypt"
        case .malformed(let error): return "\(source) is malformed: \(error)"
        }
    }

    /// A warning for the snapshot, or nil.
    var warning: String? {
        switch state {
        case .keys, .none: return nil
        case .indirect, .malformed: return unavailableReason
        }
    }
}
