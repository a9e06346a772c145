import Foundation
@testable import Engine
@testable import PythonCompat
import FuzzSupport

/// PyYAML's `safe_load` as Strata reads YAML secret files: libyaml's parser, Strata's composer
/// and constructor, and the block-subset fast composer. Checks, beyond "no crash and only
/// `PyYAMLError`s": whenever the fast composer takes a document, it builds exactly the nodes
/// the libyaml path builds; and loading through either composer gives the same Python value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    let loaded: PythonValue?
    do {
        loaded = try PyYAML.safeLoad(text)
    } catch {
        FuzzCheck.requireError(error, is: PyYAMLError.self, "PyYAML.safeLoad")
        loaded = nil
    }
    var bytes = Array(text.utf8)
    let fast = bytes.withUnsafeMutableBufferPointer { YAMLBlockComposer.compose(UnsafeBufferPointer($0)) }
    guard let fast else { return 0 }
    let slow: YAMLNode?
    do {
        slow = try YAMLComposer.composeSingleDocument(text, fastPath: false)
    } catch {
        FuzzCheck.fail("the fast composer took a document libyaml refuses (\(type(of: error)))")
    }
    FuzzCheck.require(YAMLNodeText.describe(fast) == YAMLNodeText.describe(slow),
                      "the fast composer builds other nodes than libyaml")
    // The constructor on libyaml's tree gives the value safeLoad gave through the fast tree.
    if let slow {
        var constructor = YAMLConstructor()
        let value = try? constructor.construct(slow)
        FuzzCheck.require(value.map(\.pythonRepr) == loaded.map(\.pythonRepr), "the two trees load to different values")
    }
    return 0
}

/// A composed YAML node tree as text (kind, tag, mark, plain flag and value of every node), to
/// compare what two composers built.
enum YAMLNodeText {
    /// The tree under `node`; `nil` when it has more than `limit` nodes (aliases can make a
    /// small document a huge tree, which only the libyaml path builds).
    static func describe(_ node: YAMLNode?, limit: Int = 100_000) -> String? {
        guard let node else { return "nil" }
        var out = ""
        var count = 0
        func walk(_ node: YAMLNode, _ depth: Int) -> Bool {
            count += 1
            if count > limit { return false }
            out += "\(depth) \(node.id) \(node.tag) \(node.mark.line):\(node.mark.column) plain=\(node.isPlain) "
            out += String(reflecting: node.value) + "\n"
            for item in node.items where !walk(item, depth + 1) { return false }
            for (key, value) in node.pairs where !walk(key, depth + 1) || !walk(value, depth + 2) { return false }
            return true
        }
        return walk(node, 0) ? out : nil
    }
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_yaml_main")
public func fuzzYAMLMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzYAML($0, $1) }
}
