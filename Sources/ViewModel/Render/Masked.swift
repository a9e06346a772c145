/// How masked values look. The placeholder has a fixed length so it never tells a value's length.
public enum Masked {
    public static let placeholder = "••••••••"
}
