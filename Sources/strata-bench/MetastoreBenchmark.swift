import Engine
import Foundation
import GRDB
import Metastore
import PostgresNIO
#if canImport(Glibc)
import Glibc
#endif

/// Reads and decrypts 100,000 metastore rows (50,000 variables, 50,000 connections with
/// encrypted password and extra; one row in five under the second, "old" key) from SQLite and,
/// when a server is given (`STRATA_TEST_POSTGRES_URL`, or `--metastore-postgres URL`), from
/// PostgreSQL. Goals: SQLite < 1.5 s, PostgreSQL on loopback < 3 s.
func runMetastoreBenchmark() async throws {
    let rowCount = 100_000
    let newKey = FernetKey.generate(), oldKey = FernetKey.generate()
    let setting = "\(newKey),\(oldKey)"
    print("metastore: generating \(rowCount) encrypted rows…")
    let rows = try MetastoreBenchmarkData(count: rowCount, newKey: newKey, oldKey: oldKey)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bench-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("airflow.db").path
    try rows.writeSQLite(path: path)
    print("metastore: peak memory after generating: \(MetastoreBenchmarkData.peakMemoryMB()) MB")

    let sqlite = Deployment(name: "bench-sqlite", environment: DeploymentEnvironment(["AIRFLOW__CORE__FERNET_KEY": setting]),
                            metastoreURL: "sqlite://" + path)
    try await measure("sqlite", deployment: sqlite, expected: rowCount, goal: 1.5)

    let arguments = CommandLine.arguments
    let flagURL = arguments.firstIndex(of: "--metastore-postgres").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
    guard let serverURL = flagURL ?? ProcessInfo.processInfo.environment["STRATA_TEST_POSTGRES_URL"], !serverURL.isEmpty else {
        print("metastore: postgresql skipped (set STRATA_TEST_POSTGRES_URL or pass --metastore-postgres URL; scripts/services/postgres.sh start)")
        return
    }
    let databaseURL = try await rows.createPostgresDatabase(serverURL: serverURL)
    let postgres = Deployment(name: "bench-postgres", environment: DeploymentEnvironment([
        "AIRFLOW__CORE__FERNET_KEY": setting, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": databaseURL]))
    do {
        try await measure("postgresql", deployment: postgres, expected: rowCount, goal: 3.0)
    } catch {
        try? await MetastoreBenchmarkData.dropPostgresDatabase(serverURL: serverURL, databaseURL: databaseURL)
        throw error
    }
    try await MetastoreBenchmarkData.dropPostgresDatabase(serverURL: serverURL, databaseURL: databaseURL)
}

private func measure(_ label: String, deployment: Deployment, expected: Int, goal: Double) async throws {
    let tier = try MetastoreTier(deployment: deployment)
    var best = Double.infinity
    for _ in 0..<3 {
        let start = DispatchTime.now().uptimeNanoseconds
        let snapshot = try await tier.load()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, seconds)
        let readable = snapshot.records.filter { if case .present = $0.state { return true } else { return false } }.count
        guard snapshot.records.count == expected, readable == expected else {
            print("metastore: \(label) read \(snapshot.records.count) rows, \(readable) decrypted — expected \(expected)")
            throw TierError("benchmark rows did not all decrypt")
        }
    }
    let verdict = best < goal ? "ok" : "SLOWER THAN GOAL"
    print(String(format: "metastore: %@ read+decrypt %d rows: best of 3 %.3f s (goal < %.1f s, %@), %.1f µs/row, peak memory %d MB",
                 label, expected, best, goal, verdict, best / Double(expected) * 1e6, MetastoreBenchmarkData.peakMemoryMB()))
}

/// The benchmark's rows, encrypted once and written to each database.
struct MetastoreBenchmarkData {
    var variables: [(key: String, val: String)] = []
    var connections: [(id: String, password: String, extra: String)] = []

    init(count: Int, newKey: String, oldKey: String) throws {
        let new = try FernetKeyRing(setting: newKey), old = try FernetKeyRing(setting: oldKey)
        for index in 0..<count / 2 {
            let ring = index % 5 == 0 ? old : new
            variables.append(("bench_var_\(index)", try ring.encrypt("value \(index) — ünïcode ✓")))
        }
        for index in 0..<(count - count / 2) {
            let ring = index % 5 == 0 ? old : new
            connections.append(("bench_conn_\(index)", try ring.encrypt("p@ss-\(index)"),
                                try ring.encrypt(#"{"region_name": "eu-west-1", "index": \#(index)}"#)))
        }
    }

    func writeSQLite(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: MetastoreBenchmarkData.ddl(serial: "INTEGER"))
            let variable = try db.makeStatement(sql: "INSERT INTO variable (\"key\", val, description, is_encrypted) VALUES (?, ?, NULL, 1)")
            for row in variables { try variable.execute(arguments: [row.key, row.val]) }
            let connection = try db.makeStatement(sql: "INSERT INTO connection (conn_id, conn_type, host, login, password, port, extra, is_encrypted, is_extra_encrypted) VALUES (?, 'postgres', 'db.example', 'user', ?, 5432, ?, 1, 1)")
            for row in connections { try connection.execute(arguments: [row.id, row.password, row.extra]) }
        }
    }

    static func ddl(serial: String) -> String {
        """
        CREATE TABLE variable (id \(serial) PRIMARY KEY, "key" VARCHAR(250) NOT NULL UNIQUE, val TEXT NOT NULL,
            description TEXT, is_encrypted BOOLEAN NOT NULL, team_name VARCHAR(50));
        CREATE TABLE connection (id \(serial) PRIMARY KEY, conn_id VARCHAR(250) NOT NULL UNIQUE, conn_type VARCHAR(500) NOT NULL,
            description VARCHAR(5000), host VARCHAR(500), schema VARCHAR(500), login TEXT, port INTEGER, team_name VARCHAR(50),
            password TEXT, extra TEXT, is_encrypted BOOLEAN NOT NULL, is_extra_encrypted BOOLEAN NOT NULL);
        """
    }

    // MARK: PostgreSQL

    private static let logger = Logger(label: "strata.bench.metastore")

    static func connect(_ url: String) async throws -> PostgresConnection {
        guard case .postgres(let location) = try MetastoreLocation.parse(url) else { throw TierError("not a PostgreSQL URL") }
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.username,
                                                             password: location.password, database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    }

    /// A fresh database on the server, filled with the rows; returns its URL.
    func createPostgresDatabase(serverURL: String) async throws -> String {
        let name = "strata_bench_\(UUID().uuidString.prefix(8).lowercased())"
        let server = try await Self.connect(serverURL)
        try await server.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Self.logger)
        try await server.close()
        let base = serverURL.split(separator: "?", maxSplits: 1).first.map(String.init) ?? serverURL
        let databaseURL = (base.range(of: "/", options: .backwards).map { String(base[..<$0.lowerBound]) } ?? base) + "/" + name
        let connection = try await Self.connect(databaseURL)
        for statement in Self.ddl(serial: "SERIAL").split(separator: ";") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            try await connection.query(PostgresQuery(unsafeSQL: String(statement)), logger: Self.logger)
        }
        let chunk = 10_000
        for start in stride(from: 0, to: variables.count, by: chunk) {
            let slice = variables[start..<min(start + chunk, variables.count)]
            try await connection.query("INSERT INTO variable (\"key\", val, is_encrypted) SELECT k, v, true FROM unnest(\(slice.map(\.key))::text[], \(slice.map(\.val))::text[]) AS t(k, v)", logger: Self.logger)
        }
        for start in stride(from: 0, to: connections.count, by: chunk) {
            let slice = connections[start..<min(start + chunk, connections.count)]
            try await connection.query("INSERT INTO connection (conn_id, conn_type, host, login, password, port, extra, is_encrypted, is_extra_encrypted) SELECT c, 'postgres', 'db.example', 'user', p, 5432, e, true, true FROM unnest(\(slice.map(\.id))::text[], \(slice.map(\.password))::text[], \(slice.map(\.extra))::text[]) AS t(c, p, e)", logger: Self.logger)
        }
        try await connection.close()
        return databaseURL
    }

    static func dropPostgresDatabase(serverURL: String, databaseURL: String) async throws {
        guard let name = databaseURL.split(separator: "/").last else { return }
        let server = try await connect(serverURL)
        try await server.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        try await server.close()
    }

    static func peakMemoryMB() -> Int {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss / 1024 // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss / 1_048_576 // bytes on macOS
        #endif
    }
}
