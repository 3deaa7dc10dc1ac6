import ArgumentParser
import BulkImportKit
import Dispatch
import Platform

/// How run progress is shown.
enum ProgressStyle: String, CaseIterable, ExpressibleByArgument {
    /// Live on a terminal, lines otherwise.
    case auto
    /// One line per active job, redrawn in place a few times a second, and a summary table.
    case live
    /// One line per state change.
    case lines
}

/// What the commands that run jobs print to: a live display, lines, or JSON events.
protocol RunDisplay: RunObserver {
    /// Prints a message above whatever is drawn (Ctrl-C notices).
    func note(_ text: String)
    /// Ends the display (the live one prints its summary table).
    func finish()
}

/// Prints run events as they happen: a line per state change (progress at most every 10 points or
/// 30 s per job: ``ProgressLineThrottle``), or a JSON object per line (every event).
final class PrintingObserver: RunDisplay, @unchecked Sendable {
    let redactor: Redactor
    let json: Bool
    private let formatter: RunEventFormatter
    private let queue = DispatchQueue(label: "bulk-import.printing-observer")
    private var throttle = ProgressLineThrottle()
    private var notSubmitted = NotSubmittedList()

    init(redactor: Redactor, json: Bool) {
        self.redactor = redactor
        self.json = json
        formatter = RunEventFormatter(redactor: redactor)
    }

    func handle(_ event: RunEvent) {
        if json {
            Terminal.write(formatter.json(event) + "\n", to: .stdout)
            return
        }
        let admitted = queue.sync { throttle.admits(event, at: LiveDisplay.now()) }
        if admitted, let line = formatter.text(event) {
            Terminal.write(line + "\n", to: .stdout, redactor: redactor)
        }
    }

    func standing(_ standing: JobStanding) {
        if !json { queue.sync { notSubmitted.take(standing) } }
    }

    func note(_ text: String) { Terminal.write(text + "\n", to: .stderr, redactor: redactor) }

    /// A log names the jobs never submitted at its end, as the live display's table does.
    func finish() {
        let lines = queue.sync { notSubmitted.lines() }
        if !lines.isEmpty { Terminal.write(lines.joined(separator: "\n") + "\n", to: .stdout, redactor: redactor) }
    }
}

/// Draws a ``LiveJobBoard`` on the terminal: lines that must stay (completions, failures) scroll
/// above a live area that is redrawn in place at most four times a second.
final class LiveDisplay: RunDisplay, @unchecked Sendable {
    private let queue = DispatchQueue(label: "bulk-import.live-display")
    private let redactor: Redactor
    private var board: LiveJobBoard
    private var pending: [String] = []
    private var drawnLines = 0
    private var finished = false
    /// Nothing is drawn before the run's first event: what opening the state prints on stderr
    /// (a note, a warning) must not be erased by a redraw of a live area drawn before it.
    private var live = false
    private let timer: DispatchSourceTimer

    init(total: Int, following: Bool, redactor: Redactor) {
        self.redactor = redactor
        board = LiveJobBoard(total: total, start: Self.now(), following: following, redactor: redactor)
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: .milliseconds(250))
        timer.setEventHandler { [weak self] in self?.draw() }
        timer.resume()
    }

    func handle(_ event: RunEvent) {
        queue.sync {
            live = true
            pending += board.apply(event, at: Self.now())
        }
    }

    func standing(_ standing: JobStanding) {
        queue.sync {
            live = true
            board.take(standing, at: Self.now(), wallClock: WallClock.now())
        }
    }

    func note(_ text: String) {
        queue.sync {
            live = true
            pending.append(text)
            draw()
        }
    }

    func finish() {
        queue.sync {
            timer.cancel()
            draw()
            finished = true
            var out = clearFrame()
            let table = board.summaryTable(now: Self.now())
            if !table.isEmpty { out += "\n" + table.joined(separator: "\n") + "\n\n" }
            Terminal.write(out, to: .stdout, redactor: redactor)
        }
    }

    /// On the queue.
    private func draw() {
        guard !finished, live else { return }
        let (width, height) = Terminal.size()
        var out = clearFrame()
        for line in pending { out += line + "\n" }
        pending.removeAll(keepingCapacity: true)
        let frame = board.frame(now: Self.now(), width: width - 1, height: min(height - 1, 30))
        out += frame.joined(separator: "\n") + "\n"
        drawnLines = frame.count
        Terminal.write(out, to: .stdout, redactor: redactor)
    }

    /// Moves to the first line of the live area and erases it and everything below.
    private func clearFrame() -> String {
        defer { drawnLines = 0 }
        return drawnLines > 0 ? "\u{1B}[\(drawnLines)F\u{1B}[J" : ""
    }

    /// Seconds on the monotonic clock, for the board's elapsed times.
    static func now() -> Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static let origin = ContinuousClock.now
}
