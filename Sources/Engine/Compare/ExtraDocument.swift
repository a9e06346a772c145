import Foundation

/// A connection's extra read as Airflow's `extra_dejson` reads it, for comparing key by key.
enum ExtraDocument {
    /// The members of the extra object, or nil when it is not a JSON object.
    static func members(_ text: String?) -> [String: NSObject]? {
        guard let text, !text.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let dictionary = object as? [String: Any] else { return nil }
        return dictionary.compactMapValues { $0 as? NSObject }
    }

    /// The extra keys whose values differ, or `.extra` when one side is not an object.
    static func differingKeys(_ a: String?, _ b: String?) -> [ValueField] {
        if a == b { return [] }
        guard let left = members(a), let right = members(b) else { return [.extra] }
        let keys = Set(left.keys).union(right.keys).sorted()
        return keys.filter { key in
            switch (left[key], right[key]) {
            case let (l?, r?): return !l.isEqual(r)
            case (nil, nil): return false
            default: return true
            }
        }.map { .extraKey($0) }
    }
}
