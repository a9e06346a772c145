import Foundation
import Engine
import CloudBackends
import FuzzSupport

/// Google Cloud Secret Manager and Azure Key Vault replies (listings, secret versions and
/// bundles, error documents, Key Vault's 401 challenge) from a scripted server; token
/// endpoints answer with a fixed token so the script is spent on the decoders. Both tiers load,
/// each from the start of the script. Checks: no crash, only `TierError`s from `load()`, a
/// bounded number of requests.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCloudReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let script = FuzzInput.bytes(data, size)
    runBlocking {
        for backend in [gcp, azure] {
            guard let settings = RemoteTierRun.deployment(backendClass: backend.backendClass,
                                                                             kwargs: backend.kwargs, env: backend.env) else {
                FuzzCheck.fail("the cloud settings do not read")
            }
            let provider = CloudTierProvider(transport: { _ in ScriptedTransport(script: script, fixedReply: tokenReply) },
                                             retry: CloudRetryPolicy(maxAttempts: 2, baseDelay: .zero, maxDelay: .milliseconds(1)),
                                             concurrency: 1)
            do {
                let source = try provider.makeSource(configuration: settings.configuration, deployment: settings.deployment, tier: .backend,
                                                     dialect: .core)
                await RemoteTierRun.exercise(source, what: backend.backendClass)
            } catch {
                FuzzCheck.fail("the cloud tier cannot be made (\(type(of: error)))")
            }
        }
    }
    return 0
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
