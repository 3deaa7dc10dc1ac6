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
                JOB ID              COLLECTION  STATE      PROGRESS  LEDGER JOB  FILES
                470746104686121124  demo        Completed  100%      demo-json   /a.json
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

    @Test func creationTimeAndFilesAreColumnsWhereTheServerGaveThem() {
        let report = JobListReport(
            target: "old", endpoint: "http://localhost:9091",
            rows: [
                .init(
                    job: ListedJob(
                        jobID: "5", collectionName: "c", state: .importing, progress: 40,
                        files: ["/d/a.npy", "/d/b.npy", "/d/c.npy", "/d/e.npy"], createdAt: 1_764_510_742, partitionName: "p1"),
                    ledgerJob: "vectors"),
                .init(job: ListedJob(jobID: "6", collectionName: "c", state: .completed, progress: 100), ledgerJob: nil),
            ], note: "the files of 2 more jobs were not read (--files reads at most 100)")
        #expect(
            report.table() == """
                JOB ID  COLLECTION  STATE      PROGRESS  CREATED (UTC)         LEDGER JOB  FILES
                5       c           Importing  40%       2025-11-30 13:52:22Z  vectors     /d/a.npy, /d/b.npy, /d/c.npy (+1 more)
                6       c           Completed  100%
                2 import jobs on target 'old' (http://localhost:9091); 1 in the ledger
                the files of 2 more jobs were not read (--files reads at most 100)

                """)
        #expect(
            report.json()
                == #"{"target":"old","endpoint":"http://localhost:9091","jobs":[{"jobId":"5","state":"Importing","collectionName":"c","progress":40,"partitionName":"p1","createdAt":"2025-11-30T13:52:22Z","files":["/d/a.npy","/d/b.npy","/d/c.npy","/d/e.npy"],"ledgerJob":"vectors"},{"jobId":"6","state":"Completed","collectionName":"c","progress":100}],"note":"the files of 2 more jobs were not read (--files reads at most 100)"}"#
                + "\n")
    }

    @Test(arguments: [
        (0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"), (1_764_510_742, "2025-11-30T13:52:22Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
    ])
    func timesAreWrittenInUTC(seconds: Int, text: String) {
        #expect(JobListReport.utc(seconds) == text)
    }
}
