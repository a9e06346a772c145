import Engine
import Testing

/// Whether two tiers hold the same connection is decided as Airflow's `extra_dejson` would
/// decide it: Python dicts, equal whatever their key order.
@Suite("Value equivalence")
struct ValueEquivalenceTests {
    @Test(arguments: [
        (#"{"a": 1, "b": {"x": [1, 2]}}"#, #"{"b":{"x":[1,2]},"a":1}"#, true),
        (#"{"a": 1}"#, #"{"a": 1.0}"#, true),
        (#"{"a": true}"#, #"{"a": 1}"#, true),
        (#"{"a": [1, 2]}"#, #"{"a": [2, 1]}"#, false),
        (#"{"a": 1}"#, #"{"a": 1, "b": null}"#, false),
        (#"{"a": "1"}"#, #"{"a": 1}"#, false),
    ])
    func extrasCompareAsPythonDicts(left: String, right: String, same: Bool) {
        let a = TierValue.connection(Connection(connType: "http", extra: left))
        let b = TierValue.connection(Connection(connType: "http", extra: right))
        #expect(a.isEquivalent(to: b) == same)
    }
}
