import Testing

@testable import BulkImportKit

/// Timeouts as Go durations, and options that need another.
@Suite("Validation: import options")
struct OptionValidationTests {
    @Test(arguments: ["300s", "1.5h", "1h45m", "100ms", "2h0m0.5s", ".5h", "1µs", "3us"])
    func goDurationsAreAccepted(duration: String) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {timeout: \(duration)}"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
    }

    @Test(arguments: ["300", "5 minutes", "1h30", "h", "1d", "-5s", "0", "1..5s", ""])
    func badDurationsAreRejected(duration: String) throws {
        let outcome = check(milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {timeout: '\(duration)'}"))
        #expect(outcome.codes == [.invalidDuration], "\(outcome.listing)")
    }

    @Test func optionDependencyIsSatisfiedByBackup() throws {
        let outcome = check(
            milvusManifest(
                job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {skip_disk_quota_check: true, backup: true}"))
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing)")
    }
}
