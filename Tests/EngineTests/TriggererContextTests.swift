import Engine
import Testing
import TestSupport

/// The triggerer as a third lookup context. Airflow 3.3.2's trigger runner subprocess sets
/// SUPERVISOR_COMMS, so it builds the worker search path ([workers] secrets_backend or
/// [secrets] backend, the environment, the Execution API) and its Execution API runs inside
/// the triggerer with the server chain (docs/triggerer-lookup.md; checked against a real
/// triggerer by AirflowAPITests' TriggererLookupTests).
@Suite("Triggerer: the third lookup context")
struct TriggererContextTests {
    func load(_ sources: [any TierSource], version: AirflowVersion = .v3, context: LookupContext,
              environment: [String: String] = [:]) async -> DeploymentState {
        var deployment = Deployment(name: "trg", airflowVersion: version)
        for (name, value) in environment { deployment.environment.set(name, value, origin: .inline) }
        return await DeploymentLoader(factory: FixedTierFactory(sources)).loadAll(deployment, context: context)
    }

    func everyContext(_ sources: [any TierSource], version: AirflowVersion = .v3,
                      environment: [String: String] = [:]) async -> [DeploymentState] {
        var states: [DeploymentState] = []
        for context in LookupContext.allCases {
            states.append(await load(sources, version: version, context: context, environment: environment))
        }
        return states
    }

    /// A deployment with every tier: a workers backend, a general backend, env, a metastore.
    var fourTiers: [any TierSource] {
        [
            InMemoryTier(.workersBackend, records: [.variable("both_backends", "workers"), .variable("workers_only", "workers")]),
            InMemoryTier(.backend, records: [.variable("both_backends", "secrets"), .variable("backend_and_env", "secrets"),
                                             .variable("backend_only", "secrets")]),
            InMemoryTier(.env, records: [.variable("AIRFLOW_VAR_BACKEND_AND_ENV", "env", id: "backend_and_env")],
                         naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: [.variable("meta_only", "metastore")]),
        ]
    }

    @Test func theTriggererAsksInTheWorkersOrder() async {
        let states = await everyContext(fourTiers)
        let chains = Dictionary(uniqueKeysWithValues: states.map { ($0.context, $0.chain) })
        #expect(chains[.server] == [.backend, .env, .metastore])
        #expect(chains[.worker] == [.workersBackend, .env, .backend, .metastore])
        #expect(chains[.triggerer] == [.workersBackend, .env, .backend, .metastore])
    }

    @Test func withoutAWorkersBackendEveryContextHasTheServerChain() async {
        let sources: [any TierSource] = [InMemoryTier(.backend, records: []), InMemoryTier(.metastore, records: [])]
        for state in await everyContext(sources) {
            #expect(state.chain == [.backend, .env, .metastore], "context \(state.context)")
        }
    }

    @Test func airflow2HasOneBehaviourWhicheverContextIsAsked() async {
        let triggerer = await load(fourTiers, version: .v2, context: .triggerer)
        #expect(triggerer.chain == [.backend, .env, .metastore])
        #expect(ConnectionDialect(version: .v2, context: .triggerer) == .airflow2)
    }

    @Test func triggerCodeParsesConnectionsWithTheTaskSDK() {
        #expect(ConnectionDialect(version: .v3, context: .triggerer) == .sdk)
        #expect(ConnectionDialect(version: .v3, context: .worker) == .sdk)
        #expect(ConnectionDialect(version: .v3, context: .server) == .core)
        #expect(LookupContext.triggerer.isExecutionAPIClient)
        #expect(!LookupContext.server.isExecutionAPIClient)
    }

