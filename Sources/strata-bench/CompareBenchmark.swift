import Engine
import Foundation

/// Compares 10,000 keys × 4 tiers × 3 deployments: each deployment's tier matrix, then the
/// three deployments side by side. Goal: under 300 ms and 300 MB in a release build.
func runCompareBenchmark() async throws {
    BenchFormat.resetPeakMemory()
    struct Tier: TierSource {
        let descriptor: TierDescriptor
        let records: [TierRecord]
        func lookupName(for key: SecretKey) -> LookupName { .name(key.id) }
        func load() async throws -> TierSnapshot { TierSnapshot(records: records) }
    }
    struct Factory: TierFactory {
        let tiers: [Tier]
        func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] { tiers.map(TierSlot.init(source:)) }
    }
    func records(deployment: Int, tier: Int) -> [TierRecord] {
        (0..<10_000).compactMap { i -> TierRecord? in
            // Every key in the metastore; fewer higher up, so shadowing and differences vary.
            guard tier == 3 || (i + tier) % (tier + 2) == 0 else { return nil }
            if i % 2 == 0 {
                let value = "value-\(i)-\(i % 7 == 0 ? deployment : 0)-\(i % 5 == 0 ? tier : 0)"
                return TierRecord(kind: .variable, name: "key_\(i)", suggestedID: "key_\(i)", state: .present(.variable(value)))
            }
            let connection = Connection(connType: "postgres", host: "db\(i % 11 == 0 ? deployment : 0).internal",
                                        login: "etl", password: "pw-\(i % 3 == 0 ? tier : 0)", schema: "analytics",
                                        port: 5432, extra: "{\"sslmode\": \"require\", \"timeout\": \(i % 13 == 0 ? tier : 5)}")
            return TierRecord(kind: .connection, name: "key_\(i)", suggestedID: "key_\(i)", state: .present(.connection(connection)))
        }
    }
    let tierIDs: [TierID] = [.workersBackend, .backend, .env, .metastore]
    var states: [DeploymentState] = []
    for d in 0..<3 {
        let tiers = tierIDs.enumerated().map { index, id in
            Tier(descriptor: TierDescriptor(tier: id, label: id.rawValue), records: records(deployment: d, tier: index))
        }
        let loader = DeploymentLoader(factory: Factory(tiers: tiers))
        states.append(await loader.loadAll(Deployment(name: "d\(d)"), context: .worker))
    }
    let clock = ContinuousClock()
    let start = clock.now
    var inputs: [(name: String, resolutions: [Resolution])] = []
    var cells = 0, differing = 0
    for state in states {
        let resolutions = state.resolveAll()
        let matrix = TierMatrix(tiers: state.chain, resolutions: resolutions)
        cells += matrix.rows.count * matrix.tiers.count
        differing += matrix.filtered(.differing).rows.count
        inputs.append((state.deployment.name, resolutions))
    }
    let matrices = clock.now
    let comparison = DeploymentComparison(inputs)
    let done = clock.now
    let uniform = comparison.rows.filter(\.isUniform).count
    print("compare: 10,000 keys × 4 tiers × 3 deployments (\(cells) cells, \(differing) rows with differences)")
    print("  three tier matrices      \(BenchFormat.ms(matrices - start))")
    print("  deployments side by side \(BenchFormat.ms(done - matrices))  (\(comparison.rows.count) rows, \(uniform) the same everywhere)")
    print("  total                    \(BenchFormat.ms(done - start))  (goal: under 300 ms)")
    print("  peak memory              \(BenchFormat.peakMemory())  (goal: under 300 MB)")
}
