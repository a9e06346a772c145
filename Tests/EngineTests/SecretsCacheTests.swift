import Testing
import Engine

/// `[secrets] use_cache` as Airflow reads it from the environment, and what explain says of it.
@Suite("Secrets cache")
struct SecretsCacheTests {
    func cache(_ variables: [String: String]) -> SecretsCache? {
        SecretsCache.configured(in: DeploymentEnvironment(variables))
    }

    @Test func onlyAirflowsTrueSpellingsTurnItOn() {
        for on in ["True", "true", "t", "T", "1", " true "] {
            #expect(cache(["AIRFLOW__SECRETS__USE_CACHE": on]) == SecretsCache(ttlSeconds: 900), "\(on)")
        }
        for off in ["False", "0", "f", "yes", "on", ""] {
            #expect(cache(["AIRFLOW__SECRETS__USE_CACHE": off]) == nil, "\(off)")
        }
        #expect(cache([:]) == nil, "off by default")
    }

    @Test func theTTLIsReadAndAnInvalidOneIsSaid() {
        #expect(cache(["AIRFLOW__SECRETS__USE_CACHE": "true", "AIRFLOW__SECRETS__CACHE_TTL_SECONDS": "60"])?.ttlSeconds == 60)
        let invalid = cache(["AIRFLOW__SECRETS__USE_CACHE": "true", "AIRFLOW__SECRETS__CACHE_TTL_SECONDS": "1m"])
        #expect(invalid == SecretsCache(ttlSeconds: nil))
        #expect(invalid?.note(for: .variable).contains("invalid cache_ttl_seconds") == true)
    }

    @Test func theNoteSaysWhichProcessesCacheAndWhatAConnectionLoses() {
        let note = SecretsCache(ttlSeconds: 900).note(for: .connection)
        #expect(note.contains("up to 900 s old") && note.contains("DAG processor") && note.contains("triggerer read the tiers each time"))
        #expect(note.contains("drops its description"))
        #expect(!SecretsCache(ttlSeconds: 900).note(for: .variable).contains("description"))
    }
}
