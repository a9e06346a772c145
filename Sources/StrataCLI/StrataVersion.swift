/// Strata's version, as `strata --version` prints it.
public enum StrataVersion {
    /// Bumped with each release; wave 2 of the product plan.
    public static let current = "0.2.0"
}
