import Testing

@testable import BulkImportKit

/// The submit decision as a table: every ledger status, the same or a changed digest, and the
/// options that change the answer. The texts are the ones users read; they are pinned here.
@Suite struct SubmitDecisionTests {
    static let digest = "sha256:current"

    struct Flags: Sendable, CustomTestStringConvertible {
        var resubmit: Bool
        var retryUnknown: Bool
        static let all = [false, true].flatMap { r in [false, true].map { Flags(resubmit: r, retryUnknown: $0) } }
        var options: RunOptions {
            var options = RunOptions()
            options.resubmit = resubmit
            options.retryUnknown = retryUnknown
            return options
        }
        var testDescription: String { "resubmit: \(resubmit), retryUnknown: \(retryUnknown)" }
    }

    static func entry(
        _ status: LedgerEntry.Status, digest: String = digest, groups: [Int: LedgerEntry.Status] = [:],
        lastError: String? = nil
    ) -> LedgerEntry {
        var entry = LedgerEntry(job: "j", digest: digest, status: status, jobIDs: ["41", "42"], lastError: lastError)
        entry.groupStatus = groups
        // The second sending of this digest: a retry keeps generation 2, a deliberate sending takes 3.
        entry.generation = 2
        entry.generations = [digest: 2]
        return entry
    }

