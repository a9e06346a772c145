import Foundation
import Engine
import RemoteSupport
import VaultBackend
import FuzzSupport

/// Vault / OpenBao replies (mount lookups, KV v1 and v2 LIST pages, secret reads) from a
/// scripted server. The input's first byte picks the case — KV v2 or v1 (even or odd), and
/// the whole tier loading, or one variable or one connection read (÷ 2, modulo 3) — and the
/// rest is the script. Checks: no crash, only `TierError`s from `load()`, a bounded number of
/// requests.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVaultReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let (choice, script) = FuzzInput.choice(data, size, of: 6)
    let settings = choice % 2 == 0 ? kv2 : kv1
    let provider = VaultTierProvider(transport: { _ in ScriptedTransport(script: script) },
                                     retry: oneQuickRetry, concurrency: 1, pageSize: 3)
    runBlocking {
        let source: VaultTierSource
        do {
            source = try provider.makeVaultSource(configuration: settings.configuration, deployment: settings.deployment)
        } catch {
            FuzzCheck.fail("the Vault tier cannot be made (\(type(of: error)))")
        }
        switch choice / 2 {
        case 0: await RemoteTierRun.exercise(source, what: "Vault KV v\(choice % 2 == 0 ? 2 : 1)")
        case 1: do { _ = try await source.read(.variable("fuzz")) } catch {}
        default: do { _ = try await source.read(.connection("fuzz")) } catch {}
        }
    }
    return 0
}

/// The deployments, read once: their settings are fixed, only the server's replies vary.
private let kv2 = vaultDeployment(version: 2)
private let kv1 = vaultDeployment(version: 1)

private func vaultDeployment(version: Int) -> (configuration: BackendConfiguration, deployment: Deployment) {
    let kwargs = #"{"url": "http://vault.fuzz:8200", "token": "fuzz-token", "mount_point": "secret", "#
        + #""kv_engine_version": \#(version)}"#
    guard let settings = RemoteTierRun.deployment(backendClass: "airflow.providers.hashicorp.secrets.vault.VaultBackend",
                                                  kwargs: kwargs) else {
        FuzzCheck.fail("the Vault settings do not read")
    }
    return settings
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_vault_replies_main")
public func fuzzVaultRepliesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzVaultReplies($0, $1) }
}

/// One retry without a real wait, so that `Retry-After` and the retry decision are read from
/// the script too; a backoff or `Retry-After` longer than 1 ms ends the retries.
private let oneQuickRetry = RetryPolicy(maxAttempts: 2, baseDelay: .zero, maxDelay: .milliseconds(1), jitter: false)
