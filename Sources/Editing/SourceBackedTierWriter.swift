import Engine

/// A writer over the tier source that reads the same tier: the tier's description and naming
/// are the source's. Unless the writer says otherwise, a variable keeps no description:
/// secrets stores have nowhere to put one.
public protocol SourceBackedTierWriter: TierWriter {
    associatedtype Source: TierSource
    var source: Source { get }
}

extension SourceBackedTierWriter {
    public var descriptor: TierDescriptor { source.descriptor }
    public var keepsVariableDescriptions: Bool { false }
    public func lookupName(for key: SecretKey) -> LookupName { source.lookupName(for: key) }
    public func globalLookupName(for key: SecretKey) -> LookupName? { source.globalLookupName(for: key) }
}
