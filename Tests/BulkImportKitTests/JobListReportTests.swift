import Testing

@testable import BulkImportKit

@Suite struct JobListReportTests {
    let report = JobListReport(
        target: "local", endpoint: "http://localhost:9091",
        rows: [
            .init(
                job: ListedJob(
                    jobID: "470746104686121124", collectionName: "demo", state: .completed, progress: 100,
                    files: ["/a.json"]), ledgerJob: "demo-json"),
            .init(job: ListedJob(jobID: "7", state: .failed), ledgerJob: nil),
        ])

    @Test func theTableAlignsColumnsAndCountsWhatTheLedgerKnows() {
        #expect(
            report.table() == """
                JOB ID              COLLECTION  STATE      PROGRESS  LEDGER JOB
                470746104686121124  demo        Completed  100%      demo-json
                7                               Failed
                2 import jobs on target 'local' (http://localhost:9091); 1 in the ledger

                """)
    }

    @Test func anEmptyListIsOneLine() {
        let empty = JobListReport(target: "cloud", endpoint: "https://api.cloud.zilliz.com", rows: [])
        #expect(empty.table() == "0 import jobs on target 'cloud' (https://api.cloud.zilliz.com); 0 in the ledger\n")
    }

    @Test func jsonHasOnlyTheFieldsTheServerGave() {
        #expect(
            report.json()
                == #"{"target":"local","endpoint":"http://localhost:9091","jobs":[{"jobId":"470746104686121124","state":"Completed","collectionName":"demo","progress":100,"files":["/a.json"],"ledgerJob":"demo-json"},{"jobId":"7","state":"Failed"}]}"#
                + "\n")
    }
}
