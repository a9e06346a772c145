import Engine
import Testing

@Suite("Backend configuration: reading [secrets] and [workers] from the environment")
struct BackendConfigurationReadingTests {
    let vault = BackendFamily.vault.classPath
    let secretsManager = BackendFamily.secretsManager.classPath

    @Test func noBackendWhenTheClassIsUnsetOrEmpty() {
        #expect(BackendFixture.settings([:]).secrets == nil)
        let empty = BackendFixture.settings(["AIRFLOW__SECRETS__BACKEND": ""])
        #expect(empty.secrets == nil)
        #expect(empty.warnings.isEmpty)
    }

    @Test func kwargsWithoutAClassAreReportedAsIgnored() {
        let settings = BackendFixture.settings(["AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"a": 1}"#])
        #expect(settings.secrets == nil)
        #expect(settings.warnings.contains { $0.contains("AIRFLOW__SECRETS__BACKEND_KWARGS is set but AIRFLOW__SECRETS__BACKEND is not") })
    }

    @Test func classAndKwargsAreReadInOrder() throws {
        let settings = BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"variables_prefix": "v", "connections_prefix": null, "region_name": "eu-west-1"}"#,
        ])
        let configuration = try #require(settings.secrets)
        #expect(configuration.family == .secretsManager)
        #expect(configuration.kwargs.keys == ["variables_prefix", "connections_prefix", "region_name"])
        #expect(configuration.kwargs["connections_prefix"] == .null)
        #expect(configuration.sources == ["AIRFLOW__SECRETS__BACKEND", "AIRFLOW__SECRETS__BACKEND_KWARGS"])
        #expect(configuration.warnings.isEmpty)
    }

    @Test func invalidKwargsJSONFallsBackToNoKwargsWithAWarning() throws {
        let settings = BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "x", "token": "s3cr3t-value",}"#,
        ])
        let configuration = try #require(settings.secrets)
        #expect(configuration.kwargs.isEmpty)
        let warning = try #require(configuration.warnings.first { $0.contains("is not valid JSON") })
        #expect(warning.contains("Failed to parse [secrets] backend_kwargs as JSON, defaulting to no kwargs."))
        // The message names the position, never the text (kwargs hold secrets).
        #expect(!warning.contains("s3cr3t-value"))
        #expect(!warning.contains("connections_prefix"))
        // With no kwargs the defaults apply.
        let naming = BackendNaming(configuration: configuration)
        #expect(naming.lookupName(for: .connection("c")) == .name("airflow/connections/c"))
    }

    @Test func nonObjectJSONIsIgnoredWithAWarningUnlessFalsy() throws {
        let list = try #require(BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager, "AIRFLOW__SECRETS__BACKEND_KWARGS": #"["a"]"#,
        ]).secrets)
        #expect(list.kwargs.isEmpty)
        #expect(list.warnings.contains { $0.contains("into a dict, defaulting to no kwargs") && $0.contains("(list)") })
        // `if not backend_kwargs: backend_kwargs = {}` — falsy values pass silently.
        for falsy in ["null", "[]", "0", "false", "\"\"", "{}"] {
            let configuration = try #require(BackendFixture.settings([
                "AIRFLOW__SECRETS__BACKEND": secretsManager, "AIRFLOW__SECRETS__BACKEND_KWARGS": falsy,
            ]).secrets)
            #expect(configuration.kwargs.isEmpty)
            #expect(configuration.warnings.isEmpty, "\(falsy) should be silent")
        }
    }

    @Test func duplicateKeysKeepTheLastValueInTheFirstPosition() throws {
        let configuration = try #require(BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"sep": "/", "variables_prefix": "a", "sep": "-"}"#,
        ]).secrets)
        #expect(configuration.kwargs.keys == ["sep", "variables_prefix"])
        #expect(configuration.kwargs["sep"] == .string("-"))
    }

    @Test func perKeyOverridesReplaceJSONKwargsOnAirflow3() throws {
        let configuration = try #require(BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": vault,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"role_id": "from-json", "mount_point": "kv"}"#,
            "AIRFLOW__SECRETS__BACKEND_KWARG__ROLE_ID": "from-env",
            "AIRFLOW__SECRETS__BACKEND_KWARG__KV_ENGINE_VERSION": "1",
            "AIRFLOW__SECRETS__BACKEND_KWARG__": "ignored: empty suffix",
        ]).secrets)
        #expect(configuration.kwargs.keys == ["role_id", "mount_point", "kv_engine_version"])
        #expect(configuration.kwargs["role_id"] == .string("from-env"))
        // Raw strings, never JSON-parsed.
        #expect(configuration.kwargs["kv_engine_version"] == .string("1"))
        #expect(configuration.sources.contains("AIRFLOW__SECRETS__BACKEND_KWARG__ROLE_ID"))
        #expect(configuration.warnings.contains { $0.contains("from 3.2 on") })
    }

    @Test func perKeyOverridesAreIgnoredOnAirflow2() throws {
        let configuration = try #require(BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": vault,
            "AIRFLOW__SECRETS__BACKEND_KWARG__ROLE_ID": "from-env",
        ], version: .v2).secrets)
        #expect(configuration.kwargs["role_id"] == nil)
        #expect(configuration.warnings.contains { $0.contains("AIRFLOW__SECRETS__BACKEND_KWARG__ROLE_ID is ignored") })
    }

    @Test func valuesAreExpandedLikeAirflowsExpandEnvVar() throws {
        let configuration = try #require(BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "$MY_PREFIX/conns", "variables_prefix": "${UNSET_X}/vars"}"#,
            "AIRFLOW__SECRETS__BACKEND_KWARG__SEP": "$MY_PREFIX",
            "MY_PREFIX": "team-a",
        ]).secrets)
        #expect(configuration.kwargs["connections_prefix"] == .string("team-a/conns"))
        // Unknown names stay as written; per-key overrides are not expanded.
        #expect(configuration.kwargs["variables_prefix"] == .string("${UNSET_X}/vars"))
        #expect(configuration.kwargs["sep"] == .string("$MY_PREFIX"))
        #expect(configuration.warnings.contains { $0.contains("$UNSET_X") })
    }

    @Test func commandAndSecretVariantsAreReportedNotRun() throws {
        let configuration = try #require(BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__SECRETS__BACKEND_KWARGS_CMD": "cat /run/secrets/kwargs",
        ]).secrets)
        #expect(configuration.kwargs.isEmpty)
        #expect(configuration.sources.contains("AIRFLOW__SECRETS__BACKEND_KWARGS_CMD"))
        #expect(configuration.warnings.contains(
            "AIRFLOW__SECRETS__BACKEND_KWARGS_CMD is set; Strata does not run commands, so the kwargs from it are not known. Names and settings below assume the backend's defaults."))

        let secret = try #require(BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__SECRETS__BACKEND_KWARGS_SECRET": "airflow/config/kwargs",
        ]).secrets)
        #expect(secret.warnings.contains { $0.hasPrefix("AIRFLOW__SECRETS__BACKEND_KWARGS_SECRET is set") })
    }

    @Test func theClassOptionIsNotSensitiveSoItsCommandIsIgnored() {
        let settings = BackendFixture.settings(["AIRFLOW__SECRETS__BACKEND_CMD": "echo x"])
        #expect(settings.secrets == nil)
        #expect(settings.warnings.contains { $0.contains("AIRFLOW__SECRETS__BACKEND_CMD is ignored") })
    }

    @Test func theDirectVariableWinsOverItsCommand() throws {
        let configuration = try #require(BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"sep": "-"}"#,
            "AIRFLOW__SECRETS__BACKEND_KWARGS_CMD": "cat x",
        ]).secrets)
        #expect(configuration.kwargs["sep"] == .string("-"))
        #expect(configuration.warnings.contains { $0.contains("_CMD is ignored because AIRFLOW__SECRETS__BACKEND_KWARGS is set") })
    }

    @Test func workersWithoutTheirOwnBackendHaveNoSeparateTier() throws {
        let settings = BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"sep": "-"}"#,
            "AIRFLOW__SECRETS__BACKEND_KWARG__REGION_NAME": "eu-west-1",
        ])
        #expect(settings.workers == nil)
        #expect(!settings.hasSeparateWorkersBackend)
        // Workers fall back to [secrets] backend with [secrets] kwargs (overrides included).
        let effective = try #require(settings.effectiveConfiguration(for: .worker))
        #expect(effective == settings.secrets)
        #expect(effective.kwargs["region_name"] == .string("eu-west-1"))
    }

    @Test func workersWithTheirOwnBackendUseTheirOwnKwargsOnly() throws {
        let settings = BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"sep": "-"}"#,
            "AIRFLOW__WORKERS__SECRETS_BACKEND": vault,
            "AIRFLOW__WORKERS__SECRETS_BACKEND_KWARGS": #"{"mount_point": "kv"}"#,
            "AIRFLOW__WORKERS__SECRETS_BACKEND_KWARG__ROLE_ID": "worker-role",
        ])
        let workers = try #require(settings.workers)
        #expect(settings.hasSeparateWorkersBackend)
        #expect(workers.family == .vault)
        #expect(workers.kwargs.keys == ["mount_point", "role_id"])
        #expect(workers.sources == ["AIRFLOW__WORKERS__SECRETS_BACKEND", "AIRFLOW__WORKERS__SECRETS_BACKEND_KWARGS",
                                    "AIRFLOW__WORKERS__SECRETS_BACKEND_KWARG__ROLE_ID"])
        #expect(settings.configuration(for: .workersBackend) == workers)
        #expect(settings.effectiveConfiguration(for: .server)?.family == .secretsManager)
    }

    @Test func workerKwargsWithoutAWorkerClassAreIgnored() {
        let settings = BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__WORKERS__SECRETS_BACKEND_KWARGS": #"{"sep": "-"}"#,
        ])
        #expect(settings.workers == nil)
        #expect(settings.warnings.contains { $0.contains("workers use [secrets] backend with [secrets] backend_kwargs") })
        #expect(settings.secrets?.kwargs["sep"] == nil)
    }

    @Test func airflow2HasNoWorkersSection() {
        let settings = BackendFixture.settings([
            "AIRFLOW__SECRETS__BACKEND": secretsManager,
            "AIRFLOW__WORKERS__SECRETS_BACKEND": vault,
        ], version: .v2)
        #expect(settings.workers == nil)
        #expect(settings.warnings.contains { $0.contains("Airflow 2 has no [workers] secrets backend") })
    }

    @Test func everyCurrentClassPathIsRecognised() {
        for family in BackendFamily.allCases {
            #expect(BackendFamily.recognise(classPath: family.classPath, version: .v3).family == family)
        }
    }

    @Test func airflow2ContribAliasesWorkOnlyOnAirflow2() {
        let path = "airflow.contrib.secrets.aws_secrets_manager.SecretsManagerBackend"
        let v2 = BackendFamily.recognise(classPath: path, version: .v2)
        #expect(v2.family == .secretsManager)
        #expect(v2.warnings.contains { $0.contains("deprecated alias") })
        let v3 = BackendFamily.recognise(classPath: path, version: .v3)
        #expect(v3.family == nil)
        #expect(v3.warnings.contains { $0.contains("does not start") })
        #expect(BackendFamily.recognise(classPath: "airflow.contrib.secrets.gcp_secrets_manager.CloudSecretsManagerBackend",
                                        version: .v2).family == .gcpSecretManager)
    }

    @Test func unknownOrMistypedClassesHaveNoFamilyAndSayWhy() throws {
        let unknown = try #require(BackendFixture.settings(["AIRFLOW__SECRETS__BACKEND": "my_company.secrets.Backend"]).secrets)
        #expect(unknown.family == nil)
        #expect(unknown.warnings.contains { $0.contains("Strata does not know the secrets backend class my_company.secrets.Backend") })
        let spaced = BackendFamily.recognise(classPath: " " + secretsManager, version: .v3)
        #expect(spaced.family == nil)
        #expect(spaced.warnings.contains { $0.contains("surrounding whitespace") })
        let cased = BackendFamily.recognise(classPath: secretsManager.lowercased(), version: .v3)
        #expect(cased.family == nil)
        #expect(cased.warnings.contains { $0.contains("letter case") })
    }
}

@Suite("Backend configuration: a deployment's settings")
struct DeploymentBackendSettingsTests {
    @Test func aDeploymentReadsItsBackendForItsVersion() {
        let environment = DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": BackendFamily.ssmParameterStore.classPath,
            "AIRFLOW__WORKERS__SECRETS_BACKEND": BackendFamily.vault.classPath,
        ])
        let v3 = Deployment(name: "prod", airflowVersion: .v3, environment: environment)
        #expect(v3.backendSettings.secrets?.family == .ssmParameterStore)
        #expect(v3.backendSettings.hasSeparateWorkersBackend)
        let v2 = Deployment(name: "old", airflowVersion: .v2, environment: environment)
        #expect(!v2.backendSettings.hasSeparateWorkersBackend)
    }
}
