import ArgumentParser
import Engine
import PythonCompat

/// `strata lint`: findings that make Airflow read something other than what its owners think.
struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Report shadowed values, dead metastore rows, collisions, skipped ids, invalid values and clear-text secrets.",
        discussion: """
        Exits 1 when any finding is at or above --fail-on (default: error), so CI can fail a build on it, \
        and when a configured tier could not be read (see --allow-unavailable).
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var availability: AvailabilityOptions
    @Flag(name: .long, help: "Print JSON for scripts instead of text.") var json = false
    @Option(name: .customLong("fail-on"), help: "The level that fails the run: info, warning or error.")
    var failOn: LintLevel = .error
    @Flag(name: .customLong("all-deployments"), help: "Lint every deployment of the workspace.") var allDeployments = false

    func run() async throws {
        let workspace = try global.loadWorkspace()
        let deployments = allDeployments ? workspace.deployments : [try global.selectDeployment(in: workspace)]
        var findings: [LintFinding] = []
        var states: [DeploymentState] = []
        for deployment in deployments {
            let state = await StrataRuntime.loader.loadAll(deployment, context: global.context)
            findings += Linter().lint(state)
            states.append(state)
        }
        if json {
            print(JSONWriter.render(.array(findings.map(\.json))))
        } else if findings.isEmpty {
            print("no findings in \(deployments.map { InertText.make($0.name) }.joined(separator: ", "))")
        } else {
            for finding in findings {
                print("\(finding.level.rawValue.uppercased()) [\(finding.rule)] \(InertText.make(finding.deployment)): \(InertText.make(finding.message))")
                print("    fix: \(InertText.make(finding.fix))")
            }
            let counts = LintLevel.allCases.reversed().map { level in "\(findings.filter { $0.level == level }.count) \(level.rawValue)" }
            print("\n" + counts.joined(separator: ", "))
        }
        let tiersFail = UnreadableTierCheck.report(states, masking: .masked, allowUnavailable: availability.allowUnavailable)
        // With --allow-unavailable a tier that could not be read is reported but fails nothing.
        let failing = findings.filter {
            $0.level >= failOn && !(availability.allowUnavailable && $0.rule == Linter.tierUnreachableRule)
        }
        if tiersFail || !failing.isEmpty { throw ExitCode(1) }
    }
}

extension LintLevel: ExpressibleByArgument {}

extension LintFinding {
    var json: JSONValue {
        var object = JSONObject()
        object["level"] = .string(level.rawValue)
        object["rule"] = .string(rule)
        object["deployment"] = .string(deployment)
        object["kind"] = key.map { .string($0.kind.rawValue) } ?? .null
        object["id"] = key.map { .string($0.id) } ?? .null
        object["tier"] = tier.map { .string($0.rawValue) } ?? .null
        object["message"] = .string(message)
        object["fix"] = .string(fix)
        return .object(object)
    }
}
