/// PyYAML's `SafeConstructor`: builds Python values from composed nodes, by tag.
package struct YAMLConstructor {
    package init() {}

    private var constructed: [ObjectIdentifier: PythonValue] = [:]
    private var inProgress: Set<ObjectIdentifier> = []

    /// The value already built for `node` (keys of the root mapping, for their line numbers).
    /// The mapping node whose keys' lines `keyLines` records, as they are constructed.
    package var keyLinesNode: YAMLNode?
    /// The 0-based line of each key of `keyLinesNode` (the occurrence whose value won).
    package private(set) var keyLines: [PythonValue.HashKey: Int] = [:]

    package mutating func construct(_ node: YAMLNode) throws -> PythonValue {
        // Only an anchored node can be reached twice (through aliases) or be part of a cycle,
        // so only those are memoised; values are Swift values, so building one twice (a merged
        // pair) gives the same value.
        guard node.isAnchored else { return try constructByTag(node) }
        let id = ObjectIdentifier(node)
        if let value = constructed[id] { return value }
        guard !inProgress.contains(id) else {
            // PyYAML builds a self-containing list or dict here; Strata cannot hold one.
            throw PyYAMLError.marked("ConstructorError", context: nil, contextMark: nil,
                                     problem: "found a recursive alias, which Strata cannot represent",
                                     problemMark: node.mark)
        }
        inProgress.insert(id)
        defer { inProgress.remove(id) }
        let value = try constructByTag(node)
        constructed[id] = value
        return value
    }

    private mutating func constructByTag(_ node: YAMLNode) throws -> PythonValue {
        switch node.tag {
        case YAMLResolver.strTag: return .string(try scalar(node))
        case YAMLResolver.nullTag: _ = try scalar(node); return .none
        case YAMLResolver.boolTag:
            let text = try scalar(node)
            switch text.lowercased() {
            case "yes", "true", "on": return .bool(true)
            case "no", "false", "off": return .bool(false)
            default: throw PyYAMLError.python("KeyError", PythonValue.stringRepr(text.lowercased()))
            }
        case YAMLResolver.intTag: return try constructInt(try scalar(node))
        case YAMLResolver.floatTag: return try constructFloat(try scalar(node))
        case YAMLResolver.timestampTag: return try constructTimestamp(try scalar(node))
        case "tag:yaml.org,2002:binary": return try constructBinary(try scalar(node), node: node)
        case "tag:yaml.org,2002:seq":
            guard node.kind == .sequence else { throw expected("a sequence", node) }
            return .list(try node.items.map { try construct($0) })
        case "tag:yaml.org,2002:map":
            return .dict(try constructMapping(node))
        case "tag:yaml.org,2002:set":
            let dict = try constructMapping(node)
            return .set(dict.keys)
        case "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs":
            return try constructPairs(node)
        default:
            throw PyYAMLError.marked("ConstructorError", context: nil, contextMark: nil,
                                     problem: "could not determine a constructor for the tag \(PythonValue.stringRepr(node.tag))",
                                     problemMark: node.mark)
        }
    }

    private func expected(_ what: String, _ node: YAMLNode) -> PyYAMLError {
        PyYAMLError.marked("ConstructorError", context: nil, contextMark: nil,
                           problem: "expected \(what) node, but found \(node.id)", problemMark: node.mark)
    }

    private func scalar(_ node: YAMLNode) throws -> String {
        guard node.kind == .scalar else { throw expected("a scalar", node) }
        return node.value
    }

    // MARK: Mappings

    /// `SafeConstructor.construct_mapping`, merge keys flattened first.
    private mutating func constructMapping(_ node: YAMLNode) throws -> PythonDict {
        guard node.kind == .mapping else { throw expected("a mapping", node) }
        try flattenMapping(node)
        var dict = PythonDict()
        dict.reserveCapacity(node.pairs.count)
        let recordsKeyLines = node === keyLinesNode
        if recordsKeyLines { keyLines.reserveCapacity(node.pairs.count) }
        for (keyNode, valueNode) in node.pairs {
            let key = try construct(keyNode)
            guard key.isHashable else {
                throw PyYAMLError.marked("ConstructorError", context: "while constructing a mapping",
                                         contextMark: node.mark, problem: "found unhashable key",
                                         problemMark: keyNode.mark)
            }
            // The last occurrence of a key is the one whose value wins.
            if recordsKeyLines { keyLines[key.hashKey] = keyNode.mark.line }
            dict[key] = try construct(valueNode)
        }
        return dict
    }

    /// `SafeConstructor.flatten_mapping`: `<<` merges, earlier keys losing to explicit ones.
    private func flattenMapping(_ node: YAMLNode) throws {
        var merge: [(YAMLNode, YAMLNode)] = []
        var index = 0
        while index < node.pairs.count {
            let (keyNode, valueNode) = node.pairs[index]
            if keyNode.tag == YAMLResolver.mergeTag {
                node.pairs.remove(at: index)
                switch valueNode.kind {
                case .mapping:
                    try flattenMapping(valueNode)
                    merge.append(contentsOf: valueNode.pairs)
                case .sequence:
                    var submerge: [[(YAMLNode, YAMLNode)]] = []
                    for subnode in valueNode.items {
                        guard subnode.kind == .mapping else {
                            throw PyYAMLError.marked("ConstructorError", context: "while constructing a mapping",
                                                     contextMark: node.mark,
                                                     problem: "expected a mapping for merging, but found \(subnode.id)",
                                                     problemMark: subnode.mark)
                        }
                        try flattenMapping(subnode)
                        submerge.append(subnode.pairs)
                    }
                    for pairs in submerge.reversed() { merge.append(contentsOf: pairs) }
                case .scalar:
                    throw PyYAMLError.marked("ConstructorError", context: "while constructing a mapping",
                                             contextMark: node.mark,
                                             problem: "expected a mapping or list of mappings for merging, but found \(valueNode.id)",
                                             problemMark: valueNode.mark)
                }
            } else if keyNode.tag == YAMLResolver.valueTag {
                keyNode.tag = YAMLResolver.strTag
                index += 1
            } else {
                index += 1
            }
        }
        if !merge.isEmpty { node.pairs = merge + node.pairs }
    }

    /// `construct_yaml_omap` / `construct_yaml_pairs`: a list of 2-tuples.
    private mutating func constructPairs(_ node: YAMLNode) throws -> PythonValue {
        let what = node.tag.hasSuffix("omap") ? "an ordered map" : "pairs"
        guard node.kind == .sequence else {
            throw PyYAMLError.marked("ConstructorError", context: "while constructing \(what)", contextMark: node.mark,
                                     problem: "expected a sequence, but found \(node.id)", problemMark: node.mark)
        }
        var items: [PythonValue] = []
        for subnode in node.items {
            guard subnode.kind == .mapping else {
                throw PyYAMLError.marked("ConstructorError", context: "while constructing \(what)", contextMark: node.mark,
                                         problem: "expected a mapping of length 1, but found \(subnode.id)",
                                         problemMark: subnode.mark)
            }
            guard subnode.pairs.count == 1 else {
                throw PyYAMLError.marked("ConstructorError", context: "while constructing \(what)", contextMark: node.mark,
                                         problem: "expected a single mapping item, but found \(subnode.pairs.count) items",
                                         problemMark: subnode.mark)
            }
            let (keyNode, valueNode) = subnode.pairs[0]
            items.append(.tuple([try construct(keyNode), try construct(valueNode)]))
        }
        return .list(items)
    }

    // MARK: Scalars

    /// `construct_yaml_int`.
    private func constructInt(_ text: String) throws -> PythonValue {
        var value = Substring(text.filter { $0 != "_" })
        var negative = false
        if value.first == "-" { negative = true }
        if value.first == "-" || value.first == "+" { value = value.dropFirst() }
        let magnitude: String?
        if value == "0" {
            return .int("0")
        } else if value.hasPrefix("0b") {
            magnitude = PythonInteger.parse(value.dropFirst(2), base: 2)
        } else if value.hasPrefix("0x") {
            magnitude = PythonInteger.parse(value.dropFirst(2), base: 16)
        } else if value.hasPrefix("0") {
            magnitude = PythonInteger.parse(value, base: 8)
        } else if value.contains(":") {
            magnitude = PythonInteger.sexagesimal(value.split(separator: ":", omittingEmptySubsequences: false))
        } else {
            magnitude = PythonInteger.parse(value, base: 10)
        }
        guard let magnitude else {
            throw PyYAMLError.python("ValueError", "invalid literal for int() with base 10: \(PythonValue.stringRepr(text))")
        }
        return .int(PythonInteger.signed(magnitude, negative: negative))
    }

    /// `construct_yaml_float`.
    private func constructFloat(_ text: String) throws -> PythonValue {
        var value = Substring(text.filter { $0 != "_" }.lowercased())
        var sign = 1.0
        if value.first == "-" { sign = -1 }
        if value.first == "-" || value.first == "+" { value = value.dropFirst() }
        if value == ".inf" { return .float(sign * .infinity) }
        if value == ".nan" { return .float(.nan) }
        if value.contains(":") {
            var total = 0.0
            var base = 1.0
            for part in value.split(separator: ":", omittingEmptySubsequences: false).reversed() {
                guard let digit = Self.pythonFloat(part) else { throw invalidFloat(text) }
                total += digit * base
                base *= 60
            }
            return .float(sign * total)
        }
        guard let number = Self.pythonFloat(value) else { throw invalidFloat(text) }
        return .float(sign * number)
    }

    private func invalidFloat(_ text: String) -> PyYAMLError {
        PyYAMLError.python("ValueError", "could not convert string to float: \(PythonValue.stringRepr(text))")
    }

    /// Python's `float()` on the ASCII forms the resolver lets through (`1.`, `.5`, `1.5e+3`).
    package static func pythonFloat(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x65 || $0 == 0x2B || $0 == 0x2D }) else {
            return nil
        }
        var normalised = String(text)
        // Swift's parser wants a digit on both sides of the point.
        if normalised.hasPrefix(".") { normalised = "0" + normalised }
        if let point = normalised.firstIndex(of: ".") {
            let after = normalised.index(after: point)
            if after == normalised.endIndex || normalised[after] == "e" {
                normalised.insert("0", at: after)
            }
        }
        return Double(normalised)
    }

    /// `construct_yaml_timestamp`: a `date`, or a `datetime` (with a fixed offset when given).
    private func constructTimestamp(_ text: String) throws -> PythonValue {
        var copy = text
        let parts = copy.withUTF8 { YAMLResolver.timestampComponents($0, allowDateOnly: true) }
        guard let parts else {
            throw PyYAMLError.python("AttributeError", "'NoneType' object has no attribute 'groupdict'", quotesInput: false)
        }
        let date = try Self.validatedDate(parts.year, parts.month, parts.day)
        guard let hour = parts.hour else { return .date(date) }
        guard (0...23).contains(hour) else { throw PyYAMLError.python("ValueError", "hour must be in 0..23", quotesInput: false) }
        guard (0...59).contains(parts.minute) else { throw PyYAMLError.python("ValueError", "minute must be in 0..59", quotesInput: false) }
        guard (0...59).contains(parts.second) else { throw PyYAMLError.python("ValueError", "second must be in 0..59", quotesInput: false) }
        var microsecond = 0
        if let fraction = parts.fraction, !fraction.isEmpty {
            var digits = String(fraction.prefix(6))
            while digits.count < 6 { digits += "0" }
            microsecond = Int(digits) ?? 0
        }
        var offset: Int?
        if let sign = parts.tzSign {
            let seconds = parts.tzHour * 3600 + parts.tzMinute * 60
            offset = sign == UInt8(ascii: "-") ? -seconds : seconds
            guard abs(offset!) < 86400 else {
                throw PyYAMLError.python("ValueError", "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24).", quotesInput: false)
            }
        } else if parts.tz != nil {
            offset = 0
        }
        return .datetime(PythonDateTime(date: date, hour: hour, minute: parts.minute, second: parts.second,
                                        microsecond: microsecond, utcOffsetSeconds: offset))
    }

    package static func validatedDate(_ year: Int, _ month: Int, _ day: Int) throws -> PythonDate {
        guard (1...9999).contains(year) else {
            throw PyYAMLError.python("ValueError", "year \(year) is out of range", quotesInput: false)
        }
        guard (1...12).contains(month) else { throw PyYAMLError.python("ValueError", "month must be in 1..12", quotesInput: false) }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else {
            throw PyYAMLError.python("ValueError", "day is out of range for month", quotesInput: false)
        }
        return PythonDate(year: year, month: month, day: day)
    }

    /// `construct_yaml_binary`: base64 (whitespace ignored, as `base64.decodebytes` does).
    private func constructBinary(_ text: String, node: YAMLNode) throws -> PythonValue {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="): continue
            default: continue // decodebytes discards characters outside the alphabet
            }
            buffer = (buffer << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return .bytes(bytes)
    }
}
