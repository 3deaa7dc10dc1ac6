import ArgumentParser
import BulkImportKit

/// `--stall-after`, for the commands that follow jobs (`run --wait`, `status --wait`).
struct StallOptions: ParsableArguments {
    @Option(
        name: .customLong("stall-after"),
        help: ArgumentHelp(
            "Warn when a followed job's progress has not changed for this long (30m, 1h30m, 90s; 0 or off: never).",
            discussion:
                "One warning per job and stall, with what such a pause usually is (the index build) and the job's file states; the job's next change ends the stall.",
            valueName: "duration"))
    var stallAfter = "30m"

    func validate() throws { _ = try threshold() }

    /// The option's duration; nil when stall warnings are off.
    func threshold() throws -> Duration? {
        do { return try RunOptions.stallAfter(parsing: stallAfter) } catch { throw ValidationError(error.description) }
    }
}
