@testable import Engine
import Foundation
import Testing
import TestSupport

/// `DeploymentEnvironment` keeps its variables in set order and builds the origins dictionary
/// only when asked; whatever the order of sets, copies and reads, it must answer as two plain
/// dictionaries would.
@Suite("Deployment environment: values and origins as plain dictionaries would hold them")
struct DeploymentEnvironmentTests {
    struct Model {
        var variables: [String: String] = [:]
        var origins: [String: EnvironmentOrigin] = [:]
        mutating func set(_ name: String, _ value: String, _ origin: EnvironmentOrigin) {
            variables[name] = value
            origins[name] = origin
        }
    }

    static func expectSame(_ environment: DeploymentEnvironment, _ model: Model, _ replay: String = "",
                           sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(environment.variables == model.variables, "\(replay)", sourceLocation: sourceLocation)
        #expect(environment.origins == model.origins, "\(replay)", sourceLocation: sourceLocation)
        #expect(environment.count == model.variables.count, "\(replay)", sourceLocation: sourceLocation)
        for (name, value) in model.variables {
            #expect(environment[name] == value && environment.origin(of: name) == model.origins[name], "\(replay)", sourceLocation: sourceLocation)
        }
        #expect(environment.names(withPrefix: "").sorted() == model.variables.keys.sorted(), "\(replay)", sourceLocation: sourceLocation)
        #expect(environment["never-set"] == nil && environment.origin(of: "never-set") == nil, "\(replay)", sourceLocation: sourceLocation)
    }

    @Test func setsCopiesAndReadsInAnyOrderAgreeWithPlainDictionaries() {
        var generator = SeededGenerator()
        // Lines at and past 32 bits, and below 1, are kept exactly as the small ones are.
        let origins: [EnvironmentOrigin] = [.inline, .process, .file(path: "/a/.env", line: 1), .file(path: "/b/.env", line: 9),
                                            .file(path: "/a/.env", line: Int(UInt32.max) - 1), .file(path: "/a/.env", line: Int(UInt32.max)),
                                            .file(path: "/b/.env", line: Int(UInt32.max) + 7), .file(path: "/b/.env", line: 0),
                                            .file(path: "/b/.env", line: -3), .file(path: "/c/.env", line: Int.max)]
        for _ in 0..<200 {
            var environments = [DeploymentEnvironment()]
            var models = [Model()]
            for step in 0..<40 {
                let which = Int.random(in: 0..<environments.count, using: &generator)
                switch Int.random(in: 0..<10, using: &generator) {
                case 0:
                    // A copy, which then goes its own way.
                    environments.append(environments[which])
                    models.append(models[which])
                case 1, 2:
                    // Reading origins (filling the cache) before more sets.
                    Self.expectSame(environments[which], models[which], generator.replay)
                default:
                    let name = "N\(Int.random(in: 0..<(step % 2 == 0 ? 60 : 15), using: &generator))"
                    let origin = origins.randomElement(using: &generator)!
                    environments[which].set(name, "v\(step)", origin: origin)
                    models[which].set(name, "v\(step)", origin)
                }
            }
            for (environment, model) in zip(environments, models) { Self.expectSame(environment, model, generator.replay) }
        }
    }

    @Test func aNameSetTwiceKeepsTheLaterValueAndOrigin() {
        var environment = DeploymentEnvironment()
        environment.set("A", "1", origin: .process)
        environment.set("B", "2", origin: .file(path: "/p/.env", line: 2))
        #expect(environment.origins["A"] == .process)
        environment.set("A", "3", origin: .file(path: "/p/.env", line: 5))
        #expect(environment["A"] == "3")
        // The name keeps the place it was first set in.
        #expect(environment.names(withPrefix: "") == ["A", "B"])
        #expect(environment.origins == ["A": .file(path: "/p/.env", line: 5), "B": .file(path: "/p/.env", line: 2)])
    }

    @Test func entriesFromSeveralFilesKeepTheirOwnFileAndLine() {
        // Entries share one record of each file's path; each still reads back its own file and line.
        var environment = DeploymentEnvironment()
        environment.set("A", "1", origin: .file(path: "/p/.env", line: 3))
        environment.set("B", "2", origin: .file(path: "/q/.env", line: 3))
        environment.set("C", "3", origin: .inline)
        environment.set("D", "4", origin: .file(path: "/p/.env", line: 4_000_000_000))
        environment.set("E", "5", origin: .file(path: "/q/.env", line: 5_000_000_000))
        #expect(environment.names(withPrefix: "").map { environment.origin(of: $0) } == [
            .file(path: "/p/.env", line: 3), .file(path: "/q/.env", line: 3), .inline,
            .file(path: "/p/.env", line: 4_000_000_000), .file(path: "/q/.env", line: 5_000_000_000),
        ])
    }

    @Test func equalityAndHashingFollowValuesAndOriginsNotSetOrder() {
        var a = DeploymentEnvironment()
        a.set("X", "1", origin: .inline)
        a.set("Y", "2", origin: .process)
        var b = DeploymentEnvironment()
        b.set("Y", "0", origin: .process)
        b.set("X", "1", origin: .inline)
        b.set("Y", "2", origin: .process)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        b.set("Y", "2", origin: .inline)
        #expect(a != b)
    }

    @Test func namesWithAPrefixAreFoundByTheirBytesInSetOrder() {
        var environment = DeploymentEnvironment()
        for name in ["AIRFLOW__SECRETS__BACKEND", "AIRFLOW_VAR_X", "AIRFLOW__SECRETS__BACKEND_KWARGS", "HOME", "AIRFLOW__SECRETS", "é"] {
            environment.set(name, "v", origin: .inline)
        }
        #expect(environment.names(withPrefix: "AIRFLOW__SECRETS__BACKEND") == ["AIRFLOW__SECRETS__BACKEND", "AIRFLOW__SECRETS__BACKEND_KWARGS"])
        #expect(environment.names(withPrefix: "AIRFLOW__SECRETS__BACKEND_KWARGS_") == [])
        #expect(environment.names(withPrefix: "é") == ["é"])
        #expect(environment.names(withPrefix: "").count == 6)
    }

    @Test func aLargeEnvironmentIsFoundByNameAfterGrowing() {
        var environment = DeploymentEnvironment()
        for i in 0..<50_000 { environment.set("AIRFLOW_VAR_\(i)", "value \(i)", origin: .file(path: "/p/.env", line: i + 1)) }
        #expect(environment.count == 50_000)
        #expect(environment["AIRFLOW_VAR_0"] == "value 0" && environment["AIRFLOW_VAR_49999"] == "value 49999")
        #expect(environment.origin(of: "AIRFLOW_VAR_31337") == .file(path: "/p/.env", line: 31_338))
        #expect(environment["AIRFLOW_VAR_50000"] == nil)
    }

    @Test func concurrentReadersOfOneEnvironmentSeeTheSameOrigins() async {
        var environment = DeploymentEnvironment()
        for i in 0..<2_000 { environment.set("AIRFLOW_VAR_\(i)", "\(i)", origin: .file(path: "/p/.env", line: i + 1)) }
        let shared = environment
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { shared.origins.count } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 2_000, count: 8))
        #expect(shared.origins["AIRFLOW_VAR_7"] == .file(path: "/p/.env", line: 8))
    }
}
