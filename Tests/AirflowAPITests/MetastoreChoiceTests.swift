import Foundation
import Testing
import AirflowAPI
import Backends
import Engine
import Metastore

/// Which source is a deployment's metastore tier: its database when it has one (the database
/// sees every field), else its REST API, else an Astro project's airflow_settings.yaml.
@Suite("The metastore tier's source")
struct MetastoreChoiceTests {
    static let api = AirflowAPISettings(baseURL: URL(string: "https://example.astronomer.run/d1")!, signIn: .token(variable: "T"))

    static func metastoreSource(_ deployment: Deployment) -> (any TierSource)? {
        AppTierFactory().makeTiers(for: deployment, context: .server).first { $0.tier == .metastore }?.source
    }

    @Test func theDatabaseWinsOverTheAPIWhenBothAreGiven() {
        var deployment = Deployment(name: "both", metastoreURL: "sqlite:////tmp/strata-no-such.db")
        deployment.api = Self.api
        #expect(Self.metastoreSource(deployment) is MetastoreTier)
    }

    @Test func theAPIIsTheMetastoreWithoutADatabase() {
        var deployment = Deployment(name: "managed")
        deployment.api = Self.api
        let source = Self.metastoreSource(deployment)
        #expect(source is AirflowAPITier)
        #expect(source?.descriptor.label == "metastore via REST API at example.astronomer.run")
    }
}
