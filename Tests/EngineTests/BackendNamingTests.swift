import Engine
import Testing

// Expected names were checked against the released providers (amazon 9.39, microsoft-azure 15.2.1,
// hashicorp 4.8.4 with hvac 2.4.0) by calling their lookup methods with the client stubbed out.

@Suite("Backend naming: AWS Secrets Manager")
struct SecretsManagerNamingTests {
    @Test func defaultPrefixesJoinWithSlash() {
        let naming = BackendFixture.naming(.secretsManager)
        #expect(naming.lookupName(for: .connection("smtp_default")) == .name("airflow/connections/smtp_default"))
        #expect(naming.lookupName(for: .variable("my_var")) == .name("airflow/variables/my_var"))
    }

    @Test func trailingSeparatorsAreStrippedFromThePrefix() {
        let naming = BackendFixture.naming(.secretsManager, #"{"connections_prefix": "airflow/connections//"}"#)
        #expect(naming.lookupName(for: .connection("db")) == .name("airflow/connections/db"))
    }

    @Test func stripRemovesAnyCharacterOfTheSeparatorNotTheSuffix() {
        // Python's rstrip takes a set of characters: "team_x_".rstrip("__") is "team_x".
        let naming = BackendFixture.naming(.secretsManager, #"{"sep": "__", "connections_prefix": "team_x_"}"#)
        #expect(naming.lookupName(for: .connection("db")) == .name("team_x__db"))
        let dashes = BackendFixture.naming(.secretsManager, #"{"sep": "-", "connections_prefix": "airflow-conns--"}"#)
        #expect(dashes.lookupName(for: .connection("db")) == .name("airflow-conns-db"))
    }

    @Test func anEmptyPrefixUsesTheBareId() {
        let naming = BackendFixture.naming(.secretsManager, #"{"connections_prefix": "", "variables_prefix": ""}"#)
        #expect(naming.lookupName(for: .connection("db")) == .name("db"))
        #expect(naming.lookupName(for: .variable("v")) == .name("v"))
        // A prefix that is only separators strips to empty and behaves the same.
        let slash = BackendFixture.naming(.secretsManager, #"{"connections_prefix": "/"}"#)
        #expect(slash.lookupName(for: .connection("db")) == .name("db"))
    }

    @Test func aNullPrefixDisablesThatKindOnly() {
        let naming = BackendFixture.naming(.secretsManager, #"{"connections_prefix": null}"#)
        #expect(naming.lookupName(for: .connection("db")).isSkipped(mentioning: "connections_prefix is null"))
        #expect(naming.lookupName(for: .variable("v")) == .name("airflow/variables/v"))
        #expect(!naming.isEnabled(.connection))
        #expect(naming.isEnabled(.variable))
        #expect(naming.scheme.connections.hasPrefix("off"))
    }

    @Test func lookupPatternsUseReMatchIgnoringCase() {
        let naming = BackendFixture.naming(.secretsManager, #"{"connections_lookup_pattern": "^prod_"}"#)
        #expect(naming.lookupName(for: .connection("PROD_db")) == .name("airflow/connections/PROD_db"))
        #expect(naming.lookupName(for: .connection("dev_db")).isSkipped(mentioning: "does not match connections_lookup_pattern"))
        // The pattern applies to its own kind only.
        #expect(naming.lookupName(for: .variable("dev_db")) == .name("airflow/variables/dev_db"))
    }

    @Test func lookupPatternsAreAnchoredAtTheStartOnly() {
        let naming = BackendFixture.naming(.secretsManager, #"{"variables_lookup_pattern": "key"}"#)
        #expect(naming.lookupName(for: .variable("my_key")).isSkipped)
        let prefix = BackendFixture.naming(.secretsManager, #"{"variables_lookup_pattern": "my"}"#)
        #expect(prefix.lookupName(for: .variable("my_key")) == .name("airflow/variables/my_key"))
    }

    @Test func pythonOnlyRegexSyntaxIsUnderstood() {
        let named = BackendFixture.naming(.secretsManager, #"{"variables_lookup_pattern": "(?P<x>a)b(?P=x)"}"#)
        #expect(named.lookupName(for: .variable("aba_rest")) == .name("airflow/variables/aba_rest"))
        #expect(named.lookupName(for: .variable("abc")).isSkipped)
        // Python's \Z is the very end; $ also matches before a final newline.
        let endOfText = BackendFixture.naming(.secretsManager, #"{"variables_lookup_pattern": "abc\\Z"}"#)
        #expect(endOfText.lookupName(for: .variable("abc\n")).isSkipped)
        #expect(endOfText.lookupName(for: .variable("abc")) == .name("airflow/variables/abc"))
        let dollar = BackendFixture.naming(.secretsManager, #"{"variables_lookup_pattern": "abc$"}"#)
        #expect(dollar.lookupName(for: .variable("abc\n")) == .name("airflow/variables/abc\n"))
    }

    @Test func anInvalidPatternFailsTheLookup() {
        let naming = BackendFixture.naming(.secretsManager, #"{"variables_lookup_pattern": "[unclosed"}"#)
        #expect(naming.lookupName(for: .variable("x")).isSkipped(mentioning: "not a valid regular expression"))
    }

    @Test func anEmptyPatternRestrictsNothing() {
        let naming = BackendFixture.naming(.secretsManager, #"{"variables_lookup_pattern": ""}"#)
        #expect(naming.lookupName(for: .variable("anything")) == .name("airflow/variables/anything"))
    }

    @Test func listedNamesMapBackToIds() {
        let naming = BackendFixture.naming(.secretsManager)
        #expect(naming.id(fromName: "airflow/connections/my_db", kind: .connection) == "my_db")
        #expect(naming.id(fromName: "airflow/connections/team/db", kind: .connection) == "team/db")
        #expect(naming.id(fromName: "airflow/variables/x", kind: .connection) == nil)
        #expect(naming.id(fromName: "other/x", kind: .variable) == nil)
        #expect(naming.listingPrefix(for: .connection) == "airflow/connections/")
        let bare = BackendFixture.naming(.secretsManager, #"{"variables_prefix": ""}"#)
        #expect(bare.id(fromName: "anything/at/all", kind: .variable) == "anything/at/all")
    }

    @Test func theSchemeReadsLikeTheDesign() {
        let naming = BackendFixture.naming(.secretsManager)
        #expect(naming.scheme.summary == "conns airflow/connections/<id>   vars airflow/variables/<key>")
    }
}

@Suite("Backend naming: AWS SSM Parameter Store")
struct SSMNamingTests {
    @Test func defaultsAreAbsolutePaths() {
        let naming = BackendFixture.naming(.ssmParameterStore)
        #expect(naming.lookupName(for: .connection("smtp_default")) == .name("/airflow/connections/smtp_default"))
        #expect(naming.lookupName(for: .variable("v1")) == .name("/airflow/variables/v1"))
    }

    @Test func aLeadingSlashIsAddedWhenMissing() {
        let naming = BackendFixture.naming(.ssmParameterStore,
            #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}"#)
        #expect(naming.lookupName(for: .variable("v1")) == .name("/airflow/variables/v1"))
    }

    @Test func anEmptyOrSlashPrefixGivesSlashId() {
        #expect(BackendFixture.naming(.ssmParameterStore, #"{"variables_prefix": ""}"#)
            .lookupName(for: .variable("v1")) == .name("/v1"))
        #expect(BackendFixture.naming(.ssmParameterStore, #"{"variables_prefix": "/"}"#)
            .lookupName(for: .variable("v1")) == .name("/v1"))
        #expect(BackendFixture.naming(.ssmParameterStore, #"{"variables_prefix": "x//"}"#)
            .lookupName(for: .variable("a/b")) == .name("/x/a/b"))
    }

    @Test func aNullPrefixDisablesTheKind() {
        let naming = BackendFixture.naming(.ssmParameterStore, #"{"variables_prefix": null}"#)
        #expect(naming.lookupName(for: .variable("v1")).isSkipped(mentioning: "variables_prefix is null"))
        #expect(naming.lookupName(for: .connection("c")) == .name("/airflow/connections/c"))
    }

    @Test func lookupPatternsWorkAsForSecretsManager() {
        let naming = BackendFixture.naming(.ssmParameterStore, #"{"connections_lookup_pattern": "^(aws|s3)_"}"#)
        #expect(naming.lookupName(for: .connection("S3_logs")) == .name("/airflow/connections/S3_logs"))
        #expect(naming.lookupName(for: .connection("gcs_logs")).isSkipped)
    }

    @Test func sepIsNotAnSSMOption() {
        let naming = BackendFixture.naming(.ssmParameterStore, #"{"sep": "-"}"#)
        #expect(naming.lookupName(for: .connection("c")) == .name("/airflow/connections/c"))
    }

    @Test func listedNamesMapBackToIds() {
        let naming = BackendFixture.naming(.ssmParameterStore, #"{"variables_prefix": "airflow/variables"}"#)
        #expect(naming.listingPrefix(for: .variable) == "/airflow/variables/")
        #expect(naming.id(fromName: "/airflow/variables/v1", kind: .variable) == "v1")
        #expect(naming.id(fromName: "airflow/variables/v1", kind: .variable) == nil)
        let root = BackendFixture.naming(.ssmParameterStore, #"{"variables_prefix": ""}"#)
        #expect(root.id(fromName: "/a/b", kind: .variable) == "a/b")
    }
}

@Suite("Backend naming: Google Cloud Secret Manager")
struct GCPNamingTests {
    @Test func prefixSepIdWithUnderscoresKept() {
        let naming = BackendFixture.naming(.gcpSecretManager)
        #expect(naming.lookupName(for: .connection("smtp_default")) == .name("airflow-connections-smtp_default"))
        #expect(naming.lookupName(for: .variable("hello")) == .name("airflow-variables-hello"))
    }

    @Test func anEmptyPrefixGivesALeadingSeparator() {
        let naming = BackendFixture.naming(.gcpSecretManager, #"{"connections_prefix": ""}"#)
        #expect(naming.lookupName(for: .connection("smtp_default")) == .name("-smtp_default"))
        #expect(naming.id(fromName: "-smtp_default", kind: .connection) == "smtp_default")
    }

    @Test func prefixesAreNotStripped() {
        let naming = BackendFixture.naming(.gcpSecretManager, #"{"variables_prefix": "vars-"}"#)
        #expect(naming.lookupName(for: .variable("x")) == .name("vars--x"))
    }

    @Test func namesWithOtherCharactersAreRejectedByTheService() {
        let naming = BackendFixture.naming(.gcpSecretManager)
        let dotted = naming.lookupName(for: .variable("my.var"))
        #expect(dotted.isSkipped(mentioning: "Secret Manager rejects names with"))
        #expect(dotted.isSkipped(mentioning: "'.'"))
        #expect(naming.lookupName(for: .connection("team/db")).isSkipped(mentioning: "'/'"))
        #expect(naming.lookupName(for: .connection(String(repeating: "a", count: 300))).isSkipped(mentioning: "255"))
    }

    @Test func aNullPrefixDisablesTheKind() {
        let naming = BackendFixture.naming(.gcpSecretManager, #"{"variables_prefix": null}"#)
        #expect(naming.lookupName(for: .variable("x")).isSkipped(mentioning: "variables_prefix is null"))
    }

    @Test func anInvalidConnectionsPrefixStopsAirflow() {
        let configuration = BackendFixture.configuration(.gcpSecretManager, #"{"connections_prefix": "airflow/connections"}"#)
        let report = BackendReport(configuration: configuration, environment: DeploymentEnvironment(), version: .v3)
        #expect(!report.airflowStarts)
        #expect(report.fatalProblems.contains { $0.contains("connections_prefix + sep") })
    }
}

@Suite("Backend naming: Azure Key Vault")
struct AzureNamingTests {
    @Test func underscoresBecomeTheSeparator() {
        let naming = BackendFixture.naming(.azureKeyVault)
        #expect(naming.lookupName(for: .connection("smtp_default")) == .name("airflow-connections-smtp-default"))
    }

    @Test func theWholeNameIsRewrittenPrefixIncluded() {
        let naming = BackendFixture.naming(.azureKeyVault, #"{"connections_prefix": "airflow_connections-"}"#)
        #expect(naming.lookupName(for: .connection("my_db")) == .name("airflow-connections-my-db"))
    }

    @Test func anEmptyPrefixUsesTheIdAlone() {
        let naming = BackendFixture.naming(.azureKeyVault, #"{"connections_prefix": "", "variables_prefix": ""}"#)
        #expect(naming.lookupName(for: .variable("my_var")) == .name("my-var"))
        #expect(naming.lookupName(for: .variable("x")) == .name("x"))
    }

    @Test func anEmptySeparatorDeletesUnderscores() {
        let naming = BackendFixture.naming(.azureKeyVault,
            #"{"connections_prefix": "", "variables_prefix": "", "sep": ""}"#)
        #expect(naming.lookupName(for: .variable("my_var")) == .name("myvar"))
    }

    @Test func namesOutsideTheKeyVaultAlphabetAreNotLookedUp() {
        let naming = BackendFixture.naming(.azureKeyVault)
        #expect(naming.lookupName(for: .variable("my.var")).isSkipped(mentioning: "1–127 letters, digits and '-'"))
        let underscoreSep = BackendFixture.naming(.azureKeyVault, #"{"sep": "_"}"#)
        #expect(underscoreSep.lookupName(for: .connection("my_db")).isSkipped(mentioning: "'_'"))
        let bare = BackendFixture.naming(.azureKeyVault, #"{"variables_prefix": ""}"#)
        #expect(bare.lookupName(for: .variable("")).isSkipped(mentioning: "empty"))
    }

    @Test func theLengthLimitIs127() {
        let naming = BackendFixture.naming(.azureKeyVault)
        let prefix = "airflow-variables-"  // 18 characters
        let fits = String(repeating: "a", count: 127 - prefix.count)
        let tooLong = fits + "a"
        #expect(naming.lookupName(for: .variable(fits)) == .name(prefix + fits))
        #expect(naming.lookupName(for: .variable(tooLong)).isSkipped(mentioning: "128 characters"))
    }

    @Test func reverseMappingKeepsTheNamesCharactersAndMatchingPairsThem() {
        let naming = BackendFixture.naming(.azureKeyVault)
        #expect(naming.id(fromName: "airflow-connections-my-db", kind: .connection) == "my-db")
        #expect(naming.matches(name: "airflow-connections-my-db", key: .connection("my_db")))
        #expect(naming.matches(name: "airflow-connections-my-db", key: .connection("my-db")))
        #expect(!naming.matches(name: "airflow-connections-my-db", key: .connection("mydb")))
        #expect(naming.id(fromName: "airflow-variables-x", kind: .connection) == nil)
        #expect(naming.listingPrefix(for: .connection) == "airflow-connections-")
    }
}

@Suite("Backend naming: HashiCorp Vault")
struct VaultNamingTests {
    @Test func defaultsAreMountSecretKV2() {
        let naming = BackendFixture.naming(.vault)
        let key = SecretKey.connection("smtp_default")
        #expect(naming.lookupName(for: key) == .name("secret/connections/smtp_default"))
        #expect(naming.vaultAPIPath(for: key) == "/v1/secret/data/connections/smtp_default")
        #expect(naming.vaultLocations(for: key) == [
            VaultSecretLocation(mount: "secret", path: "connections/smtp_default", kvEngineVersion: 2),
        ])
    }

    @Test func kvVersion1HasNoDataSegment() {
        let naming = BackendFixture.naming(.vault, #"{"kv_engine_version": 1}"#)
        #expect(naming.vaultAPIPath(for: .connection("smtp_default")) == "/v1/secret/connections/smtp_default")
        #expect(naming.lookupName(for: .connection("smtp_default")) == .name("secret/connections/smtp_default"))
    }

    @Test func mountAndPathsAreConfigurableAndTrailingSlashesStripped() {
        let naming = BackendFixture.naming(.vault, #"{"mount_point": "airflow", "connections_path": "conns/"}"#)
        #expect(naming.lookupName(for: .connection("x")) == .name("airflow/conns/x"))
        #expect(naming.vaultAPIPath(for: .variable("x")) == "/v1/airflow/data/variables/x")
    }

    @Test func aNullMountTakesTheMountFromTheKey() {
        let naming = BackendFixture.naming(.vault, #"{"mount_point": null}"#)
        #expect(naming.lookupName(for: .connection("kv/my_db")) == .name("kv/connections/my_db"))
        #expect(naming.vaultAPIPath(for: .connection("kv/my_db")) == "/v1/kv/data/connections/my_db")
        #expect(naming.lookupName(for: .connection("my_db")).isSkipped(mentioning: "<mount>/<path>"))
        #expect(naming.id(fromName: "kv/connections/my_db", kind: .connection) == "kv/my_db")
        // An empty mount_point behaves the same, and only the first segment is the mount.
        let empty = BackendFixture.naming(.vault, #"{"mount_point": ""}"#)
        #expect(empty.vaultAPIPath(for: .connection("kv/team/my_db")) == "/v1/kv/data/connections/team/my_db")
        // A key starting with '/' has an empty mount, so the base path becomes the mount.
        #expect(naming.vaultAPIPath(for: .connection("/x")) == "/v1/connections/data/x")
        let kv1 = BackendFixture.naming(.vault, #"{"mount_point": null, "kv_engine_version": 1, "connections_path": ""}"#)
        #expect(kv1.vaultAPIPath(for: .connection("kv/x")) == "/v1/kv/x")
    }

    @Test func anEmptyBasePathPutsKeysAtTheMountRoot() {
        let naming = BackendFixture.naming(.vault, #"{"connections_path": ""}"#)
        #expect(naming.lookupName(for: .connection("my_db")) == .name("secret/my_db"))
        #expect(naming.vaultAPIPath(for: .connection("my_db")) == "/v1/secret/data/my_db")
    }

    @Test func aListOfPathsIsTriedInOrder() {
        let naming = BackendFixture.naming(.vault, #"{"connections_path": ["a", "b/"]}"#)
        #expect(naming.lookupCandidates(for: .connection("my_db")) == [.name("secret/a/my_db"), .name("secret/b/my_db")])
        #expect(naming.lookupName(for: .connection("my_db")) == .name("secret/a/my_db"))
        #expect(naming.vaultLocations(for: .connection("my_db")).map(\.apiPath)
            == ["/v1/secret/data/a/my_db", "/v1/secret/data/b/my_db"])
        #expect(naming.id(fromName: "secret/b/my_db", kind: .connection) == "my_db")
    }

    @Test func nullOrEmptyPathsDisableTheKind() {
        #expect(BackendFixture.naming(.vault, #"{"connections_path": null}"#)
            .lookupName(for: .connection("x")).isSkipped(mentioning: "connections_path is null"))
        #expect(BackendFixture.naming(.vault, #"{"connections_path": []}"#)
            .lookupName(for: .connection("x")).isSkipped(mentioning: "empty list"))
    }

    @Test func apiPathsArePercentEncodedAndDoubleSlashesCollapsed() {
        let naming = BackendFixture.naming(.vault)
        #expect(naming.vaultAPIPath(for: .connection("my db/ü?x")) == "/v1/secret/data/connections/my%20db/%C3%BC%3Fx")
        #expect(naming.vaultAPIPath(for: .connection("a//b")) == "/v1/secret/data/connections/a/b")
        #expect(naming.lookupName(for: .connection("my db/ü?x")) == .name("secret/connections/my db/ü?x"))
    }

    @Test func theSchemeNamesMountPathAndEngine() {
        let scheme = BackendFixture.naming(.vault).scheme
        #expect(scheme.summary == "conns secret/connections/<id>   vars secret/variables/<key>")
        #expect(scheme.notes.contains("KV v2: hvac requests GET /v1/<mount>/data/<path>"))
    }

    @Test func aStringEngineVersionStopsAirflow() {
        // A …_KWARG__KV_ENGINE_VERSION override is always a string: "2" is not in {1, 2}.
        let configuration = BackendFixture.configuration(.vault, #"{"kv_engine_version": "2", "token": "t"}"#)
        let report = BackendReport(configuration: configuration, environment: DeploymentEnvironment(), version: .v3)
        #expect(report.fatalProblems.contains { $0.contains("kv_engine_version must be 1 or 2") })
    }
}

@Suite("Backend naming: local files and unknown classes")
struct LocalAndUnknownNamingTests {
    @Test func theIdIsTheKeyInTheFile() {
        let naming = BackendFixture.naming(.localFilesystem,
            #"{"variables_file_path": "/files/vars.json", "connections_file_path": "/files/conns.yaml"}"#)
        #expect(naming.lookupName(for: .variable("my_var")) == .name("my_var"))
        #expect(naming.lookupName(for: .connection("my.db/x")) == .name("my.db/x"))
        #expect(naming.id(fromName: "anything", kind: .variable) == "anything")
        #expect(naming.scheme.connections == "<id> in /files/conns.yaml")
    }

    @Test func aKindWithoutAFileIsNotLookedUp() {
        let naming = BackendFixture.naming(.localFilesystem, #"{"variables_file_path": "/files/vars.json"}"#)
        #expect(naming.lookupName(for: .connection("db")).isSkipped(mentioning: "connections_file_path is not set"))
        #expect(naming.id(fromName: "db", kind: .connection) == nil)
        let emptyPath = BackendFixture.naming(.localFilesystem, #"{"variables_file_path": ""}"#)
        #expect(emptyPath.lookupName(for: .variable("v")).isSkipped)
    }

    @Test func anUnknownClassHasNoNames() throws {
        let settings = BackendFixture.settings(["AIRFLOW__SECRETS__BACKEND": "my_company.secrets.Backend"])
        let configuration = try #require(settings.secrets)
        let naming = BackendNaming(configuration: configuration)
        #expect(naming.lookupName(for: .variable("v")).isSkipped(mentioning: "my_company.secrets.Backend"))
        #expect(naming.id(fromName: "v", kind: .variable) == nil)
    }
}
