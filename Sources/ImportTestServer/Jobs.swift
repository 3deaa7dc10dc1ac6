import Foundation
import NIOCore

/// A job the test double holds, and how it progresses.
struct Job {
    let serial: Int
    let id: String
    let api: ImportAPI
    let dbName: String
    let collectionName: String
    let partitionName: String
    let clusterId: String?
    let files: [[String]]
    let options: [(String, String)]
    let idempotencyKey: String?
    let createdAt: NIODeadline
    let createdWall: Date
    /// The group that makes it fail, and the reason, when it is to fail.
    let failure: (groupIndex: Int, reason: String)?
    var polls = 0
    var terminalWall: Date?
    var forcedTerminal = false
    /// Where a two-phase job stands (see `TwoPhase.swift`).
    var phase = TwoPhase()

    /// A point in the job's life.
    struct Observation {
        var state: JobState
        var progress: Int
        var completeTime: Date?
    }

    /// Where the job is now. `advancing` counts this as a progress query for a `.polls` timeline.
    mutating func observe(now: NIODeadline, wallNow: Date, timeline: JobTimeline, advancing: Bool) -> Observation {
        if let aborted = abortedObservation() { return aborted }
        let fraction: Double
        if forcedTerminal {
            fraction = 1
        } else {
            switch timeline {
            case .immediate:
                fraction = 1
            case .duration(let total):
                let totalNanos = Job.nanoseconds(total)
                if totalNanos <= 0 {
                    fraction = 1
                } else {
                    let elapsed = (now - createdAt).nanoseconds
                    fraction = min(1, max(0, Double(elapsed) / Double(totalNanos)))
                }
            case .polls(let n):
                let query: Int
                if advancing {
                    query = polls
                    polls += 1
                } else {
                    if polls == 0 { return Observation(state: .pending, progress: 0, completeTime: nil) }
                    query = polls - 1
                }
                if query + 1 >= n {
                    fraction = 1
                } else if query == 0 {
                    fraction = 0
                } else {
                    fraction = 0.1 + 0.9 * Double(query) / Double(max(n, 1))
                }
            }
        }
        if fraction >= 1 {
            if terminalWall == nil {
                if case .duration(let total) = timeline, !forcedTerminal {
                    terminalWall = createdWall.addingTimeInterval(Double(Job.nanoseconds(total)) / 1e9)
                } else {
                    terminalWall = wallNow
                }
            }
            return settled(
                Observation(state: failure == nil ? .completed : .failed, progress: failure == nil ? 100 : 0, completeTime: terminalWall),
                advancing: advancing, wallNow: wallNow)
        }
        if fraction < 0.1 {
            return Observation(state: .pending, progress: Int(fraction * 100), completeTime: nil)
        }
        let progress = 10 + Int(((fraction - 0.1) / 0.9) * 89)
        return Observation(state: .importing, progress: min(99, max(10, progress)), completeTime: nil)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension Duration {
    var timeAmount: TimeAmount { .nanoseconds(Job.nanoseconds(self)) }
}

/// File-group rules shared by Milvus v2 and the 2.3 API (see import-api.md, "Rules the server enforces").
enum FileRules {
    static let rowBased: Set<String> = ["json", "parquet", "csv"]

    static func fileExtension(_ path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    /// `nil` when the group is acceptable, else the server's complaint.
    static func problem(with group: [String]) -> String? {
        let extensions = Set(group.map(fileExtension))
        guard extensions.count == 1, let ext = extensions.first else {
            return "inconsistent file types in one group, files=\(goList(group))"
        }
        if rowBased.contains(ext) {
            if group.count != 1 {
                return "for JSON, Parquet or CSV import, accepts only one file, but got \(group.count) files"
            }
            return nil
        }
        if ext == "npy" { return nil }
        return "unexpected file type, files=\(goList(group))"
    }

    /// Go's `fmt` rendering of a `[]string`: `[a b]`.
    static func goList(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }
}

/// The ISO 8601 text the servers write for `completeTime`.
func isoTime(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!))
}
