/// The size a YAML document reaches once its aliases are expanded. Strata shares an anchored
/// node among its aliases, as PyYAML does, so composing and constructing stay linear in the
/// text; but anything that walks a value (its `str()`, a comparison, a JSON dump) would walk
/// every expansion, and a few lines of nested aliases expand to billions of nodes. Such a
/// document is refused up front.
package enum YAMLExpansion {
    /// The most nodes a document may expand to.
    package static let nodeLimit = 10_000_000

    /// Throws `YAMLExpansionError` when `root` expands beyond `limit` nodes. Linear in the
    /// number of distinct nodes: each anchored node's size is counted once.
    package static func check(_ root: YAMLNode, limit: Int = nodeLimit) throws {
        var sizes: [ObjectIdentifier: Int] = [:]
        var inProgress: Set<ObjectIdentifier> = []
        if size(root, limit: limit, sizes: &sizes, inProgress: &inProgress) > limit {
            throw YAMLExpansionError(limit: limit)
        }
    }

    /// The expanded size of `node`, saturating just above `limit`.
    private static func size(_ node: YAMLNode, limit: Int, sizes: inout [ObjectIdentifier: Int],
                             inProgress: inout Set<ObjectIdentifier>) -> Int {
        let id = ObjectIdentifier(node)
        if node.isAnchored {
            if let known = sizes[id] { return known }
            // A node that contains itself: the constructor reports the recursion.
            guard inProgress.insert(id).inserted else { return 1 }
        }
        var total = 1
        switch node.kind {
        case .scalar:
            break
        case .sequence:
            for item in node.items where total <= limit {
                total += size(item, limit: limit, sizes: &sizes, inProgress: &inProgress)
            }
        case .mapping:
            for (key, value) in node.pairs where total <= limit {
                total += size(key, limit: limit, sizes: &sizes, inProgress: &inProgress)
                total += size(value, limit: limit, sizes: &sizes, inProgress: &inProgress)
            }
        }
        total = min(total, limit + 1)
        if node.isAnchored {
            inProgress.remove(id)
            sizes[id] = total
        }
        return total
    }
}

/// A YAML document whose aliases expand it beyond what Strata will walk.
public struct YAMLExpansionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var limit: Int

    /// What is wrong, without the advice.
    public var problem: String {
        "the YAML document expands beyond \(Self.grouped(limit)) nodes through its aliases (*name), so Strata does not read it"
    }

    public var fix: String { "write the repeated parts out, or nest fewer aliases" }

    public var description: String { "\(problem); \(fix)" }

    /// 10000000 → "10,000,000".
    package static func grouped(_ number: Int) -> String {
        var digits = String(number)
        var index = digits.endIndex
        while digits.distance(from: digits.startIndex, to: index) > 3 {
            index = digits.index(index, offsetBy: -3)
            digits.insert(",", at: index)
        }
        return digits
    }
}
