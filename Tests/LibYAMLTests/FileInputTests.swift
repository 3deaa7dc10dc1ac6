import Foundation
import LibYAML
import Testing

/// A file is parsed a chunk at a time, not read whole: the same events and the same errors, at the
/// same marks, as parsing its bytes.
@Suite struct FileInputTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "libyaml-file-\(UUID().uuidString).yaml"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every event of `parser` as text, up to the stream's end or the error.
    func events(_ parser: YAMLParser) -> [String] {
        var all: [String] = []
        while true {
            do {
                let event = try parser.next()
                all.append("\(event)")
                if case .streamEnd = event { return all }
            } catch {
                all.append("error \(error.kind) \(error)")
                return all
            }
        }
    }

    /// A manifest of `jobs` jobs: about 125 bytes a job, so 5,000 jobs are past the read-ahead threshold.
    static func manifest(jobs: Int) -> [UInt8] {
        var text = "version: 1\njobs:\n"
        for i in 0..<jobs {
            text += "  - name: job-\(i)\n    collection: \"c\(i % 7)\"\n    files: [[s3://bucket/data/part-\(i).parquet]]\n"
            text += "    options: {timeout: 300s}  # é\n"
        }
        return Array(text.utf8)
    }

    @Test(arguments: [1, 300, 5_000])
    func aFileGivesTheEventsOfItsBytes(_ jobs: Int) throws {
        let bytes = Self.manifest(jobs: jobs)
        let path = try temporaryFile(bytes)
        defer { unlink(path) }
        let fromFile = try YAMLParser(contentsOfFile: path)
        #expect(fromFile.byteCount == bytes.count)
        let fromBytes = try YAMLParser(bytes: bytes)
        let (a, b) = (events(fromFile), events(fromBytes))
        #expect(fromFile.readsAhead == (bytes.count >= YAMLParser.defaultReadAheadThreshold))
        #expect(a.count == b.count)
        #expect(a == b)
    }

    /// Encoding errors carry a byte offset that is turned into a line and column: from a file, by
    /// reading it again up to there, past the first chunks and the read-ahead threshold.
    @Test(arguments: [
        Array("k: éé".utf8) + [0x80],
        [0xEF, 0xBB, 0xBF] + Array("a: ".utf8) + [0xFF],
        Array("a: 1\nb: x".utf8) + [0x00] + Array("y\n".utf8),
        manifest(jobs: 400) + Array("x: é".utf8) + [0xC3, 0x28],
        [0xEF, 0xBB, 0xBF] + manifest(jobs: 5_000) + Array("y: \"\u{1F600}".utf8) + [0xFE] + Array("\"\n".utf8),
    ])
    func encodingErrorsInAFileAreWhereTheyAreInItsBytes(_ bytes: [UInt8]) throws {
        let path = try temporaryFile(bytes)
        defer { unlink(path) }
        let fromBytes = try #require(loadError(bytes: bytes))
        let fromFile = try #require(loadFileError(path))
        #expect(fromBytes.kind == .invalidEncoding)
        #expect(fromFile == fromBytes)
    }

    func loadFileError(_ path: String, limits: YAMLLimits = .default) -> YAMLError? {
        do {
            let composer = YAMLComposer(parser: try YAMLParser(contentsOfFile: path, limits: limits), limits: limits)
            _ = try composer.composeDocument()
            return nil
        } catch let error as YAMLError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func aFileThatGrowsPastTheLimitWhileParsedIsRefused() throws {
        let path = NSTemporaryDirectory() + "libyaml-fifo-\(UUID().uuidString)"
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            // One write under PIPE_BUF: done before the parser sees a byte, so it never meets a closed pipe.
            let text = Array(String(repeating: "a: 1\n", count: 100).utf8)
            _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let error = try #require(loadFileError(path, limits: YAMLLimits(maxInputBytes: 64)))
        #expect(error.kind == .inputTooLarge)
        #expect(error.message == "the file grew past the limit of 64 bytes while it was read")
        #expect(error.mark == mark(1, 1))
    }
}
