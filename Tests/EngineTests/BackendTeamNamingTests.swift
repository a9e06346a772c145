import Engine
import Testing

// Expected names were checked against amazon 9.39.0, microsoft-azure 15.2.1 and hashicorp 4.8.4
// with AIRFLOW__CORE__MULTI_TEAM=True, by calling get_variable / get_conn_value with a team and
// recording the names handed to the (stubbed) service call. The google provider is not
// installed next to Airflow 3.3.2 here; its names follow the spec (§5.5).

extension BackendFixture {
    static func naming(_ family: BackendFamily, _ kwargs: String? = nil, teams: TeamLookup) -> BackendNaming {
        BackendNaming(configuration: configuration(family, kwargs), version: .v3, teams: teams)
    }
}

@Suite("Backend naming: multi-team")
struct BackendTeamNamingTests {
    static let teamA = TeamLookup(isMultiTeam: true, team: "team_a")
    static let noTeam = TeamLookup(isMultiTeam: true)

    @Test func secretsManagerAsksForTheTeamsNameThenTheGlobalOne() {
        let naming = BackendFixture.naming(.secretsManager, teams: Self.teamA)
        #expect(naming.lookupCandidates(for: .variable("my_key"))
                == [.name("airflow/variables/team_a--my_key"), .name("airflow/variables/my_key")])
        #expect(naming.lookupName(for: .variable("my_key")) == .name("airflow/variables/team_a--my_key"))
        #expect(naming.globalLookupName(for: .variable("my_key")) == .name("airflow/variables/my_key"))
        #expect(naming.id(fromName: "airflow/variables/team_a--my_key", kind: .variable) == "my_key")
    }

    @Test func secretsManagerWithAnEmptyPrefixHasNoTeamName() {
        let naming = BackendFixture.naming(.secretsManager, #"{"variables_prefix": ""}"#, teams: Self.teamA)
        #expect(naming.lookupCandidates(for: .variable("k")) == [.name("k")])
        #expect(naming.globalLookupName(for: .variable("k")) == nil)
    }

    @Test func awsRefusesIdsWithTheTeamSeparatorTeamOrNoTeam() {
        for family in [BackendFamily.secretsManager, .ssmParameterStore] {
            for teams in [Self.teamA, Self.noTeam] {
                let naming = BackendFixture.naming(family, teams: teams)
                #expect(naming.lookupName(for: .variable("a--b")).isSkipped(mentioning: "'--'"))
                #expect(naming.globalLookupName(for: .variable("a--b")) == nil)
            }
            #expect(!BackendFixture.naming(family, teams: .off).lookupName(for: .variable("a--b")).isSkipped)
        }
    }

    @Test func ssmAsksForTheTeamsNameThenTheGlobalOne() {
        let naming = BackendFixture.naming(.ssmParameterStore, teams: Self.teamA)
        #expect(naming.lookupCandidates(for: .connection("my_key"))
                == [.name("/airflow/connections/team_a--my_key"), .name("/airflow/connections/my_key")])
        #expect(naming.id(fromName: "/airflow/connections/team_a--my_key", kind: .connection) == "my_key")
    }

    @Test func aLookupPatternStillDecidesBothNames() {
        let naming = BackendFixture.naming(.secretsManager, #"{"variables_lookup_pattern": "^prod_"}"#, teams: Self.teamA)
        #expect(naming.lookupName(for: .variable("dev_x")).isSkipped(mentioning: "variables_lookup_pattern"))
        #expect(naming.lookupName(for: .variable("prod_x")) == .name("airflow/variables/team_a--prod_x"))
    }

    @Test func keyVaultNormalisesTheTeamAndTheId() {
        let naming = BackendFixture.naming(.azureKeyVault, teams: Self.teamA)
        #expect(naming.lookupCandidates(for: .variable("my_key"))
                == [.name("airflow-variables-team-a--my-key"), .name("airflow-variables-my-key")])
        #expect(naming.id(fromName: "airflow-variables-team-a--my-key", kind: .variable) == "my-key")
    }

    @Test(arguments: ["a__b", "a--b", "a_-b"])
    func keyVaultRefusesIdsWhoseNormalFormHoldsTheSeparator(id: String) {
        #expect(BackendFixture.naming(.azureKeyVault, teams: Self.noTeam).lookupName(for: .variable(id)).isSkipped(mentioning: "'--'"))
        #expect(BackendFixture.naming(.azureKeyVault, teams: Self.teamA).lookupName(for: .variable(id)).isSkipped(mentioning: "'--'"))
        #expect(!BackendFixture.naming(.azureKeyVault, teams: .off).lookupName(for: .variable(id)).isSkipped(mentioning: "'--'"))
    }

    @Test func gcpAsksForTheTeamsNameThenTheGlobalOne() {
        let naming = BackendFixture.naming(.gcpSecretManager, teams: Self.teamA)
        #expect(naming.lookupCandidates(for: .variable("my_key"))
                == [.name("airflow-variables-team_a--my_key"), .name("airflow-variables-my_key")])
    }

    @Test func vaultReadsTheTeamsPathOnly() {
        let naming = BackendFixture.naming(.vault, teams: Self.teamA)
        #expect(naming.lookupCandidates(for: .variable("my_key")) == [.name("secret/variables/team_a/my_key")])
        #expect(naming.globalLookupName(for: .variable("my_key")) == nil, "no global fallback: list the shared path instead")
        #expect(naming.vaultLocations(for: .variable("my_key")).map(\.apiPath) == ["/v1/secret/data/variables/team_a/my_key"])
        // A nested key is fine for a caller with a team: it stays under <base>/<team>.
        #expect(naming.lookupName(for: .variable("a/b")) == .name("secret/variables/team_a/a/b"))
    }

    @Test func vaultScopesEveryBasePathAndAnEmptyOne() {
        let naming = BackendFixture.naming(.vault, #"{"variables_path": ["variables", ""]}"#, teams: Self.teamA)
        #expect(naming.lookupCandidates(for: .variable("k"))
                == [.name("secret/variables/team_a/k"), .name("secret/team_a/k")])
    }

    @Test func vaultRefusesNestedKeysWithoutATeam() {
        let naming = BackendFixture.naming(.vault, teams: Self.noTeam)
        #expect(naming.lookupName(for: .variable("a/b")).isSkipped(mentioning: "'/'"))
        #expect(naming.lookupName(for: .variable("ab")) == .name("secret/variables/ab"))
        let mountPerKey = BackendFixture.naming(.vault, #"{"mount_point": null}"#, teams: Self.noTeam)
        #expect(mountPerKey.lookupName(for: .variable("kv/ab")) == .name("kv/variables/ab"), "the mount segment does not count")
        #expect(mountPerKey.lookupName(for: .variable("kv/a/b")).isSkipped(mentioning: "'/'"))
    }

    @Test func vaultWithoutTeamPathsIgnoresTheTeam() {
        let naming = BackendFixture.naming(.vault, #"{"use_team_secrets_path": false, "variables_path": ["variables", "common"]}"#,
                                           teams: Self.teamA)
        #expect(naming.lookupCandidates(for: .variable("k")) == [.name("secret/variables/k"), .name("secret/common/k")])
        let noTeam = BackendFixture.naming(.vault, #"{"use_team_secrets_path": false}"#, teams: Self.noTeam)
        #expect(noTeam.lookupName(for: .variable("a/b")) == .name("secret/variables/a/b"))
    }

    @Test func localFilesIgnoreTeams() {
        let naming = BackendFixture.naming(.localFilesystem, #"{"variables_file_path": "v.json"}"#, teams: Self.teamA)
        #expect(naming.lookupCandidates(for: .variable("a--b___c")) == [.name("a--b___c")])
    }
}
