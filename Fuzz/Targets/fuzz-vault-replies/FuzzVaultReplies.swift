import Foundation
import Engine
import RemoteSupport
import VaultBackend
import FuzzSupport

/// Vault / OpenBao replies (mount lookups, KV v1 and v2 LIST pages, secret reads) from a
/// scripted server: the whole tier loads (and reads single keys) on KV v2 and on KV v1, each
/// from the start of the script. Checks: no crash, only `TierError`s from `load()`, a bounded
/// number of requests.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVaultReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let script = FuzzInput.bytes(data, size)
    runBlocking {
        for version in [2, 1] {
            let kwargs = #"{"url": "http://vault.fuzz:8200", "token": "fuzz-token", "mount_point": "secret", "#
                + #""kv_engine_version": \#(version)}"#
            guard let settings = RemoteTierRun.deployment(
                backendClass: "airflow.providers.hashicorp.secrets.vault.VaultBackend", kwargs: kwargs) else {
                FuzzCheck.fail("the Vault settings do not read")
            }
            let provider = VaultTierProvider(transport: { _ in ScriptedTransport(script: script) },
                                             retry: oneQuickRetry, concurrency: 1, pageSize: 3)
            do {
                let source = try provider.makeVaultSource(configuration: settings.configuration, deployment: settings.deployment)
                await RemoteTierRun.exercise(source, what: "Vault KV v\(version)")
                let reader = try provider.makeVaultSource(configuration: settings.configuration, deployment: settings.deployment)
                for key in [SecretKey.variable("fuzz"), .connection("fuzz")] {
                    do { _ = try await reader.read(key) } catch {}
                }
            } catch {
                FuzzCheck.fail("the Vault tier cannot be made (\(type(of: error)))")
            }
        }
    }
    return 0
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_vault_replies_main")
public func fuzzVaultRepliesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzVaultReplies($0, $1) }
}

/// One retry without a real wait, so that `Retry-After` and the retry decision are read from
/// the script too; a backoff or `Retry-After` longer than 1 ms ends the retries.
private let oneQuickRetry = RetryPolicy(maxAttempts: 2, baseDelay: .zero, maxDelay: .milliseconds(1), jitter: false)
