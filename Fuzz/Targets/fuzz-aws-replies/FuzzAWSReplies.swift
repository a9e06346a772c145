import Foundation
import Engine
import RemoteSupport
import AWSBackends
import FuzzSupport

/// AWS replies (Secrets Manager ListSecrets / BatchGetSecretValue / GetSecretValue, SSM
/// GetParametersByPath / GetParameter, and their error documents) from a scripted server. The
/// input's first byte picks the case — Secrets Manager or SSM (even or odd), and the whole tier
/// loading, or one variable or one connection read (÷ 2, modulo 3) — and the rest is the
/// script. Checks: no crash, only `TierError`s from `load()`, a bounded number of requests.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAWSReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let (choice, script) = FuzzInput.choice(data, size, of: 6)
    let backend = choice % 2 == 0 ? secretsManager : parameterStore
    let provider = AWSTierProvider(transport: { _ in ScriptedTransport(script: script) }, retry: oneQuickRetry, concurrency: 1,
                                   homeDirectory: URL(fileURLWithPath: "/nonexistent-fuzz-home"))
    runBlocking {
        let source: any TierSource
        do {
            source = try provider.makeSource(configuration: backend.configuration, deployment: backend.deployment, tier: .backend,
                                             dialect: choice / 2 == 0 ? .core : .sdk)
        } catch {
            FuzzCheck.fail("the AWS tier cannot be made (\(type(of: error)))")
        }
        let key: SecretKey
        switch choice / 2 {
        case 0:
            await RemoteTierRun.exercise(source, what: backend.configuration.classPath)
            return
        case 1: key = .variable("fuzz")
        default: key = .connection("fuzz")
        }
        if let secrets = source as? SecretsManagerTierSource {
            do { _ = try await secrets.read(key) } catch {}
        } else if let parameters = source as? ParameterStoreTierSource {
            do { _ = try await parameters.read(key) } catch {}
        } else {
            FuzzCheck.fail("the AWS provider made a \(type(of: source))")
        }
    }
    return 0
}

/// The deployments, read once: their settings are fixed, only the server's replies vary.
private let secretsManager = awsDeployment("airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend")
private let parameterStore = awsDeployment("airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend")

private func awsDeployment(_ backendClass: String) -> (configuration: BackendConfiguration, deployment: Deployment) {
    let env = ["AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIAFUZZFUZZFUZZFUZZ",
               "AWS_SECRET_ACCESS_KEY": "fuzz-secret-key", "AWS_ENDPOINT_URL": "http://aws.fuzz:4566"]
    let kwargs = #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}"#
    guard let settings = RemoteTierRun.deployment(backendClass: backendClass, kwargs: kwargs, env: env) else {
        FuzzCheck.fail("the AWS settings do not read")
    }
    return settings
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_aws_replies_main")
public func fuzzAWSRepliesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzAWSReplies($0, $1) }
}

/// One retry without a real wait, so that `Retry-After` and the retry decision are read from
/// the script too; a backoff or `Retry-After` longer than 1 ms ends the retries.
private let oneQuickRetry = RetryPolicy(maxAttempts: 2, baseDelay: .zero, maxDelay: .milliseconds(1), jitter: false)
