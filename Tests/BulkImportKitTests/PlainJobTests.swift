import Foundation
import LibYAML
import Testing

@testable import BulkImportKit

/// Jobs decoded straight from libyaml's events (``PlainJob``) give exactly what composing them
/// gives: the same diagnostics at the same places, the same jobs, the same model.
@Suite("Manifest: plain jobs decoded from events")
struct PlainJobTests {
    /// Loads and checks `text` with plain jobs read from events or composed.
    private func outcome(_ text: String, fromEvents: Bool, limits: YAMLLimits = .default) -> (ValidationResult, LoadedManifest) {
        var loader = ManifestLoader(limits: limits)
        loader.decodesPlainJobsFromEvents = fromEvents
        let loaded = loader.load(string: text, file: "manifest.yaml")
        let result = ManifestCheck(environment: testEnvironment, loader: loader).check([loaded], files: ["manifest.yaml"])
        return (result, loaded)
    }

    /// What of the model a comparison can see: every job's name, place, fields written and values.
    private func model(_ loaded: LoadedManifest) -> [String] {
        (loaded.manifest?.jobs ?? []).map { job in
            let f = job.fields
            return [
                "\(job.name)", "\(job.span)", "\(job.index)", "\(job.incomplete)", "\(Array(f.present))",
                "\(String(describing: f.target))", "\(String(describing: f.collectionName))",
                "\(String(describing: f.partitionName))", "\(String(describing: f.dbName))",
                "\(String(describing: f.files))", "\(String(describing: f.objectURL))", "\(String(describing: f.accessKey))",
                "\(String(describing: f.secretKey))", "\(String(describing: f.token))", "\(String(describing: f.options))",
            ].joined(separator: " | ")
        }
    }

    private func expectSame(_ text: String, limits: YAMLLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) {
        let (fast, fastLoaded) = outcome(text, fromEvents: true, limits: limits)
        let (slow, slowLoaded) = outcome(text, fromEvents: false, limits: limits)
        #expect(fast.diagnostics == slow.diagnostics, sourceLocation: sourceLocation)
        #expect(fast.jobs == slow.jobs, sourceLocation: sourceLocation)
        #expect(fast.declaredJobs == slow.declaredJobs, sourceLocation: sourceLocation)
        #expect(fast.errorCount == slow.errorCount, sourceLocation: sourceLocation)
        #expect(fast.warningCount == slow.warningCount, sourceLocation: sourceLocation)
        #expect(model(fastLoaded) == model(slowLoaded), sourceLocation: sourceLocation)
    }

    /// Every manifest the tests and the documentation have: the diagnostic fixtures (one per code)
    /// and the examples.
    static let corpus: [URL] = {
        var files: [URL] = []
        let diagnostics = Paths.fixtures.appendingPathComponent("diagnostics")
        if let walker = FileManager.default.enumerator(at: diagnostics, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.pathExtension == "yaml" { files.append(url) }
        }
        files += Paths.yamlFiles(in: Paths.examples)
        return files.sorted { $0.path < $1.path }
    }()

    @Test func theCorpusIsThere() {
        #expect(Self.corpus.count > 40)
    }

    @Test(arguments: corpus)
    func everyFixtureDecodesAlikeBothWays(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        // Not-UTF-8 fixtures included: the bytes go to libyaml as they are.
        let (fastLoaded, slowLoaded): (LoadedManifest, LoadedManifest) = {
            var loader = ManifestLoader()
            let fast = loader.load(bytes: Array(data), file: url.lastPathComponent)
            loader.decodesPlainJobsFromEvents = false
            return (fast, loader.load(bytes: Array(data), file: url.lastPathComponent))
        }()
        #expect(fastLoaded.diagnostics == slowLoaded.diagnostics)
        #expect(model(fastLoaded) == model(slowLoaded))
        let checker = ManifestCheck(environment: testEnvironment)
        let fast = checker.check([fastLoaded], files: [url.lastPathComponent])
        let slow = checker.check([slowLoaded], files: [url.lastPathComponent])
        #expect(fast.diagnostics == slow.diagnostics)
        #expect(fast.jobs == slow.jobs)
    }

    private static let head = """
        version: 1
        targets:
          local:
            milvus:
              uri: http://localhost:19530
        x-common: &common
          target: local
          collection_name: c
        jobs:

        """

