import Foundation
@testable import Engine
import FuzzSupport

/// `strata.yaml` workspace files. Checks, beyond "no crash and only `WorkspaceError`s": what
/// parses names each deployment once and finds it by that name; a file read in place from the
/// flat block document reads as Yams reads it (the same workspace, or the same error and line).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWorkspace(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    let workspace: Workspace
    do {
        workspace = try checkInPlaceReading(text).get()
    } catch {
        FuzzCheck.requireError(error, is: WorkspaceError.self, "Workspace.parse")
        return 0
    }
    for deployment in workspace.deployments {
        FuzzCheck.require(workspace.deployment(named: deployment.name) != nil, "a deployment is not found by its name")
    }
    return 0
}

/// Parses `text` as Strata does and, where the file is one the in-place reader takes, checks
/// it against Yams; returns the parse either way, so each input is parsed once by each reader.
private func checkInPlaceReading(_ text: String) -> Result<Workspace, any Error> {
    let url = URL(fileURLWithPath: "/fuzz/strata.yaml")
    let inPlace = Result { try Workspace.parse(text, at: url, processEnvironment: [:]) }
    guard case .some(.some) = try? WorkspaceYAMLCheck.check(text, path: url.path) else { return inPlace }
    let viaYams = Result { try Workspace.parseThroughYams(text, at: url, processEnvironment: [:]) }
    switch (inPlace, viaYams) {
    case (.success(let a), .success(let b)):
        FuzzCheck.require(a.theme == b.theme && a.deployments.count == b.deployments.count,
                          "the in-place reading gives another theme or number of deployments than Yams")
        for (x, y) in zip(a.deployments, b.deployments) {
            FuzzCheck.require(x.name == y.name && x.airflowVersion == y.airflowVersion && x.readOnly == y.readOnly
                                  && x.metastoreURL == y.metastoreURL && x.timeouts == y.timeouts && x.envFiles == y.envFiles
                                  && x.environment == y.environment,
                              "the in-place reading gives another deployment than Yams")
        }
    case (.failure(let a as WorkspaceError), .failure(let b as WorkspaceError)):
        FuzzCheck.require(a.problem == b.problem && a.line == b.line,
                          "the in-place reading fails otherwise than Yams (\(a.line ?? -1) vs \(b.line ?? -1))")
    case (.success, .failure):
        FuzzCheck.fail("the in-place reading accepts a workspace Yams refuses")
    case (.failure, .success):
        FuzzCheck.fail("the in-place reading refuses a workspace Yams accepts")
    default:
        FuzzCheck.fail("a workspace reading threw something other than a WorkspaceError")
    }
    return inPlace
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_workspace_main")
public func fuzzWorkspaceMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzWorkspace($0, $1) }
}
