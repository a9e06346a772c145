import Engine
import Foundation

/// Loads 100,000 keys spread over the environment, a LocalFilesystemBackend's files and an
/// `airflow_settings.yaml`, and prints each tier's load time. Goal: all of it under 300 ms
/// in a release build.
func runLocalTiersBenchmark() async throws {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("strata-bench-local-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }

    // 40,000 environment entries: 30,000 variables, 10,000 connections.
    var variables: [String: String] = [:]
    for i in 0..<30_000 { variables["AIRFLOW_VAR_BENCH_VAR_\(i)"] = "value number \(i)" }
    for i in 0..<10_000 { variables["AIRFLOW_CONN_BENCH_CONN_\(i)"] = "postgres://user\(i):pw\(i)@db\(i).example.com:5432/db?sslmode=require" }
    let environment = DeploymentEnvironment(variables)

    // 40,000 local-file entries: 20,000 YAML variables, 10,000 .env variables, 10,000 JSON connections.
    var yaml = ""
    for i in 0..<20_000 { yaml += "yaml_var_\(i): value \(i)\n" }
    let variablesFile = folder.appendingPathComponent("variables.yaml")
    try yaml.write(to: variablesFile, atomically: true, encoding: .utf8)
    var env = ""
    for i in 0..<10_000 { env += "ENV_VAR_\(i)=value \(i)\n" }
    let envFile = folder.appendingPathComponent("variables.env")
    try env.write(to: envFile, atomically: true, encoding: .utf8)
    var json = "{\n"
    for i in 0..<10_000 {
        json += "  \"json_conn_\(i)\": {\"conn_type\": \"http\", \"host\": \"h\(i).example.com\", \"port\": 443, \"extra\": {\"timeout\": \(i)}}"
        json += i == 9_999 ? "\n" : ",\n"
    }
    json += "}\n"
    let connectionsFile = folder.appendingPathComponent("connections.json")
    try json.write(to: connectionsFile, atomically: true, encoding: .utf8)

    // 20,000 airflow_settings.yaml entries: 10,000 variables, 10,000 connections.
    var settings = "airflow:\n  variables:\n"
    for i in 0..<10_000 { settings += "    - variable_name: settings_var_\(i)\n      variable_value: value \(i)\n" }
    settings += "  connections:\n"
    for i in 0..<10_000 {
        settings += "    - conn_id: settings_conn_\(i)\n      conn_type: postgres\n      conn_host: db\(i)\n      conn_port: 5432\n      conn_extra:\n        sslmode: require\n"
    }
    let settingsFile = folder.appendingPathComponent("airflow_settings.yaml")
    try settings.write(to: settingsFile, atomically: true, encoding: .utf8)

    let clock = ContinuousClock()
    func measure(_ label: String, _ body: () async throws -> TierSnapshot) async throws -> Duration {
        let start = clock.now
        let snapshot = try await body()
        let elapsed = clock.now - start
        print("  \(label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(snapshot.records.count) records  \(milliseconds(elapsed))")
        return elapsed
    }

    print("local tiers: 100,000 keys")
    var total = Duration.zero
    total += try await measure("environment (40,000 entries)") {
        try await EnvironmentTier(environment: environment, dialect: .core).load()
    }
    total += try await measure("local files: variables.yaml + connections.json") {
        try await LocalFilesystemTier(variablesFile: variablesFile, connectionsFile: connectionsFile, dialect: .core).load()
    }
    total += try await measure("local files: variables.env") {
        try await LocalFilesystemTier(variablesFile: envFile, connectionsFile: nil, dialect: .core).load()
    }
    total += try await measure("airflow_settings.yaml (20,000 entries)") {
        try await AirflowSettingsTier(fileURL: settingsFile, dialect: .core).load()
    }
    print("  total \(milliseconds(total)) (goal: under 300 ms in release)")
}

private func milliseconds(_ duration: Duration) -> String {
    let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    return String(format: "%.1f ms", ms)
}
