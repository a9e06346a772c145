import Testing

/// Runs the tests it marks one at a time: the ones that talk to the shared Airflow API servers.
///
/// Airflow 3.3.2's api-server on SQLite (what the test servers run) stops answering when two
/// writes reach it at once. Its audit-log dependency commits on the event loop; when another
/// request holds SQLite's write lock until its own session closes, and closing that session
/// needs the same loop, the loop sits in SQLite's busy wait and serves nobody until it ends.
/// Measured on the test server: six clients creating and deleting variables for 15 s left
/// requests waiting 180 s. Strata writes to the API tier one key at a time, so only tests
/// running side by side write concurrently; this trait stops that.
struct AirflowServerTurn: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        await Self.turns.wait()
        do {
            try await function()
        } catch {
            await Self.turns.pass()
            throw error
        }
        await Self.turns.pass()
    }

    private static let turns = Turns()

    /// A first-come, first-served queue of test cases waiting for the servers.
    private actor Turns {
        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func wait() async {
            guard busy else {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        /// Hands the servers to the next waiting test case, or frees them.
        func pass() {
            if waiting.isEmpty {
                busy = false
            } else {
                waiting.removeFirst().resume()
            }
        }
    }
}

extension Trait where Self == AirflowServerTurn {
    /// One test case at a time against the shared Airflow API servers (see `AirflowServerTurn`).
    static var oneAtATimeOnTheAirflowServers: Self { AirflowServerTurn() }
}
