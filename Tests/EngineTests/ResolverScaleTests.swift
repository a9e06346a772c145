@testable import Engine
import Foundation
import Testing

/// Large deployments are resolved on several cores; the result must be the one key-by-key
/// resolution gives, in key order.
@Suite("Resolver at scale")
struct ResolverScaleTests {
    struct Tier: TierSource {
        let descriptor: TierDescriptor
        let records: [TierRecord]
        let upper: Bool
        func lookupName(for key: SecretKey) -> LookupName {
            .name(upper ? (key.kind == .variable ? "AIRFLOW_VAR_" : "AIRFLOW_CONN_") + key.id.uppercased() : key.id)
        }
        func load() async throws -> TierSnapshot { TierSnapshot(records: records) }
    }

    @Test func thirtyThousandKeysResolveAsEachKeyDoesAlone() {
        var backend: [TierRecord] = [], env: [TierRecord] = [], metastore: [TierRecord] = []
        for i in 0..<30_000 {
            let kind: SecretKind = i % 4 == 0 ? .connection : .variable
            let value: TierValue = kind == .connection
                ? .connection(Connection(connType: "http", host: "h\(i % 7)", port: i % 3 == 0 ? 80 : nil))
                : .variable("v\(i % 5)")
            if i % 3 != 0 { backend.append(TierRecord(kind: kind, name: "k\(i)", suggestedID: "k\(i)", state: .present(value))) }
            if i % 2 == 0 {
                let name = (kind == .variable ? "AIRFLOW_VAR_K" : "AIRFLOW_CONN_K") + String(i)
                env.append(TierRecord(kind: kind, name: name, suggestedID: "k\(i)", state: i % 10 == 0 ? .empty : .present(value)))
            }
            if i % 5 != 0 {
                metastore.append(TierRecord(kind: kind, name: "k\(i)", suggestedID: "k\(i)",
                                            state: i % 11 == 0 ? .unreadable(reason: "bad") : .present(.variable("other"))))
            }
        }
        // Case collisions: MY_VAR_n in the metastore reads the same env name as my_var_n.
        for i in 0..<50 {
            metastore.append(TierRecord(kind: .variable, name: "K\(i * 2)", suggestedID: "K\(i * 2)", state: .present(.variable("x"))))
        }
        let sources = [
            Tier(descriptor: TierDescriptor(tier: .backend, label: "backend"), records: backend, upper: false),
            Tier(descriptor: TierDescriptor(tier: .env, label: "environment"), records: env, upper: true),
            Tier(descriptor: TierDescriptor(tier: .metastore, label: "metastore"), records: metastore, upper: false),
        ]
        var tiers: [TierID: TierLoadState] = [:]
        for source in sources {
            tiers[source.descriptor.tier] = .loaded(LoadedTier(source: source, snapshot: TierSnapshot(records: source.records),
                                                               latency: .zero))
        }
        let resolver = Resolver(chain: [.backend, .env, .metastore])
        let all = resolver.resolveAll(tiers)
        // k(30n+15) is in no tier; k30 and k90 are only in the environment, whose names the
        // metastore's K30 and K90 reach: they are shown as those ids (collision rule).
        #expect(all.count == 30_000 - 1_000 + 50 - 2)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.key < $1.key }, "sorted by key")
        let sample = Array(stride(from: 0, to: all.count, by: 1_499)) + all.indices.filter { !all[$0].collisions.isEmpty }.prefix(10)
        #expect(sample.count > 25)
        for index in sample {
            let alone = resolver.resolve(all[index].key, tiers)
            #expect(Self.summary(alone) == Self.summary(all[index]), "\(all[index].key)")
        }
    }

    static func summary(_ resolution: Resolution) -> String {
        let rows = resolution.tiers.map { "\($0.tier.rawValue) \($0.state.name) \($0.lookup?.name ?? "-") \($0.comparison.rawValue) \($0.record?.name ?? "-")" }
        return "\(resolution.winner?.rawValue ?? "none") | \(rows.joined(separator: "; ")) | \(resolution.collisions)"
    }
}
