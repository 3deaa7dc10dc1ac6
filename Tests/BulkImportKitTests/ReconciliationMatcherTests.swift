import Testing

@testable import BulkImportKit

/// The matching of a job against the jobs a target listed, without a server.
@Suite struct ReconciliationMatcherTests {
    typealias Candidate = ReconciliationMatcher.Candidate

    func matcher(_ files: [[String]], unreadable: [String] = [], listed: Int = 3) -> ReconciliationMatcher {
        ReconciliationMatcher(job: apiJob(.milvusV2, files: files), place: "collection 'c'", listed: listed, unreadable: unreadable)
    }

    func candidate(_ id: String, _ state: JobState, _ groups: [[String]], order: Int = 0, at: Int? = nil, reason: String? = nil)
        -> Candidate
    {
        Candidate(jobID: id, state: state, createdAt: at, order: order, groups: groups, reason: reason)
    }

    @Test func groupsMatchWhateverTheirOrderButNotAsASubsetOrSuperset() {
        let groups = [["a.parquet"], ["b/id.npy", "b/v.npy"]]
        let same = [["b/v.npy", "b/id.npy"], ["a.parquet"]]
        #expect(ReconciliationMatcher.normalized(groups) == ReconciliationMatcher.normalized(same))
        #expect(ReconciliationMatcher.normalized(groups) != ReconciliationMatcher.normalized([["a.parquet"]]))
        #expect(ReconciliationMatcher.normalized(groups) != ReconciliationMatcher.normalized(groups + [["a.parquet"]]))
        #expect(ReconciliationMatcher.normalized([["a"], ["a"]]) != ReconciliationMatcher.normalized([["a"]]))
    }

    @Test func aLiveMatchIsAdoptedAndAFailedOneIsNot() {
        let m = matcher([["a.parquet"], ["b.parquet"]])
        let result = m.wholeJob([
            candidate("1", .failed, [["a.parquet"], ["b.parquet"]], order: 0),
            candidate("2", .importing, [["b.parquet"], ["a.parquet"]], order: 1),
            candidate("3", .completed, [["a.parquet"]], order: 2),
        ])
        guard case .adopt(let ids, let groups, let state, _) = result else {
            Issue.record("expected adopt, got \(result)")
            return
        }
        #expect(ids == ["2"])
        #expect(groups.isEmpty)
        #expect(state == .importing)
    }

    @Test func severalLiveMatchesAdoptTheCompletedOneAndNameTheOthers() {
        let result = matcher([["a.json"]]).wholeJob([
            candidate("old", .completed, [["a.json"]], order: 0, at: 100),
            candidate("new", .importing, [["a.json"]], order: 1, at: 200),
            candidate("newer", .completed, [["a.json"]], order: 2, at: 300),
        ])
        guard case .adopt(let ids, _, .completed, let note) = result else {
            Issue.record("expected adopt, got \(result)")
            return
        }
        #expect(ids == ["newer"])
        #expect(note.contains("old, new") || note.contains("new, old"))
    }

    @Test func onlyFailedMatchesAreFailedWithTheNewestReason() {
        let result = matcher([["a.json"]]).wholeJob([
            candidate("1", .failed, [["a.json"]], order: 0, reason: "first"),
            candidate("2", .failed, [["a.json"]], order: 1, reason: "second"),
        ])
        #expect(result == .failed(jobIDs: ["1", "2"], reason: "second", note: failedNote(result)))
    }

    @Test func noMatchIsAbsentOnlyWhenEveryJobsFilesAreKnown() {
        let others = [candidate("1", .completed, [["z.json"]])]
        guard case .absent = matcher([["a.json"]]).wholeJob(others) else {
            Issue.record("expected absent")
            return
        }
        guard
            case .cannotTell(let why) = matcher([["a.json"]], unreadable: ["the progress of job 9 could not be read: boom"]).wholeJob(
                others)
        else {
            Issue.record("expected cannotTell")
            return
        }
        #expect(why.contains("job 9") && why.contains("boom"))
        // A live match is adopted even when other jobs could not be read: adopting imports nothing.
        guard case .adopt = matcher([["z.json"]], unreadable: ["x"]).wholeJob(others) else {
            Issue.record("expected adopt")
            return
        }
    }

    @Test func tasksPerGroupAdoptAllPartOrNone() {
        let m = matcher([["/a.json"], ["/b.npy", "/c.npy"], ["/d.json"]])
        let all = m.perGroup([
            candidate("10", .completed, [["/a.json"]], order: 0), candidate("11", .importing, [["/c.npy", "/b.npy"]], order: 1),
            candidate("12", .pending, [["/d.json"]], order: 2),
        ])
        guard case .adopt(let ids, let groups, let state, _) = all else {
            Issue.record("expected adopt, got \(all)")
            return
        }
        #expect(ids == ["10", "11", "12"])
        #expect(groups == [0: "10", 1: "11", 2: "12"])
        #expect(state == .importing)

        let part = m.perGroup([candidate("10", .completed, [["/a.json"]]), candidate("13", .failed, [["/d.json"]], reason: "bad")])
        guard case .partial(let partGroups, let note) = part else {
            Issue.record("expected partial, got \(part)")
            return
        }
        #expect(partGroups == [0: "10"])
        #expect(note.contains("#2, #3") && note.contains("13"))

        let failed = m.perGroup([candidate("13", .failed, [["/d.json"]], reason: "bad")])
        #expect(failed == .failed(jobIDs: ["13"], reason: "bad", note: failedNote(failed)))
        guard case .absent = m.perGroup([candidate("14", .completed, [["/z.json"]])]) else {
            Issue.record("expected absent")
            return
        }
    }

    @Test func oneTaskServesOneGroupOnly() {
        // Two identical groups need two tasks.
        let m = matcher([["/a.json"], ["/a.json"]])
        guard case .partial(let groups, _) = m.perGroup([candidate("1", .completed, [["/a.json"]])]) else {
            Issue.record("expected partial")
            return
        }
        #expect(groups == [0: "1"])
    }

    private func failedNote(_ r: Reconciliation) -> String {
        if case .failed(_, _, let note) = r { return note }
        return ""
    }
}
