import Testing
import Engine
@testable import Backends

/// Placeholder suite replaced by the writer factory's tests.
@Suite struct BackendsTargetBuilds {
    @Test func theAppTierFactoryNamesTheEnvironmentTier() {
        let slots = AppTierFactory().makeTiers(for: Deployment(name: "d"), context: .server)
        #expect(slots.contains { $0.tier == .env })
    }
}
