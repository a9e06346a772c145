import Editing
import Engine
import Foundation
import Testing
import TestSupport

/// An Astro project whose .env configures LocalFilesystemBackend, loaded as the app loads it.
private struct AstroFixture {
    let scratch: Scratch

    init() throws {
        scratch = try Scratch()
        try scratch.write("project/.astro/config.yaml", "project:\n  name: demo\n")
        try scratch.write("project/.env", """
        # local settings
        AIRFLOW__SECRETS__BACKEND=airflow.secrets.local_filesystem.LocalFilesystemBackend
        AIRFLOW__SECRETS__BACKEND_KWARGS='{"variables_file_path": "include/variables.yaml", "connections_file_path": "include/connections.json"}'
        AIRFLOW_VAR_REGION=eu-west-1

        """)
        try scratch.write("project/include/variables.yaml", "# backend variables\nregion: us-east-1\n")
        try scratch.write("project/include/connections.json", "{\n  \"db\": \"postgres://u:p@h:5432/d\"\n}\n")
        try scratch.write("project/airflow_settings.yaml", "airflow:\n  variables:\n    - variable_name: region\n      variable_value: ap-south-1\n")
    }

    func deployment() throws -> Deployment {
        var d = Deployment(name: "local", airflowVersion: .v3, baseDirectory: scratch.file("project"))
        try AstroProject.apply(scratch.file("project"), to: &d)
        return d
    }

    /// The tiers as the app's factory builds them (environment, local-files backend, settings file).
    func tierSlots(_ d: Deployment) throws -> [TierSlot] {
        let configuration = try #require(BackendConfiguration.read(from: d.environment, version: d.airflowVersion).secrets)
        return [
            TierSlot(source: EnvironmentTier(environment: d.environment, dialect: .core)),
            TierSlot(source: try LocalFilesystemTier(configuration: configuration, deployment: d, tier: .backend, dialect: .core)),
            TierSlot(source: AirflowSettingsTier(fileURL: try #require(d.airflowSettingsFile), dialect: .core)),
        ]
    }

    func load() async throws -> DeploymentState {
        let d = try deployment()
        return await DeploymentLoader(factory: FixedTierFactory(slots: try tierSlots(d))).loadAll(d, context: .server)
    }
}

@Suite struct LocalTierWritersThroughTheEditFlow {
    @Test func everyFileTierGetsAWriterDescribedLikeItsTier() throws {
        let f = try AstroFixture(); defer { f.scratch.remove() }
        let d = try f.deployment()
        let tiers = try f.tierSlots(d)
        let writers = LocalTierWriters.slots(for: tiers, deployment: d, context: .server)
        #expect(writers.map(\.tier) == [.env, .backend, .metastore])
        #expect(writers.allSatisfy { $0.writer != nil })
        #expect(writers.map(\.descriptor) == tiers.map(\.descriptor))
        #expect(writers[1].writer?.connectionForms == [.fields, .uri])

        let noFiles = Deployment(name: "bare", environment: DeploymentEnvironment(["AIRFLOW_VAR_A": "1"]))
        let slot = LocalTierWriters.slot(for: TierSlot(source: EnvironmentTier(environment: noFiles.environment, dialect: .core)),
                                         deployment: noFiles, context: .server)
        #expect(slot?.writer == nil)
        #expect(slot?.unavailableReason?.contains("env_files:") == true)
    }

    @Test(arguments: [TierID.backend, .env, .metastore])
    func aSavedValueIsReadBackByTheResolver(_ target: TierID) async throws {
        let f = try AstroFixture(); defer { f.scratch.remove() }
        let d = try f.deployment()
        let state = try await f.load()
        #expect(state.resolve(.variable("region")).winner == .backend)
        let writers = LocalTierWriters.slots(for: try f.tierSlots(d), deployment: d, context: .server)
        let planner = EditPlanner(state: state, writers: writers)
        let plan = planner.plan([(.set(.variable("region"), .variable("sa-east-1", description: nil)), target)])
        #expect(plan.refusals.isEmpty)
        let outcomes = await EditExecutor(writers: writers, log: OperationLog()).apply(plan)
        #expect(outcomes.count == 1)
        #expect(outcomes.first?.error == nil)
        #expect(outcomes.first?.succeeded == true)

        let reloaded = try await f.load()
        let resolution = reloaded.resolve(.variable("region"))
        let entry = resolution.tiers.first { $0.tier == target }
        #expect(entry?.state == .present(.variable("sa-east-1")))
        // The backend still wins unless it was the tier written.
        #expect(resolution.value == .variable(target == .backend ? "sa-east-1" : "us-east-1"))
    }

    @Test func aConnectionFixedInTheBackendFileWins() async throws {
        let f = try AstroFixture(); defer { f.scratch.remove() }
        let d = try f.deployment()
        let writers = LocalTierWriters.slots(for: try f.tierSlots(d), deployment: d, context: .server)
        let state = try await f.load()
        let fixed = Connection(connType: "postgres", host: "db.internal", login: "u", password: "new pw", schema: "d", port: 5432)
        let plan = EditPlanner(state: state, writers: writers).plan([(.set(.connection("db"), .connection(fixed), form: .fields), .backend)])
        let outcomes = await EditExecutor(writers: writers, log: OperationLog()).apply(plan)
        #expect(outcomes.first?.succeeded == true)
        let reloaded = try await f.load()
        #expect(reloaded.resolve(.connection("db")).value == .connection(fixed))
        #expect(try f.scratch.text("project/include/connections.json").contains("\"password\": \"new pw\""))
    }
}
