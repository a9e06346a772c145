import Foundation
import Engine
import FuzzSupport

/// `strata.yaml` workspace files. Checks, beyond "no crash and only `WorkspaceError`s": what
/// parses names each deployment once and finds it by that name.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWorkspace(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    let workspace: Workspace
    do {
        workspace = try Workspace.parse(text, at: URL(fileURLWithPath: "/fuzz/strata.yaml"), processEnvironment: [:])
    } catch {
        FuzzCheck.requireError(error, is: WorkspaceError.self, "Workspace.parse")
        return 0
    }
    for deployment in workspace.deployments {
        FuzzCheck.require(workspace.deployment(named: deployment.name) != nil, "a deployment is not found by its name")
    }
    return 0
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_workspace_main")
public func fuzzWorkspaceMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzWorkspace($0, $1) }
}
