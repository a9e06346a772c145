import ArgumentParser
import Engine
import Foundation
import PythonCompat

/// `strata backend`: the deployment's secrets backend as Airflow would build it.
struct BackendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend",
        abstract: "Show the deployment's secrets backend: class, kwargs (secrets masked), naming scheme, auth.",
        discussion: "With --id, also the exact secret name Airflow asks the backend for that id."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print JSON for scripts instead of text.") var json = false
    @Option(name: .long, help: "Show the exact names the backend looks up for this variable key / connection id.")
    var id: String?

    func run() throws {
        let workspace = try global.loadWorkspace()
        let deployment = try global.selectDeployment(in: workspace)
        let settings = BackendConfiguration.read(from: deployment.environment, version: deployment.airflowVersion)
        let reports = settings.reports(environment: deployment.environment, version: deployment.airflowVersion)
        // With a team, `name` is the team's name and `then` the global one asked after it.
        let lookups: [(tier: TierID, key: SecretKey, name: LookupName, then: String?)] = id.map { id in
            [settings.secrets.map { (TierID.backend, $0) }, settings.workers.map { (TierID.workersBackend, $0) }]
                .compactMap { $0 }
                .flatMap { tier, configuration in
                    let naming = BackendNaming(configuration: configuration, version: deployment.airflowVersion,
                                                   teams: deployment.teamLookup)
                    return [SecretKey.connection(id), SecretKey.variable(id)].map {
                        (tier, $0, naming.lookupName(for: $0), naming.globalLookupName(for: $0)?.name)
                    }
                }
        } ?? []
        if json {
            var lookupEntries: [JSONValue] = []
            for lookup in lookups {
                var object = JSONObject()
                object["tier"] = .string(lookup.tier.rawValue)
                object["kind"] = .string(lookup.key.kind.rawValue)
                object["id"] = .string(lookup.key.id)
                switch lookup.name {
                case .name(let name):
                    object["name"] = .string(name)
                    if let then = lookup.then { object["then"] = .string(then) }
                case .skipped(let reason): object["name"] = .null; object["skipped"] = .string(reason)
                }
                lookupEntries.append(.object(object))
            }
            print(JSONWriter.render(.object(JSONObject([
                ("deployment", .string(deployment.name)),
                ("warnings", .array(settings.warnings.map { .string($0) })),
                ("backends", try .encoding(reports)),
                ("lookups", .array(lookupEntries)),
            ]))))
            return
        }
        if reports.isEmpty {
            print("deployment \(InertText.make(deployment.name)): no secrets backend configured (AIRFLOW__SECRETS__BACKEND is not set);")
            print("Airflow reads the environment, then the metastore.")
        }
        for (index, report) in reports.enumerated() {
            if index > 0 { print("") }
            report.textLines.forEach { print(InertText.make($0)) }
        }
        settings.warnings.forEach { print("warning  \(InertText.make($0))") }
        if !lookups.isEmpty { print("") }
        for lookup in lookups {
            let kind = lookup.key.kind == .variable ? "var " : "conn"
            switch lookup.name {
            case .name(let name):
                let then = lookup.then.map { ", then \(InertText.make($0))" } ?? ""
                print("\(lookup.tier.rawValue) \(kind) \(InertText.make(lookup.key.id)) → \(InertText.make(name))\(then)")
            case .skipped(let reason): print("\(lookup.tier.rawValue) \(kind) \(InertText.make(lookup.key.id)) → not looked up: \(reason)")
            }
        }
        if reports.contains(where: { !$0.airflowStarts }) { throw ExitCode(1) }
    }
}