    @Test func aJobNeverSeenIsSent() {
        for flags in Flags.all {
            #expect(
                SubmitDecision.decide(entry: nil, digest: Self.digest, options: flags.options) == .send(changedFrom: nil, generation: 1))
        }
    }

    @Test(arguments: LedgerEntry.Status.allCases, Flags.all)
    func aChangedJobIsSentWhateverItsStatus(status: LedgerEntry.Status, flags: Flags) {
        let entry = Self.entry(status, digest: "sha256:before", groups: [0: status])
        #expect(
            SubmitDecision.decide(entry: entry, digest: Self.digest, options: flags.options)
                == .send(changedFrom: "sha256:before", generation: 1))
    }

    /// Data that goes back to a digest sent before is sent on purpose: a new generation of that digest.
    @Test func aJobChangedBackToAnEarlierDigestTakesTheNextGenerationOfIt() {
        var entry = Self.entry(.completed, digest: "sha256:before")
        entry.generations[Self.digest] = 4
        #expect(
            SubmitDecision.decide(entry: entry, digest: Self.digest, options: RunOptions())
                == .send(changedFrom: "sha256:before", generation: 5))
    }

    @Test(arguments: LedgerEntry.Status.allCases, [false, true])
    func resubmitSendsAnUnchangedJobWhateverItsStatus(status: LedgerEntry.Status, retryUnknown: Bool) {
        let options = Flags(resubmit: true, retryUnknown: retryUnknown).options
        #expect(
            SubmitDecision.decide(entry: Self.entry(status), digest: Self.digest, options: options)
                == .send(changedFrom: nil, generation: 3))
        #expect(
            SubmitDecision.decide(entry: Self.entry(status, groups: [0: status]), digest: Self.digest, options: options)
                == .send(changedFrom: nil, generation: 3))
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var status: LedgerEntry.Status
        var retryUnknown: Bool
        var groups: [Int: LedgerEntry.Status] = [:]
        var lastError: String? = nil
        var expected: SubmitDecision
        var testDescription: String { "\(status), retryUnknown: \(retryUnknown), groups: \(groups)" }
    }

    static let submittedReason = "already submitted as job 41, 42; use --resubmit to import again"
    static let cleanedUpReason = "already ran as job 41, 42 (since cleaned up on the server); use --resubmit to import again"
    static let unknownAdvice =
        "check the target's jobs (bulk-import list), then record what you find with `bulk-import resolve`, or use --retry-unknown to send it again with the same Idempotency-Key"
    static let noIDRecorded = "an earlier run may have sent the create, but no job id was recorded"

    /// The same digest, without --resubmit.
    static let unchanged: [Row] = [false, true].flatMap { retryUnknown in
        [
            Row(
                status: .submitted, retryUnknown: retryUnknown,
                expected: .skip(reason: submittedReason, ids: ["41", "42"], followable: true)),
            Row(
                status: .completed, retryUnknown: retryUnknown,
                expected: .skip(reason: submittedReason, ids: ["41", "42"], followable: false)),
            Row(
                status: .cleanedUp, retryUnknown: retryUnknown,
                expected: .skip(reason: cleanedUpReason, ids: ["41", "42"], followable: false)),
            // A failed job sent again is a new sending: a new key.
            Row(status: .failed, retryUnknown: retryUnknown, expected: .send(changedFrom: nil, generation: 3)),
            Row(
                status: .intent, retryUnknown: retryUnknown,
                expected: retryUnknown ? .send(changedFrom: nil, generation: 2) : .unknown(error: noIDRecorded, advice: unknownAdvice)),
            Row(
                status: .unknown, retryUnknown: retryUnknown, lastError: "connection reset",
                expected: retryUnknown ? .send(changedFrom: nil, generation: 2) : .unknown(error: "connection reset", advice: unknownAdvice)
            ),
            // Per-group jobs (Milvus 2.2/2.3) that did not finish ask the server group by group.
            Row(status: .intent, retryUnknown: retryUnknown, groups: [0: .submitted, 1: .intent], expected: .resumeGroups),
            Row(status: .unknown, retryUnknown: retryUnknown, groups: [0: .unknown], expected: .resumeGroups),
            Row(status: .failed, retryUnknown: retryUnknown, groups: [0: .submitted, 1: .failed], expected: .resumeGroups),
            Row(
                status: .submitted, retryUnknown: retryUnknown, groups: [0: .submitted, 1: .submitted],
                expected: .skip(reason: submittedReason, ids: ["41", "42"], followable: true)),
        ]
    }

    @Test(arguments: unchanged)
    func anUnchangedJob(row: Row) {
        let entry = Self.entry(row.status, groups: row.groups, lastError: row.lastError)
        let options = Flags(resubmit: false, retryUnknown: row.retryUnknown).options
        #expect(SubmitDecision.decide(entry: entry, digest: Self.digest, options: options) == row.expected)
    }

    @Test func everyStatusIsInTheTable() {
        #expect(Set(Self.unchanged.map(\.status.rawValue)) == Set(LedgerEntry.Status.allCases.map(\.rawValue)))
    }

    struct GroupRow: Sendable, CustomTestStringConvertible {
        var name: String
        var id: String?
        var status: LedgerEntry.Status?
        var retryUnknown = false
        var probe: SubmitDecision.GroupProbe?
        var expected: SubmitDecision.GroupVerdict
        var testDescription: String { name }
    }

    static let groupRows: [GroupRow] = [
        GroupRow(
            name: "a running task is kept", id: "7", status: .submitted, probe: .state(JobProgress(state: .importing, progress: 40)),
            expected: .keep(id: "7", note: "file group 1: keeping task 7 (Importing)")),
        GroupRow(
            name: "a completed task is kept", id: "7", status: .submitted, probe: .state(JobProgress(state: .completed, progress: 100)),
            expected: .keep(id: "7", note: "file group 1: keeping task 7 (Completed)")),
        GroupRow(
            name: "a failed task is sent again", id: "7", status: .submitted,
            probe: .state(JobProgress(state: .failed, progress: 0, reason: "bad row")),
            expected: .send(note: "file group 1: task 7 failed (bad row); sending that group again")),
        GroupRow(
            name: "a failed task without a reason", id: "7", status: .submitted, probe: .state(JobProgress(state: .failed, progress: 0)),
            expected: .send(note: "file group 1: task 7 failed (no reason given); sending that group again")),
        GroupRow(
            name: "a task the server forgot is not sent again", id: "7", status: .submitted, probe: .notFound,
            expected: .keep(id: "7", note: "file group 1: task 7 is no longer known to the server; not sending it again")),
        GroupRow(
            name: "an unreadable task makes the job unknown", id: "7", status: .submitted, retryUnknown: true,
            probe: .unreadable("HTTP 502"),
            expected: .unknown("file group 1 has task 7, whose state could not be read: HTTP 502")),
        GroupRow(
            name: "a create sent without an id recorded", status: .intent,
            expected: .unknown("file group 1's create may have reached the server, but no task id was recorded")),
        GroupRow(
            name: "a create of unknown outcome", status: .unknown,
            expected: .unknown("file group 1's create may have reached the server, but no task id was recorded")),
        GroupRow(
            name: "a create of unknown outcome with --retry-unknown", status: .unknown, retryUnknown: true, expected: .send(note: nil)),
        GroupRow(name: "an intent with --retry-unknown", status: .intent, retryUnknown: true, expected: .send(note: nil)),
        GroupRow(name: "a failed create", status: .failed, expected: .send(note: nil)),
        GroupRow(name: "a group never tried", expected: .send(note: nil)),
    ]

    @Test(arguments: groupRows)
    func aGroupOfAJobBeingResumed(row: GroupRow) {
        var entry = Self.entry(.intent, groups: [0: .submitted])
        entry.groupIDs = [0: "6"]
        if let id = row.id { entry.groupIDs[1] = id }
        if let status = row.status { entry.groupStatus[1] = status }
        #expect(SubmitDecision.resume(group: 1, entry: entry, retryUnknown: row.retryUnknown, probe: row.probe) == row.expected)
    }
}
