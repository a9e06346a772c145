import Engine

extension TierValue {
    /// Whether a value held in a tier is the copied value as Airflow uses it: the same variable
    /// text, or a connection whose fields mean the same (`None` and `""` alike, as a URI round
    /// trip makes them; the description aside, since most forms cannot hold one).
    public func holdsSameValue(as copied: TierValue) -> Bool {
        switch (self, copied) {
        case let (.connection(held), .connection(meant)):
            return held == meant || StoredConnectionText.lostFields(meant, held).isEmpty
        default:
            return self == copied
        }
    }
}
