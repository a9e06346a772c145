import Foundation
import PythonCompat
import Engine

/// The Parameter Store operations the guarded editor adds: creating only when absent, and deleting.
extension ParameterStoreAPI {
    /// Writes a parameter; with `overwrite` false, Parameter Store refuses
    /// (`ParameterAlreadyExists`) when the name exists. Returns the new version.
    func putParameter(_ name: String, value: String, type: String, keyID: String?, overwrite: Bool) async throws -> String? {
        var input = JSONObject([("Name", .string(name)), ("Value", .string(value)), ("Type", .string(type)),
                                ("Overwrite", .bool(overwrite))])
        if type == "SecureString", let keyID { input["KeyId"] = .string(keyID) }
        let reply = try await client.call("PutParameter", input)
        switch reply["Version"] {
        case .integer(let digits)?: return digits
        case .float(let number)?: return Int(exactly: number).map(String.init)
        default: return nil
        }
    }

    /// Deletes the parameter and its history (Parameter Store keeps no deleted parameters).
    func deleteParameter(_ name: String) async throws {
        _ = try await client.call("DeleteParameter", JSONObject([("Name", .string(name))]))
    }
}
