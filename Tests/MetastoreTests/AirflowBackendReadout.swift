import Foundation
import TestSupport

/// Asks real Airflow 3.3.2 (the venv found through STRATA_TEST_AIRFLOW3_BIN) what its
/// `MetastoreBackend` and a secrets backend class each return for some connections and
/// variables: every connection field by field (`conn_type`, `host`, `login`, `password`,
/// `schema`, `port`, `extra`, `description`), every variable's text.
enum AirflowBackendReadout {
    /// What one reader returned: connection fields by id (nil: not found), variable texts by key.
    struct Answers: Equatable {
        var connections: [String: [String: String?]?]
        var variables: [String: String?]
    }

    /// Reads `connections` and `variables` from the metastore at `databaseURL` (a SQLAlchemy
    /// URL Airflow's own venv can open) with `fernetKey`, and from `backendClass(**kwargs)`
    /// run with `environment`.
    static func read(databaseURL: String?, fernetKey: String?, backendClass: String?, kwargs: [String: Any],
                     environment: [String: String], connections: [String], variables: [String]) async throws
        -> (metastore: Answers?, backend: Answers?) {
        let request: [String: Any] = ["class": backendClass ?? NSNull(), "kwargs": kwargs, "metastore": databaseURL != nil,
                                      "connections": connections, "variables": variables]
        var env = environment
        if let databaseURL { env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = databaseURL }
        env["AIRFLOW__CORE__FERNET_KEY"] = fernetKey ?? ""
        let answers = try await AirflowPythonScript.run(Self.script, request: request, environment: env, label: "Airflow readout")
            as? [String: Any] ?? [:]
        return (decode(answers["metastore"]), decode(answers["backend"]))
    }

    private static func decode(_ object: Any?) -> Answers? {
        guard let object = object as? [String: Any] else { return nil }
        var connections: [String: [String: String?]?] = [:]
        for (id, fields) in object["connections"] as? [String: Any] ?? [:] {
            guard let fields = fields as? [String: Any] else { connections[id] = .some(nil); continue }
            connections[id] = fields.mapValues { value -> String? in
                if value is NSNull { return nil }
                return "\(value)"
            }
        }
        var variables: [String: String?] = [:]
        for (key, value) in object["variables"] as? [String: Any] ?? [:] {
            variables[key] = value as? String
        }
        return Answers(connections: connections, variables: variables)
    }

    private static let script = """
        import importlib, json, sys
        request = json.load(open(sys.argv[1]))
        FIELDS = ["conn_type", "host", "login", "password", "schema", "port", "extra", "description"]
        def fields(c):
            return None if c is None else {f: getattr(c, f) for f in FIELDS}
        def readout(backend):
            return {"connections": {cid: fields(backend.get_connection(cid)) for cid in request["connections"]},
                    "variables": {key: backend.get_variable(key) for key in request["variables"]}}
        answers = {}
        if request["metastore"]:
            from airflow.secrets.metastore import MetastoreBackend
            answers["metastore"] = readout(MetastoreBackend())
        if request["class"]:
            module, name = request["class"].rsplit(".", 1)
            answers["backend"] = readout(getattr(importlib.import_module(module), name)(**request["kwargs"]))
        json.dump(answers, open(sys.argv[2], "w"))
        """
}
