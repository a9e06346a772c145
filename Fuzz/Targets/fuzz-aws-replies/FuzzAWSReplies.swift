import Foundation
import Engine
import RemoteSupport
import AWSBackends
import FuzzSupport

/// AWS replies (Secrets Manager ListSecrets / BatchGetSecretValue / GetSecretValue, SSM
/// GetParametersByPath / GetParameter, and their error documents) from a scripted server: both
/// tiers load and read single keys, each from the start of the script. Checks: no crash, only
/// `TierError`s from `load()`, a bounded number of requests.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAWSReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let script = FuzzInput.bytes(data, size)
    let env = ["AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIAFUZZFUZZFUZZFUZZ",
               "AWS_SECRET_ACCESS_KEY": "fuzz-secret-key", "AWS_ENDPOINT_URL": "http://aws.fuzz:4566"]
    let kwargs = #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}"#
    runBlocking {
        for backend in ["airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
                        "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"] {
            guard let settings = RemoteTierRun.deployment(backendClass: backend, kwargs: kwargs, env: env) else {
                FuzzCheck.fail("the AWS settings do not read")
            }
            let provider = AWSTierProvider(transport: { _ in ScriptedTransport(script: script) }, retry: oneQuickRetry, concurrency: 1,
                                           homeDirectory: URL(fileURLWithPath: "/nonexistent-fuzz-home"))
            do {
                let source = try provider.makeSource(configuration: settings.configuration, deployment: settings.deployment, tier: .backend,
                                                     dialect: .core)
                await RemoteTierRun.exercise(source, what: backend)
                let reader = try provider.makeSource(configuration: settings.configuration, deployment: settings.deployment, tier: .backend,
                                                     dialect: .sdk)
                for key in [SecretKey.variable("fuzz"), .connection("fuzz")] {
                    if let secrets = reader as? SecretsManagerTierSource {
                        do { _ = try await secrets.read(key) } catch {}
                    } else if let parameters = reader as? ParameterStoreTierSource {
                        do { _ = try await parameters.read(key) } catch {}
                    }
                }
            } catch {
                FuzzCheck.fail("the AWS tier cannot be made (\(type(of: error)))")
            }
        }
    }
    return 0
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_aws_replies_main")
public func fuzzAWSRepliesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzAWSReplies($0, $1) }
}

/// One retry without a real wait, so that `Retry-After` and the retry decision are read from
/// the script too; a backoff or `Retry-After` longer than 1 ms ends the retries.
private let oneQuickRetry = RetryPolicy(maxAttempts: 2, baseDelay: .zero, maxDelay: .milliseconds(1), jitter: false)