    @Test(arguments: [
        // Plain, and every field of the plain shape, with problems in values.
        """
          - name: a
            target: local
            collection_name: "2024"
            partition_name: p1
            db_name: yes
            files: [data/a.parquet, [data/b.npy, data/c.npy], data/readme.txt]
            options: {timeout: 300s, sep: "", backup: true}
          - name: b
            target: nowhere
            collection_name: $<UNSET_VARIABLE>
            files: []
            object_url: s3://bucket/x
            access_key: $<AWS_ACCESS_KEY_ID>
            secret_key: plain-secret
            token: $<AWS_SESSION_TOKEN>
          - {}
          - name:
            target:
            collection_name: ''
          - name: bad name!
            files: [a.json]
        """,
        // Not plain: anchors, aliases, merges, tags, inline targets, unknown and duplicate keys,
        // fields fallen out of `options:`, wrong shapes.
        """
          - &job1
            name: anchored
            target: local
            collection_name: c
            files: [a.parquet]
          - *job1
          - <<: *common
            name: merged
            files: [m.parquet]
          - name: tagged
            target: !!str local
            collection_name: c
            files: [t.parquet]
          - name: inline
            target: {milvus: {uri: http://localhost:19530}}
            collection_name: c
            files: [i.parquet]
          - name: unknown
            target: local
            colection_name: c
            files: [u.parquet]
          - name: twice
            name: again
            target: local
          - name: fallen
            target: local
            collection_name: c
            files: [f.parquet]
            options:
            timeout: 5s
          - name: shapes
            target: local
            collection_name: [c]
            files: data.parquet
            options: [timeout]
          - name: option-shapes
            target: local
            collection_name: c
            files: [[a.npy, [b.npy]], {x: y}]
            options: {timeout: [1], <<: {sep: ","}, timeout: 2s}
          - !job
            name: tagged-job
          - name: "quoted-key"
            "target": local
            collection_name: c
            files: [q.parquet]
          - - not a mapping
          - plain scalar
        """,
    ])
    func plainAndUnusualJobsDecodeAlikeBothWays(_ jobs: String) {
        expectSame(Self.head + jobs)
    }

    /// Keys that are no field, few or many (past the composer's switch to an index at 12, and
    /// past the 50 reports kept per job), repeated early or late, among fields and after them.
    @Test(arguments: [1, 11, 12, 13, 60])
    func unknownKeysDecodeAlikeBothWays(count: Int) {
        let keys = (0..<count).map { "    k\($0): v\($0)\n" }.joined()
        let plain = "  - name: a\n    target: local\n" + keys + "    collection_name: c\n    files: [a.parquet]\n"
        expectSame(Self.head + plain)
        for repeated in [0, count / 2, count - 1] {
            expectSame(Self.head + plain + "    k\(repeated): again\n")
            expectSame(Self.head + "  - name: b\n" + keys + "    k\(repeated): again\n    target: local\n")
        }
        expectSame(Self.head + plain + "    late: [not, a, scalar]\n")
        expectSame(Self.head + plain + "    stage_name: s\n")
    }

    /// The reader takes a plain job and counts its nodes as composing does; it gives up on a merge.
    @Test(arguments: [
        ("{name: a, target: t, files: [x, [y]], options: {timeout: 1s}}", 14 as Int?),
        ("{name: a, <<: {target: t}}", nil), ("{name: a, target: {milvus: {}}}", nil), ("{name: &n a}", nil),
        ("{name: a, extra_field: 1}", 5), ("{name: a, extra_field: [1]}", nil), ("{name: a, \"extra_field\": 1}", nil),
        ("{name: a, x: 1, x: 2}", nil), ("{name: a, volume_name: v}", nil), ("{name: a, name: b}", nil),
        ("!tag {name: a}", nil),
    ])
    func theReaderTakesOnlyPlainJobs(_ text: String, nodes: Int?) throws {
        let composer = YAMLComposer(parser: try YAMLParser(string: text))
        _ = try composer.nextEvent()  // stream start
        _ = try composer.nextEvent()  // document start
        let start = try composer.nextEvent()
        var buffer = [start]
        let job = try PlainJob.read(composer, start: start, buffer: &buffer)
        #expect(job?.nodes == nodes)
    }

