import Foundation
import Testing
import TestSupport

/// Killing Strata in the middle of a write must leave the file as it was or as it was meant
/// to become — never a mixture, never truncated.
@Suite("Interrupted writes")
struct EditInterruptionTests {
    /// An env file big enough that writing it takes a measurable time.
    static func bigEnvFile(lines: Int) -> String {
        var text = "# generated for the interruption test\nAIRFLOW_VAR_TARGET=v0\n"
        text.reserveCapacity(lines * 64)
        for i in 0..<lines {
            text += "AIRFLOW_VAR_FILLER_\(i)=filler-value-\(i)-abcdefghijklmnopqrstuvwxyz\n"
        }
        return text
    }

    @Test func aWriterKilledAtAnyMomentLeavesTheOldOrTheNewFileWhole() throws {
        let dir = try TemporaryDirectory("strata-kill")
        defer { dir.remove() }
        let original = Self.bigEnvFile(lines: 20_000)
        let envURL = try dir.write("big.env", original)
        try dir.write("strata.yaml", "deployments:\n  - name: big\n    env_files: [big.env]\n")
        let originalLines = original.split(separator: "\n", omittingEmptySubsequences: false)

        // How long one uninterrupted write takes, to spread the kills over its whole run.
        let started = Date()
        let first = try StrataProcess.run(["set", "var", "target", "v1", "--tier", "env"], in: dir.url)
        let duration = Date().timeIntervalSince(started)
        #expect(first.status == 0, "\(first.stderr)")

        var written: Set<String> = ["v0", "v1"]
        var killedMidWrite = 0, killedOtherwise = 0, completed = 0
        var generator = SeededGenerator()
        for attempt in 2..<14 {
            let value = "v\(attempt)"
            written.insert(value)
            let process = Process()
            process.executableURL = StrataProcess.binary
            process.arguments = ["set", "var", "target", value, "--tier", "env"]
            process.currentDirectoryURL = dir.url
            var environment = ProcessInfo.processInfo.environment
            environment["SWIFT_BACKTRACE"] = "interactive=no"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let before = Set(try FileManager.default.contentsOfDirectory(atPath: dir.url.path))
            try process.run()
            if attempt.isMultiple(of: 2) {
                // Kill the moment the writer's temp file appears: the new file is being written.
                var sawTemp = false
                while process.isRunning {
                    let now = Set((try? FileManager.default.contentsOfDirectory(atPath: dir.url.path)) ?? [])
                    if !now.subtracting(before).isEmpty { sawTemp = true; break }
                    usleep(200)
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                if process.terminationReason == .uncaughtSignal { sawTemp ? (killedMidWrite += 1) : (killedOtherwise += 1) } else { completed += 1 }
            } else {
                // Anywhere from the middle of loading to just after the end of the write.
                Thread.sleep(forTimeInterval: duration * Double.random(in: 0.4...1.1, using: &generator))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                if process.terminationReason == .uncaughtSignal { killedOtherwise += 1 } else { completed += 1 }
            }

            let now = try String(contentsOf: envURL, encoding: .utf8)
            let lines = now.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == originalLines.count, "attempt \(attempt): the file lost or gained lines")
            guard lines.count == originalLines.count else { continue }
            for (index, line) in lines.enumerated() where index != 1 {
                if line != originalLines[index] {
                    Issue.record("attempt \(attempt): line \(index + 1) differs from the original")
                    break
                }
            }
            let target = lines[1]
            #expect(target.hasPrefix("AIRFLOW_VAR_TARGET="))
            let stored = target.dropFirst("AIRFLOW_VAR_TARGET=".count).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            #expect(written.contains(stored), "attempt \(attempt): the target line holds neither an old nor the new value")
        }
        // Some kills must have landed while the new file was being written for the test to mean anything.
        #expect(killedMidWrite > 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0 != "big.env" && $0 != "strata.yaml" }
        // A killed writer may leave its hidden temp file behind; nothing else may appear.
        #expect(leftovers.allSatisfy { $0.hasPrefix(".big.env.strata-") }, "unexpected files: \(leftovers)")
        // The env file still loads: the deployment lists every variable.
        let list = try StrataProcess.run(["list", "--vars", "--json"], in: dir.url)
        #expect(list.status == 0)
        #expect((try list.json() as? [Any])?.count == originalLines.count - 2)
        print("interruption test: \(killedMidWrite) killed mid-write, \(killedOtherwise) killed before or after, \(completed) completed, one write took \(String(format: "%.2f", duration)) s")
    }
}
