import Editing
import Engine
import Testing
import TestSupport

@Suite("Copy selection: ids, patterns, kinds and --only")
struct CopySelectionTests {
    private func items() async -> (CopyFixture, DeploymentState) {
        let f = CopyFixture()
        f.putMetastore("aws_default", queue)
        f.putMetastore("aws_prod", queue)
        f.putMetastore("warehouse", warehouse)
        f.putMetastoreVariable("aws_region", "eu-west-1")
        f.env.replace(.connection, named: "AIRFLOW_CONN_WAREHOUSE", with: .connection("AIRFLOW_CONN_WAREHOUSE", warehouse, id: "warehouse"))
        return (f, await f.load())
    }

    @Test func patternsMatchAsTheShellDoesAndKindsNarrowThem() async {
        let (_, state) = await items()
        let all = CopyItems.fromTier(.metastore, of: state)
        let aws = CopySelection(patterns: ["aws_*"]).select(all, source: (state, .metastore))
        #expect(aws.items.map(\.key.description) == ["conn:aws_default", "conn:aws_prod", "var:aws_region"])
        let conns = CopySelection(patterns: ["aws_*"], kinds: [.connection]).select(all, source: (state, .metastore))
        #expect(conns.items.map(\.key.id) == ["aws_default", "aws_prod"])
        #expect(CopySelection.matches("aws_prod", pattern: "aws_[pq]*"))
        #expect(!CopySelection.matches("aws_default", pattern: "aws_[pq]*"))
    }

    @Test func namedIdsTheSourceLacksAreReported() async {
        let (_, state) = await items()
        let selection = CopySelection(ids: ["warehouse", "nope"])
        let chosen = selection.select(.fromTier(.metastore, of: state), source: (state, .metastore))
        #expect(chosen.items.map(\.key.id) == ["warehouse"])
        #expect(selection.missingIDs(in: chosen) == ["nope"])
    }

    @Test func onlyShadowedTakesTheKeysATierBeforeTheSourceWins() async {
        let (_, state) = await items()
        let chosen = CopySelection(condition: .shadowed).select(.fromTier(.metastore, of: state), source: (state, .metastore))
        #expect(chosen.items.map(\.key.id) == ["warehouse"])
    }

    @Test func onlyDifferingKeepsTheKeysTheTargetHoldsDifferently() async {
        let (f, _) = await items()
        var other = queue
        other.host = "mq2.internal"
        f.putBackend("aws_prod", other)
        f.putBackend("aws_default", queue)
        let state = await f.load()
        let selection = CopySelection(condition: .differing)
        let plan = selection.filter(f.planner(state).plan(selection.select(.fromTier(.metastore, of: state), source: (state, .metastore)),
                                                          sourceLabel: "metastore", policy: .overwrite, move: false))
        #expect(plan.steps.map(\.key.id) == ["aws_prod"])
    }
}
