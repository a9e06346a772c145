import Engine
import Foundation
import Testing

@Suite("Backend report: masked kwargs, unknown kwargs, auth, problems")
struct BackendReportTests {
    func report(_ family: BackendFamily, _ kwargs: String, env: [String: String] = [:],
                version: AirflowVersion = .v3) -> BackendReport {
        var variables = env
        variables["AIRFLOW__SECRETS__BACKEND"] = family.classPath
        variables["AIRFLOW__SECRETS__BACKEND_KWARGS"] = kwargs
        let environment = DeploymentEnvironment(variables)
        let settings = BackendConfiguration.read(from: environment, version: version)
        return settings.reports(environment: environment, version: version)[0]
    }

    /// Every text a user or script can see: the text lines and the JSON encoding.
    func visibleText(_ report: BackendReport) throws -> String {
        let json = try JSONEncoder().encode(report)
        return report.textLines.joined(separator: "\n") + "\n" + String(decoding: json, as: UTF8.self)
    }

    @Test func noSecretKwargValueAppearsAnywhereInTheReport() throws {
        let secrets = ["hvs.TOKEN-aaaa1111", "approle-secret-bbbb2222", "userpass-cccc3333",
                       "proxy-pass-dddd4444", "api-token-eeee5555", "radius-ffff6666"]
        let vault = report(.vault, """
            {"auth_type": "approle", "role_id": "astro_role", "secret_id": "\(secrets[1])", "token": "\(secrets[0])",
             "password": "\(secrets[2])", "proxies": {"https": "http://user:\(secrets[3])@proxy:3128"},
             "radius_secret": "\(secrets[5])", "my_api_token": "\(secrets[4])"}
            """)
        let text = try visibleText(vault)
        for secret in secrets { #expect(!text.contains(secret), "a secret kwarg value leaked") }
        #expect(text.contains("astro_role"), "non-secret values stay visible")
        let secretID = try #require(vault.kwargs.first { $0.name == "secret_id" })
        #expect(secretID.value == "***" && secretID.masked)
        let proxies = try #require(vault.kwargs.first { $0.name == "proxies" })
        #expect(proxies.masked)

        let aws = report(.secretsManager, #"""
            {"aws_access_key_id": "AKIAEXAMPLE", "aws_secret_access_key": "wJalr-SECRET-9999",
             "aws_session_token": "session-SECRET-8888", "session_kwargs": {"aws_secret_access_key": "nested-SECRET-7777"}}
            """#)
        let awsText = try visibleText(aws)
        for secret in ["wJalr-SECRET-9999", "session-SECRET-8888", "nested-SECRET-7777"] {
            #expect(!awsText.contains(secret), "an AWS secret leaked")
        }
        #expect(awsText.contains("AKIAEXAMPLE"))

        let gcp = report(.gcpSecretManager, #"""
            {"gcp_keyfile_dict": {"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----GCP-SECRET-6666"},
             "project_id": "my-project"}
            """#)
        #expect(!(try visibleText(gcp)).contains("GCP-SECRET-6666"))
        #expect(!(try visibleText(gcp)).contains("service_account"), "the whole key file is masked")

        let azure = report(.azureKeyVault, #"""
            {"vault_url": "https://v.vault.azure.net/", "tenant_id": "t", "client_id": "c", "client_secret": "AZ-SECRET-5555"}
            """#)
        #expect(!(try visibleText(azure)).contains("AZ-SECRET-5555"))
        #expect(azure.auth == "client secret (kwargs) for client c")
    }

    @Test func emptySecretsAreShownAsEmptyNotMasked() throws {
        let azure = report(.azureKeyVault, #"{"vault_url": "https://v.vault.azure.net/", "client_secret": ""}"#)
        let secret = try #require(azure.kwargs.first { $0.name == "client_secret" })
        #expect(secret.value == "\"\"")
        #expect(!secret.masked)
    }

    @Test func unknownKwargsAreClassifiedByWhatTheClassDoesWithThem() throws {
        let local = report(.localFilesystem, #"{"variables_file_path": "v.json", "foo": 1}"#)
        #expect(local.unknownKwargs == ["foo"])
        #expect(!local.airflowStarts)
        #expect(local.fatalProblems.contains { $0.contains("kwarg foo") && $0.contains("TypeError") })

        let gcp = report(.gcpSecretManager, #"{"project_id": "p", "region": "eu"}"#)
        #expect(gcp.unknownKwargs == ["region"])
        #expect(gcp.fatalProblems.contains { $0.contains("LoggingMixin") })

        let vault = report(.vault, #"{"token": "t", "namespace": "admin", "bogus": 1}"#)
        #expect(vault.unknownKwargs == ["bogus"])
        #expect(vault.airflowStarts)
        #expect(vault.warnings.contains { $0.contains("kwarg bogus") && $0.contains("falls through") })
        #expect(vault.kwargs.first { $0.name == "namespace" }?.disposition == .passedToClient)

        let sm = report(.secretsManager, #"{"full_url_mode": false, "region_name": "eu-west-1", "flavour": "x"}"#)
        #expect(sm.unknownKwargs == ["full_url_mode", "flavour"])
        #expect(sm.kwargs.first { $0.name == "full_url_mode" }?.note.contains("removed in 9.0") == true)
        #expect(sm.kwargs.first { $0.name == "region_name" }?.disposition == .passedToClient)

        let ssm = report(.ssmParameterStore, #"{"sep": "-"}"#)
        #expect(ssm.unknownKwargs == ["sep"])
        #expect(ssm.kwargs[0].disposition == .ignored)

        let azure = report(.azureKeyVault, #"{"vault_url": "https://v", "api_version": "7.4"}"#)
        #expect(azure.unknownKwargs.isEmpty)
    }

    @Test func configsFilePathNeedsAirflow3() {
        let v2 = report(.localFilesystem, #"{"configs_file_path": "c.json"}"#, version: .v2)
        #expect(!v2.airflowStarts)
        let v3 = report(.localFilesystem, #"{"configs_file_path": "c.json"}"#)
        #expect(v3.airflowStarts)
    }

    @Test func vaultAuthIsDescribedAndItsStartupChecksApplied() {
        #expect(report(.vault, #"{"auth_type": "approle", "role_id": "astro_role", "secret_id": "s"}"#).auth
            == "AppRole role astro_role")
        let missingToken = report(.vault, "{}")
        #expect(!missingToken.airflowStarts)
        #expect(missingToken.fatalProblems.contains { $0.contains("'token' auth needs token, token_path or VAULT_TOKEN") })
        let envToken = report(.vault, "{}", env: ["VAULT_TOKEN": "x", "VAULT_ADDR": "https://vault:8200"])
        #expect(envToken.airflowStarts)
        #expect(envToken.auth == "token from VAULT_TOKEN")
        #expect(envToken.location == "https://vault:8200 (VAULT_ADDR)")
        let approleWithoutRole = report(.vault, #"{"auth_type": "approle"}"#)
        #expect(approleWithoutRole.fatalProblems.contains { $0.contains("'approle' auth needs role_id") })
        let badType = report(.vault, #"{"auth_type": "magic"}"#)
        #expect(badType.fatalProblems.contains { $0.contains("auth_type magic") })
        let k8s = report(.vault, #"{"auth_type": "kubernetes", "kubernetes_role": "airflow"}"#)
        #expect(k8s.auth == "Kubernetes role airflow")
        #expect(k8s.airflowStarts)
    }

    @Test func awsAuthComesFromKwargsThenTheEnvironment() {
        #expect(report(.secretsManager, "{}", env: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
                                                     "AWS_DEFAULT_REGION": "eu-west-1"]).auth
            == "env keys · region eu-west-1")
        #expect(report(.secretsManager, #"{"profile_name": "dev", "region_name": "us-east-2"}"#).auth
            == "profile dev · region us-east-2")
        let endpoint = report(.ssmParameterStore, #"{"endpoint_url": "http://127.0.0.1:5000", "region_name": "us-east-1"}"#)
        #expect(endpoint.location == "region us-east-1 · endpoint http://127.0.0.1:5000")
        #expect(report(.secretsManager, "{}").auth == "default credential chain (instance or pod role) · region not set")
    }

    @Test func gcpAndAzureAuth() {
        #expect(report(.gcpSecretManager, #"{"gcp_key_path": "/keys/sa.json"}"#).auth == "service account key file /keys/sa.json")
        #expect(report(.gcpSecretManager, "{}", env: ["GOOGLE_APPLICATION_CREDENTIALS": "/k.json"]).auth
            == "key file /k.json (GOOGLE_APPLICATION_CREDENTIALS)")
        #expect(report(.gcpSecretManager, #"{"project_id": "p"}"#).location == "project p")
        let noURL = report(.azureKeyVault, "{}")
        #expect(noURL.location == "vault_url not set")
        #expect(noURL.warnings.contains { $0.contains("vault_url is empty") })
    }

    @Test func sourcesSayWhereEachVariableWasSet() {
        var environment = DeploymentEnvironment()
        environment.set("AIRFLOW__SECRETS__BACKEND", BackendFamily.localFilesystem.classPath,
                        origin: .file(path: ".env", line: 3))
        environment.set("AIRFLOW__SECRETS__BACKEND_KWARGS", #"{"variables_file_path": "v.json"}"#,
                        origin: .file(path: ".env", line: 4))
        let reports = BackendConfiguration.read(from: environment, version: .v3)
            .reports(environment: environment, version: .v3)
        #expect(reports.count == 1)
        #expect(reports[0].sources == [ReportedSource(variable: "AIRFLOW__SECRETS__BACKEND", origin: ".env:3"),
                                       ReportedSource(variable: "AIRFLOW__SECRETS__BACKEND_KWARGS", origin: ".env:4")])
        #expect(reports[0].textLines.contains("from     AIRFLOW__SECRETS__BACKEND (.env:3), AIRFLOW__SECRETS__BACKEND_KWARGS (.env:4)"))
    }

    @Test func anUnknownClassStillReportsWhatItCan() throws {
        let environment = DeploymentEnvironment(["AIRFLOW__SECRETS__BACKEND": "my_company.secrets.Backend",
                                                 "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"url": "x", "password": "UNKNOWN-SECRET"}"#])
        let report = try #require(BackendConfiguration.read(from: environment, version: .v3)
            .reports(environment: environment, version: .v3).first)
        #expect(report.family == nil)
        #expect(report.displayName == "unknown backend")
        #expect(report.naming == nil)
        #expect(!(try visibleText(report)).contains("UNKNOWN-SECRET"))
        #expect(report.warnings.contains { $0.contains("Strata does not know the secrets backend class") })
    }

    @Test func aWorkersBackendGetsItsOwnReport() {
        let environment = DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": BackendFamily.secretsManager.classPath,
            "AIRFLOW__WORKERS__SECRETS_BACKEND": BackendFamily.vault.classPath,
            "AIRFLOW__WORKERS__SECRETS_BACKEND_KWARGS": #"{"token": "t"}"#,
        ])
        let reports = BackendConfiguration.read(from: environment, version: .v3).reports(environment: environment, version: .v3)
        #expect(reports.map(\.tier) == [.backend, .workersBackend])
        #expect(reports.map(\.family) == [.secretsManager, .vault])
        #expect(reports[1].textLines[0] == "backend  HashiCorp Vault (workers)")
    }
}
