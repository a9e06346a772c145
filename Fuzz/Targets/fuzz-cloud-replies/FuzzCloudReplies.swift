import Foundation
import Engine
import CloudBackends
import RemoteSupport
import FuzzSupport

/// Google Cloud Secret Manager and Azure Key Vault replies (listings, secret versions and
/// bundles, error documents, Key Vault's 401 challenge) from a scripted server; token
/// endpoints answer with a fixed token so the script is spent on the decoders. The input's
/// first byte picks the tier (even: GCP, odd: Azure), which loads; the rest is the script.
/// Checks: no crash, only `TierError`s from `load()`, a bounded number of requests.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCloudReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let (choice, script) = FuzzInput.choice(data, size, of: 2)
    let backend = choice == 0 ? gcpDeployment : azureDeployment
    let provider = CloudTierProvider(transport: { _ in ScriptedTransport(script: script, fixedReply: tokenReply) },
                                     retry: RetryPolicy(maxAttempts: 2, baseDelay: .zero, maxDelay: .milliseconds(1), jitter: false),
                                     concurrency: 1)
    runBlocking {
        do {
            let source = try provider.makeSource(configuration: backend.configuration, deployment: backend.deployment, tier: .backend,
                                                 dialect: .core)
            await RemoteTierRun.exercise(source, what: backend.configuration.classPath)
        } catch {
            FuzzCheck.fail("the cloud tier cannot be made (\(type(of: error)))")
        }
    }
    return 0
}

/// The deployments, read once: their settings are fixed, only the server's replies vary.
private let gcpDeployment = cloudDeployment(gcp)
private let azureDeployment = cloudDeployment(azure)

private func cloudDeployment(_ backend: (backendClass: String, kwargs: String, env: [String: String]))
    -> (configuration: BackendConfiguration, deployment: Deployment) {
    guard let settings = RemoteTierRun.deployment(backendClass: backend.backendClass, kwargs: backend.kwargs, env: backend.env) else {
        FuzzCheck.fail("the cloud settings do not read")
    }
    return settings
}

private let gcp = (
    backendClass: "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend",
    kwargs: #"{"connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables", "project_id": "fuzz"}"#,
    env: ["GCE_METADATA_HOST": "metadata.fuzz", "STRATA_GCP_SECRET_MANAGER_ENDPOINT": "https://secretmanager.fuzz"]
)

private let azure = (
    backendClass: "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend",
    kwargs: #"{"connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables", "#
        + #""vault_url": "https://fuzz.vault.azure.net", "verify_challenge_resource": false}"#,
    env: ["AZURE_CLIENT_ID": "fuzz-client", "AZURE_TENANT_ID": "fuzz-tenant", "AZURE_CLIENT_SECRET": "fuzz-secret",
          "AZURE_AUTHORITY_HOST": "https://login.fuzz"]
)

/// A valid token for the metadata server and Entra ID; everything else is scripted.
@Sendable private func tokenReply(_ request: HTTPRequest) -> HTTPResponse? {
    guard let host = request.url.host, host == "metadata.fuzz" || host == "login.fuzz" else { return nil }
    let body = #"{"access_token": "fuzz-access-token", "expires_in": 3600, "token_type": "Bearer"}"#
    return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_cloud_replies_main")
public func fuzzCloudRepliesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzCloudReplies($0, $1) }
}
