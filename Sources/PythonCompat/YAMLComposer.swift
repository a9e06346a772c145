#if compiler(>=6)
internal import CYaml
#else
@_implementationOnly import CYaml
#endif

/// A node of a composed YAML document, as PyYAML's `ScalarNode` / `SequenceNode` / `MappingNode`.
/// A class, because aliases share their anchored node exactly as in PyYAML.
package final class YAMLNode {
    package enum Kind { case scalar, sequence, mapping }

    package let kind: Kind
    package var tag: String
    package let mark: YAMLMark
    package var value: String = ""
    /// Whether the scalar was written plain (unquoted, no tag) — Go's yaml.v3 types only those.
    package var isPlain = false
    /// Whether the node has an anchor, so aliases may share it (only those are memoised).
    package var isAnchored = false
    package var items: [YAMLNode] = []
    package var pairs: [(YAMLNode, YAMLNode)] = []

    package init(kind: Kind, tag: String, mark: YAMLMark) {
        self.kind = kind
        self.tag = tag
        self.mark = mark
    }

    /// PyYAML's `node.id`, used in messages.
    package var id: String {
        switch kind {
        case .scalar: return "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }
}

/// Turns libyaml's event stream into nodes the way PyYAML's `CParser` does: tags resolved with
/// the YAML 1.1 implicit resolvers, anchors registered (duplicates refused), aliases shared.
package struct YAMLComposer {
    private var parser = yaml_parser_t()
    private var anchors: [String: YAMLNode] = [:]
    /// How many aliases the document used; without any, it cannot expand beyond its text.
    private var aliasCount = 0

    package static let defaultScalarTag = "tag:yaml.org,2002:str"
    package static let defaultSequenceTag = "tag:yaml.org,2002:seq"
    package static let defaultMappingTag = "tag:yaml.org,2002:map"

    /// PyYAML's `get_single_node`: the root of the only document, or `nil` for an empty stream.
    /// A document whose aliases expand it beyond `YAMLExpansion.nodeLimit` nodes throws
    /// `YAMLExpansionError` (PyYAML would build it, sharing the nodes).
    /// The plain block-style subset most files are written in is composed without libyaml
    /// (`YAMLBlockComposer`, same nodes); `fastPath: false` always uses libyaml.
    package static func composeSingleDocument(_ text: String, fastPath: Bool = true) throws -> YAMLNode? {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer -> YAMLNode? in
            if fastPath, let root = YAMLBlockComposer.compose(UnsafeBufferPointer(buffer)) { return root }
            var composer = YAMLComposer()
            guard yaml_parser_initialize(&composer.parser) == 1 else {
                throw PyYAMLError.python("MemoryError", "", quotesInput: false)
            }
            defer { yaml_parser_delete(&composer.parser) }
            yaml_parser_set_encoding(&composer.parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&composer.parser, buffer.baseAddress, buffer.count)
            let root = try composer.singleDocument()
            if let root, composer.aliasCount > 0 { try YAMLExpansion.check(root) }
            return root
        }
    }

    private mutating func singleDocument() throws -> YAMLNode? {
        var event = try nextEvent() // stream start
        yaml_event_delete(&event)
        event = try nextEvent()
        if event.type == YAML_STREAM_END_EVENT {
            yaml_event_delete(&event)
            return nil
        }
        yaml_event_delete(&event)
        let document = try composeDocument()
        event = try nextEvent()
        defer { yaml_event_delete(&event) }
        if event.type != YAML_STREAM_END_EVENT {
            throw PyYAMLError.marked("ComposerError", context: "expected a single document in the stream",
                                     contextMark: document.mark, problem: "but found another document",
                                     problemMark: Self.mark(event.start_mark))
        }
        return document
    }

    private mutating func composeDocument() throws -> YAMLNode {
        var event = try nextEvent()
        let node = try composeNode(event: &event)
        var end = try nextEvent() // document end
        yaml_event_delete(&end)
        anchors = [:]
        return node
    }

    /// Composes the node that starts with `event` (which this function deletes).
    private mutating func composeNode(event: inout yaml_event_t) throws -> YAMLNode {
        defer { yaml_event_delete(&event) }
        let mark = Self.mark(event.start_mark)
        switch event.type {
        case YAML_ALIAS_EVENT:
            let anchor = Self.string(event.data.alias.anchor)
            guard let node = anchors[anchor] else {
                throw PyYAMLError.marked("ComposerError", context: nil, contextMark: nil,
                                         problem: "found undefined alias", problemMark: mark)
            }
            aliasCount += 1
            return node

        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let anchor = scalar.anchor.map { Self.string($0) }
            try checkAnchor(anchor, mark: mark)
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)),
                               as: UTF8.self)
            let explicitTag = scalar.tag.map { Self.string($0) }
            let tag: String
            if explicitTag == nil || explicitTag == "!" {
                tag = scalar.plain_implicit != 0 ? YAMLResolver.implicitTag(for: value) : Self.defaultScalarTag
            } else {
                tag = explicitTag!
            }
            let node = YAMLNode(kind: .scalar, tag: tag, mark: mark)
            node.value = value
            node.isPlain = explicitTag == nil && scalar.style == YAML_PLAIN_SCALAR_STYLE
            if let anchor { anchors[anchor] = node; node.isAnchored = true }
            return node

        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            let anchor = start.anchor.map { Self.string($0) }
            try checkAnchor(anchor, mark: mark)
            let explicitTag = start.tag.map { Self.string($0) }
            let tag = (explicitTag == nil || explicitTag == "!") ? Self.defaultSequenceTag : explicitTag!
            let node = YAMLNode(kind: .sequence, tag: tag, mark: mark)
            // Registered before the children, as PyYAML does, so a child may refer back to it.
            if let anchor { anchors[anchor] = node; node.isAnchored = true }
            while true {
                var child = try nextEvent()
                if child.type == YAML_SEQUENCE_END_EVENT { yaml_event_delete(&child); break }
                node.items.append(try composeNode(event: &child))
            }
            return node

        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            let anchor = start.anchor.map { Self.string($0) }
            try checkAnchor(anchor, mark: mark)
            let explicitTag = start.tag.map { Self.string($0) }
            let tag = (explicitTag == nil || explicitTag == "!") ? Self.defaultMappingTag : explicitTag!
            let node = YAMLNode(kind: .mapping, tag: tag, mark: mark)
            if let anchor { anchors[anchor] = node; node.isAnchored = true }
            while true {
                var keyEvent = try nextEvent()
                if keyEvent.type == YAML_MAPPING_END_EVENT { yaml_event_delete(&keyEvent); break }
                let key = try composeNode(event: &keyEvent)
                var valueEvent = try nextEvent()
                let value = try composeNode(event: &valueEvent)
                node.pairs.append((key, value))
            }
            return node

        default:
            // libyaml never produces another event here for a well-formed stream.
            throw PyYAMLError.marked("ComposerError", context: nil, contextMark: nil,
                                     problem: "unexpected event", problemMark: mark)
        }
    }

    private func checkAnchor(_ anchor: String?, mark: YAMLMark) throws {
        guard let anchor, let first = anchors[anchor] else { return }
        throw PyYAMLError.marked("ComposerError", context: "found duplicate anchor; first occurrence",
                                 contextMark: first.mark, problem: "second occurrence", problemMark: mark)
    }

    private mutating func nextEvent() throws -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { throw parserError() }
        return event
    }

    /// PyYAML's `CParser._parser_error`.
    private func parserError() -> PyYAMLError {
        switch parser.error {
        case YAML_READER_ERROR:
            let problem = parser.problem.map { String(cString: $0) } ?? ""
            let hex = String(parser.problem_value, radix: 16)
            let character = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return PyYAMLError(className: "ReaderError",
                               message: "unacceptable character #x\(character): \(problem)\n  in \"<unicode string>\", position \(parser.problem_offset)",
                               problemLine: nil, isMarked: false, quotesInput: false)
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            let context = parser.context.map { String(cString: $0) }
            let problem = parser.problem.map { String(cString: $0) }
            return PyYAMLError.marked(parser.error == YAML_SCANNER_ERROR ? "ScannerError" : "ParserError",
                                      context: context,
                                      contextMark: context == nil ? nil : Self.mark(parser.context_mark),
                                      problem: problem,
                                      problemMark: problem == nil ? nil : Self.mark(parser.problem_mark))
        default:
            return PyYAMLError.python("MemoryError", "", quotesInput: false)
        }
    }

    private static func mark(_ mark: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: Int(mark.line), column: Int(mark.column))
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }
}
