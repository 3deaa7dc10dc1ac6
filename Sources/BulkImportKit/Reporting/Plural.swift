/// Counts with their nouns, singular or plural: "1 job", "4 jobs", "1 file". The one place output
/// spells a count, so no summary says "1 files".
public enum Plural {
    /// `count` and `singular`, or `plural` (by default `singular` + "s") when `count` is not 1.
    public static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
