import Engine
import Foundation
import Metastore
import TestSupport

/// The recorded metastore fixtures and helpers to compare Strata's reads with them.
enum MetastoreFixture {
    static let mainDatabase = Fixtures.url("metastore/airflow-3.3.2.sqlite")
    static let noFernetDatabase = Fixtures.url("metastore/airflow-3.3.2-nofernet.sqlite")

    static func expected(_ name: String = "expected.json") throws -> [String: Any] {
        let data = try Data(contentsOf: Fixtures.url("metastore/\(name)"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static var keyNew: String { get throws { try (expected()["fernet"] as! [String: Any])["K_NEW"] as! String } }
    static var keyOld: String { get throws { try (expected()["fernet"] as! [String: Any])["K_OLD"] as! String } }

    /// A deployment reading `database` with `fernetKey` (nil: the variable is not set at all).
    static func deployment(_ database: URL, fernetKey: String?, version: AirflowVersion = .v3,
                           name: String = "fixture", readOnly: Bool = false) -> Deployment {
        var env: [String: String] = [:]
        if let fernetKey { env["AIRFLOW__CORE__FERNET_KEY"] = fernetKey }
        return Deployment(name: name, airflowVersion: version, environment: DeploymentEnvironment(env),
                          metastoreURL: "sqlite://" + database.path, readOnly: readOnly)
    }

    /// A writable copy of a fixture database in a fresh temporary folder.
    static func copy(_ database: URL) throws -> (TemporaryDirectory, URL) {
        let directory = try TemporaryDirectory("strata-metastore")
        return (directory, try directory.copyWritable(database))
    }

    /// Whether `connection` holds exactly the fields of a fixture connection result object.
    static func matches(_ connection: Connection, _ expected: [String: Any]) -> Bool {
        func text(_ key: String) -> String? { expected[key] as? String }
        let port = (expected["port"] as? NSNumber)?.intValue
        return connection.connType == text("conn_type") && connection.host == text("host")
            && connection.login == text("login") && connection.password == text("password")
            && connection.schema == text("schema") && connection.port == port
            && connection.extra == text("extra") && connection.description == text("description")
            && connection.verbatim.isEmpty
    }

    /// `json.loads` of an extra, compared as Foundation objects (`{}` for null/empty, as `extra_dejson` gives).
    static func dejson(_ extra: String?) -> NSObject? {
        guard let extra, !extra.isEmpty else { return NSDictionary() }
        return try? JSONSerialization.jsonObject(with: Data(extra.utf8), options: [.fragmentsAllowed]) as? NSObject
    }

    /// The fixture's error object as a failure.
    static func failure(_ object: Any?) -> AirflowFailure? {
        guard let object = object as? [String: Any], let name = object["error"] as? String else { return nil }
        return AirflowFailure(errorClass: name, message: object["message"] as? String ?? "")
    }
}

extension TierRecord {
    var isUnreadable: Bool {
        if case .unreadable = state { return true }
        return false
    }

    var unreadableReason: String? {
        if case .unreadable(let reason) = state { return reason }
        return nil
    }
}