    /// A job that turns out not to be plain hands back every event read, in order: the pairs of
    /// its unknown keys, kept aside while reading, go back where they were read.
    @Test(arguments: [
        ("{name: a, k1: 1, k2: 2, target: {milvus: {}}}", 100), ("{k1: 1, name: a, k2: 2, k1: 3}", 100),
        ("{k1: 1, k2: 2, k3: [x]}", 100), ("{k1: 1, name: a, k2: 2, files: [[x], {y: z}]}", 100),
        ("{k1: 1, k2: 2, k3: 3, \"k4\": 4}", 100), ("{name: a, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5}", 6),
        ("{k1: 1, k2: 2, options: {a: 1, <<: {}}}", 100), ("{name: a, target: t, k1: 1, k2: &x 2}", 100),
    ])
    func aJobThatIsNotPlainHandsBackEveryEventInOrder(_ text: String, maxNodes: Int) throws {
        let limits = YAMLLimits(maxNodesPerValue: maxNodes)
        let composer = YAMLComposer(parser: try YAMLParser(string: text), limits: limits)
        _ = try composer.nextEvent()  // stream start
        _ = try composer.nextEvent()  // document start
        let start = try composer.nextEvent()
        var buffer = [start]
        #expect(try PlainJob.read(composer, start: start, buffer: &buffer) == nil)
        // What a parser of the same text gives, event for event, up to where the reader stopped.
        let parser = try YAMLParser(string: text)
        var events: [String] = []
        for _ in 0..<(2 + buffer.count) { events.append("\(try parser.next())") }
        #expect(buffer.map { "\($0)" } == Array(events.dropFirst(2)))
        #expect(buffer.count >= 5, "the reader stopped after the unknown keys it set aside")
        // And the composer goes on from the event after them.
        #expect("\(try composer.nextEvent())" == "\(try parser.next())")
    }

    @Test func anAliasOfTheWholeJobsListStillWorks() {
        let text = """
            version: 1
            targets: {local: {milvus: {uri: http://localhost:19530}}}
            x-jobs: &all
              - name: one
                target: local
                collection_name: c
                files: [one.parquet]
            jobs: *all
            """
        let (result, _) = outcome(text, fromEvents: true)
        #expect(result.errors.isEmpty, "\(result.listing)")
        #expect(result.jobs.map(\.name) == ["one"])
        expectSame(text)
    }

    @Test func jobsAfterAnUnusualOneAreStillRead() {
        let text =
            Self.head + """
                  - <<: *common
                    name: merged
                    files: [m.parquet]
                  - name: plain
                    target: local
                    collection_name: c
                    files: [p.parquet]
                """
        let (result, _) = outcome(text, fromEvents: true)
        #expect(result.errors.isEmpty, "\(result.listing)")
        #expect(result.jobs.map(\.name) == ["merged", "plain"])
    }

    /// Nodes of plain jobs count toward the alias budget as composed ones did: an alias after many
    /// plain jobs is allowed as much expansion as before.
    @Test func plainJobsCountTowardTheAliasBudget() {
        let limits = YAMLLimits(aliasExpansionFloor: 10, aliasExpansionFactor: 1)
        var text = "version: 1\ntargets: {local: {milvus: {uri: http://localhost:19530}}}\njobs:\n"
        for i in 0..<20 { text += "  - {name: j\(i), target: local, collection_name: c, files: [f\(i).parquet]}\n" }
        text += "  - name: last\n    target: local\n    collection_name: c\n    files: &f [[a.npy, b.npy, c.npy, d.npy]]\n"
        text += "  - {name: again, target: local, collection_name: d, files: *f}\n"
        let (result, _) = outcome(text, fromEvents: true, limits: limits)
        #expect(!result.codes.contains(.aliasBudgetExceeded), "\(result.listing)")
        expectSame(text, limits: limits)
    }

    @Test func aJobOverTheNodeLimitIsRefusedAsBefore() {
        let limits = YAMLLimits(maxNodesPerValue: 50)
        var text = Self.head + "  - name: big\n    target: local\n    collection_name: c\n    files:\n"
        for i in 0..<60 { text += "      - f\(i).parquet\n" }
        let (result, _) = outcome(text, fromEvents: true, limits: limits)
        #expect(result.codes.contains(.valueTooLarge), "\(result.listing)")
        expectSame(text, limits: limits)
    }
}
