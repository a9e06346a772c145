import Foundation

/// A reproducible random source for tests that generate their inputs (SplitMix64).
///
/// Each run draws a fresh seed, so the generated cases keep varying; a failure names the seed
/// (put `generator.replay` in the expectation's comment) and `STRATA_TEST_SEED=<seed>` replays
/// exactly that run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The seed this run started from.
    public let seed: UInt64
    private var state: UInt64

    /// A generator seeded from `STRATA_TEST_SEED` when set, from the system otherwise.
    public init() {
        if let text = ProcessInfo.processInfo.environment["STRATA_TEST_SEED"], let seed = UInt64(text) {
            self.init(seed: seed)
        } else {
            var system = SystemRandomNumberGenerator()
            self.init(seed: system.next())
        }
    }

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// "seed N (replay: STRATA_TEST_SEED=N)": for the comment of an expectation over generated input.
    public var replay: String {
        "seed \(seed) (replay: STRATA_TEST_SEED=\(seed))"
    }
}
