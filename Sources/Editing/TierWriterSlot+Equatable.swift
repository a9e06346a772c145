/// Two slots are equal when they describe the same tier and either both can write it or both
/// cannot, for the same reason; the writer itself is a service with no value to compare.
extension TierWriterSlot: Equatable {
    public static func == (lhs: TierWriterSlot, rhs: TierWriterSlot) -> Bool {
        lhs.descriptor == rhs.descriptor && (lhs.writer == nil) == (rhs.writer == nil)
            && lhs.unavailableReason == rhs.unavailableReason
    }
}
