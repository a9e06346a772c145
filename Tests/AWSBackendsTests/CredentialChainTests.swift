import Foundation
import Testing
import Engine
@testable import AWSBackends

/// Credentials, region and endpoints resolved in boto3's order, from the deployment alone.
@Suite("AWS credential chain and endpoints")
struct CredentialChainTests {
    let smClass = Moto.secretsManagerClass

    func settings(_ kwargs: [String: Any], env: [String: String], home: URL = URL(fileURLWithPath: "/nonexistent-home"),
                  version: AirflowVersion = .v3, family: String? = nil) throws -> AWSBackendSettings {
        var all = env
        all["AIRFLOW__SECRETS__BACKEND"] = family ?? smClass
        all["AIRFLOW__SECRETS__BACKEND_KWARGS"] = try Moto.json(kwargs)
        let deployment = Deployment(name: "d", airflowVersion: version, environment: DeploymentEnvironment(all))
        return try AWSBackendSettings(configuration: try AWSFixtures.configuration(deployment), deployment: deployment,
                                      homeDirectory: home)
    }

    func keys(_ plan: AWSCredentialPlan) -> AWSCredentials? {
        if case .keys(let keys) = plan { return keys }
        return nil
    }

    func home(credentials: String = "", config: String = "") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(Moto.unique("home-"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try credentials.write(to: dir.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8)
        try config.write(to: dir.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func kwargKeysWinOverTheEnvironment() throws {
        let s = try settings(["aws_access_key_id": "AKIAKWARG", "aws_secret_access_key": "kw-secret", "aws_session_token": "tok",
                              "region_name": "eu-west-1"],
                             env: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_DEFAULT_REGION": "us-east-2"])
        #expect(keys(s.credentials)?.accessKeyID == "AKIAKWARG")
        #expect(keys(s.credentials)?.sessionToken == "tok")
        #expect(s.region == "eu-west-1")
        #expect(s.regionSource == "region_name kwarg")
        #expect(s.endpoint.absoluteString == "https://secretsmanager.eu-west-1.amazonaws.com")
    }

    @Test func theDeploymentsEnvironmentIsUsedNeverStrataProcessEnvironment() throws {
        let s = try settings([:], env: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                                        "AWS_SESSION_TOKEN": "t", "AWS_DEFAULT_REGION": "ap-south-1"])
        #expect(keys(s.credentials)?.accessKeyID == "AKIAENV")
        #expect(keys(s.credentials)?.source == "env keys")
        #expect(s.region == "ap-south-1")
        // Strata's own process may hold AWS keys; a deployment without any must not pick them up.
        #expect(throws: AWSSetupError.self) { try settings([:], env: ["AWS_DEFAULT_REGION": "ap-south-1"]) }
    }

    @Test func profilesComeFromTheSharedFilesAndAnExplicitProfileSkipsEnvironmentKeys() throws {
        let home = try home(credentials: "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n\n[dev]\n"
                                + "aws_access_key_id=AKIADEV\naws_secret_access_key=dev-secret\n",
                            config: "[default]\nregion = us-west-2\n[profile dev]\nregion = eu-central-1\n  s3 =\n    max = 1\n")
        let envKeys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]
        let explicit = try settings(["profile_name": "dev"], env: envKeys, home: home)
        #expect(keys(explicit.credentials)?.accessKeyID == "AKIADEV")
        #expect(explicit.region == "eu-central-1")
        // AWS_PROFILE is not explicit: environment keys still win, the profile still gives the region.
        let viaEnv = try settings([:], env: envKeys.merging(["AWS_PROFILE": "dev"]) { $1 }, home: home)
        #expect(keys(viaEnv.credentials)?.accessKeyID == "AKIAENV")
        #expect(viaEnv.region == "eu-central-1")
        let fallback = try settings([:], env: [:], home: home)
        #expect(keys(fallback.credentials)?.accessKeyID == "AKIADEFAULT")
        #expect(fallback.region == "us-west-2")
        let error = #expect(throws: AWSSetupError.self) { try settings(["profile_name": "nope"], env: [:], home: home) }
        #expect(error?.message.contains("ProfileNotFound") == true)
    }

    @Test func theSharedFileLocationsComeFromTheDeployment() throws {
        let elsewhere = try home(credentials: "[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = ci\n",
                                 config: "[profile ci]\nregion = sa-east-1\n")
        let s = try settings([:], env: ["AWS_SHARED_CREDENTIALS_FILE": elsewhere.appendingPathComponent(".aws/credentials").path,
                                        "AWS_CONFIG_FILE": elsewhere.appendingPathComponent(".aws/config").path,
                                        "AWS_PROFILE": "ci"])
        #expect(keys(s.credentials)?.accessKeyID == "AKIACI")
        #expect(s.region == "sa-east-1")
    }

    @Test func aProfileRoleIsAssumedWithItsSourceProfile() throws {
        let home = try home(credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n",
                            config: "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n"
                                + "region = eu-west-3\nexternal_id = ext\n")
        let s = try settings(["profile_name": "admin"], env: [:], home: home)
        guard case .profileRole(let source, let role, let profile) = s.credentials else { Issue.record("expected a role"); return }
        #expect(source.accessKeyID == "AKIABASE")
        #expect(role.roleARN == "arn:aws:iam::123456789012:role/admin")
        #expect(role.parameters["ExternalId"] == .string("ext"))
        #expect(profile == "admin")
        #expect(role.stsEndpoint.absoluteString == "https://sts.eu-west-3.amazonaws.com")
    }

    @Test(arguments: ["1e300", "99999999999999999999", "-1", "899", "43201", "soon"])
    func aProfilesDurationSecondsOutsideWhatSTSTakesIsASetupError(_ value: String) throws {
        let home = try home(credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n",
                            config: "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n"
                                + "region = eu-west-3\nduration_seconds = \(value)\n")
        let error = #expect(throws: AWSSetupError.self) { _ = try settings(["profile_name": "admin"], env: [:], home: home) }
        #expect(error?.message.contains("duration_seconds") == true)
        #expect(error?.message.contains("from 900 to 43200") == true)
    }

    @Test func aProfilesDurationSecondsInRangeIsPassedToSTS() throws {
        let home = try home(credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n",
                            config: "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n"
                                + "region = eu-west-3\nduration_seconds = 3600\n")
        let s = try settings(["profile_name": "admin"], env: [:], home: home)
        guard case .profileRole(_, let role, _) = s.credentials else { Issue.record("expected a role"); return }
        #expect(role.parameters["DurationSeconds"] == .integer("3600"))
    }

    @Test func roleArnInTheKwargsUsesTheProvidersSessionNameAndNeverTheServiceEndpointForSTS() throws {
        let s = try settings(["role_arn": "arn:aws:iam::1:role/r", "region_name": "eu-west-1", "endpoint_url": "http://sm.local:1",
                              "assume_role_kwargs": ["DurationSeconds": 900]],
                             env: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"])
        let role = try #require(s.role)
        #expect(role.sessionName == "airflow_secretsmanagerbackend__connection")
        #expect(role.parameters["DurationSeconds"] == .integer("900"))
        #expect(role.stsEndpoint.absoluteString == "https://sts.eu-west-1.amazonaws.com")
        #expect(s.endpoint.absoluteString == "http://sm.local:1")
    }

    @Test func endpointOverridesFollowBotocoresOrder() throws {
        let base = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "s", "AWS_DEFAULT_REGION": "us-east-1"]
        let specific = try settings([:], env: base.merging(["AWS_ENDPOINT_URL": "http://all:1",
                                                            "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://sm:2",
                                                            "AWS_ENDPOINT_URL_STS": "http://sts:3"]) { $1 })
        #expect(specific.endpoint.absoluteString == "http://sm:2")
        let ssm = try settings([:], env: base.merging(["AWS_ENDPOINT_URL": "http://all:1", "AWS_ENDPOINT_URL_SSM": "http://ssm:4"]) { $1 },
                               family: Moto.ssmClass)
        #expect(ssm.endpoint.absoluteString == "http://ssm:4")
        let global = try settings(["role_arn": "arn:aws:iam::1:role/r"],
                                  env: base.merging(["AWS_ENDPOINT_URL": "http://all:1", "AWS_ENDPOINT_URL_STS": "http://sts:3"]) { $1 })
        #expect(global.endpoint.absoluteString == "http://all:1")
        #expect(global.role?.stsEndpoint.absoluteString == "http://sts:3")
        let ignored = try settings([:], env: base.merging(["AWS_ENDPOINT_URL": "http://all:1",
                                                           "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 })
        #expect(ignored.endpoint.absoluteString == "https://secretsmanager.us-east-1.amazonaws.com")
        #expect(throws: AWSSetupError.self) { try settings(["endpoint_url": "not a url"], env: base) }
    }

    @Test func aMissingOrInvalidRegionIsAClearSetupError() throws {
        let keys = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "s"]
        let missing = #expect(throws: AWSSetupError.self) { try settings([:], env: keys) }
        #expect(missing?.message.contains("NoRegionError") == true)
        let invalid = #expect(throws: AWSSetupError.self) { try settings(["region_name": "eu west"], env: keys) }
        #expect(invalid?.message.contains("not a valid AWS region") == true)
        let awsRegion = try settings([:], env: keys.merging(["AWS_REGION": "eu-north-1"]) { $1 })
        #expect(awsRegion.region == "eu-north-1")
        #expect(awsRegion.warnings.contains { $0.contains("boto3 ignores") })
    }

    @Test func extraConnWordsMustNameConnectionFields() throws {
        let env = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "s", "AWS_DEFAULT_REGION": "us-east-1"]
        let ok = try settings(["extra_conn_words": ["user": ["usr"], "host": ["endpoint"]]], env: env)
        #expect(Set(ok.extraConnWords.map(\.field)) == ["login", "host"])   // user is an alias of login
        let bad = #expect(throws: AWSSetupError.self) { try settings(["extra_conn_words": ["hostname": ["h"]]], env: env) }
        #expect(bad?.message.contains("KeyError") == true)
    }

    @Test func settingsErrorsNeverQuoteSecrets() throws {
        let error = #expect(throws: AWSSetupError.self) {
            try settings(["aws_secret_access_key": "top-secret-value"], env: [:])
        }
        #expect(error?.message.contains("top-secret-value") == false)
    }
}