    @Test func theTriggererUsesTheWorkersBackendAndFallsBackToSecrets() throws {
        let both = BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
            "AIRFLOW__WORKERS__SECRETS_BACKEND": "airflow.providers.hashicorp.secrets.vault.VaultBackend",
        ])
        #expect(both.effectiveConfiguration(for: .triggerer)?.family == .vault)
        #expect(both.effectiveConfiguration(for: .server)?.family == .secretsManager)
        let secretsOnly = BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
        ])
        #expect(secretsOnly.effectiveConfiguration(for: .triggerer)?.family == .secretsManager)
    }

    @Test func eachContextFindsItsOwnWinner() async {
        let states = await everyContext(fourTiers)
        let winners = { (key: String) in
            ContextComparison(key: .variable(key), states: states).answers.map { "\($0.context):\($0.winner?.rawValue ?? "none")" }
        }
        // The general backend wins on the server; the workers' chain asks env before it.
        #expect(winners("backend_and_env") == ["server:backend", "worker:env", "triggerer:env"])
        #expect(winners("both_backends") == ["server:backend", "worker:workers_backend", "triggerer:workers_backend"])
        #expect(winners("workers_only") == ["server:none", "worker:workers_backend", "triggerer:workers_backend"])
        #expect(winners("meta_only") == ["server:metastore", "worker:metastore", "triggerer:metastore"])
    }

    @Test func theComparisonSaysWhenContextsDisagree() async {
        let states = await everyContext(fourTiers)
        let split = ContextComparison(key: .variable("backend_and_env"), states: states)
        #expect(split.disagree)
        #expect(split.answers.map(\.differsFromFirst) == [false, true, true])
        let agreed = ContextComparison(key: .variable("meta_only"), states: states)
        #expect(!agreed.disagree)
        #expect(agreed.answers.allSatisfy { !$0.differsFromFirst && $0.reachable == nil })
    }

    @Test func theSameValueFromAnotherTierIsStillADisagreementAboutTheTier() async {
        let sources: [any TierSource] = [
            InMemoryTier(.workersBackend, records: [.variable("k", "same")]),
            InMemoryTier(.backend, records: [.variable("k", "same")]),
        ]
        let comparison = ContextComparison(key: .variable("k"), states: await everyContext(sources))
        #expect(comparison.disagree)
        #expect(comparison.answers.map(\.differsFromFirst) == [false, false, false])
    }

    @Test func withTheGreenbackPortalOffSyncTriggerCallsReachOnlyTheRunnersTiers() async {
        let states = await everyContext(fourTiers, environment: [TriggererSyncLookups.portalSetting: "True"])
        let metastoreOnly = ContextComparison(key: .variable("meta_only"), states: states)
        // apache/airflow#57145: in the metastore, yet "not defined" for a sync call in a trigger.
        #expect(metastoreOnly.disagree)
        let sync = metastoreOnly.answers.last
        #expect(sync?.context == .triggerer)
        #expect(sync?.reachable == [.workersBackend, .env])
        #expect(sync?.winner == nil)
        #expect(sync?.differsFromFirst == true)
        let envHit = ContextComparison(key: .variable("backend_and_env"), states: states)
        #expect(envHit.answers.last?.winner == .env)
    }

    @Test func airflowReadsThePortalSettingAsExactlyTrue() {
        func disabled(_ value: String) -> Bool {
            var environment = DeploymentEnvironment()
            environment.set(TriggererSyncLookups.portalSetting, value, origin: .inline)
            return TriggererSyncLookups.portalDisabled(in: environment)
        }
        #expect(disabled("true"))
        #expect(disabled("TRUE"))
        #expect(!disabled("1"))
        #expect(!disabled(" true"))
        #expect(!TriggererSyncLookups.portalDisabled(in: DeploymentEnvironment()))
        var on = DeploymentEnvironment()
        on.set(TriggererSyncLookups.portalSetting, "true", origin: .inline)
        #expect(TriggererSyncLookups.reachableTiers(version: .v3, environment: on, hasWorkersBackend: false) == [.backend, .env])
        #expect(TriggererSyncLookups.reachableTiers(version: .v2, environment: on, hasWorkersBackend: false) == nil)
    }
}
