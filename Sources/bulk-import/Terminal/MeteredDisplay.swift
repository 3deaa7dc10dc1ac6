import BulkImportKit

/// A display that also hands every event to the run's metrics, so `--metrics-file` sees what the
/// user sees.
struct MeteredDisplay: RunDisplay {
    let display: any RunDisplay
    let metrics: RunMetricsCollector

    func handle(_ event: RunEvent) {
        metrics.handle(event)
        display.handle(event)
    }

    // Forwarded by hand: the protocol's default would drop the standings the final table is made of.
    func standing(_ standing: JobStanding) { display.standing(standing) }
    func note(_ text: String) { display.note(text) }
    func finish() { display.finish() }
}

extension Duration {
    /// The duration in seconds, for a report.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
