import Foundation
import Platform
import Testing

@Suite struct FileReaderTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "platform-reader-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Reads the whole file `chunk` bytes at a time.
    func readAll(_ reader: FileReader, chunk: Int) -> [UInt8]? {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            guard let n = buffer.withUnsafeMutableBytes({ reader.read(into: $0.baseAddress!, count: chunk) }) else { return nil }
            if n == 0 { return all }
            all += buffer[..<n]
        }
    }

    @Test(arguments: [0, 1, 4096, 70_000])
    func readsEveryByteInChunks(_ size: Int) throws {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = try temporaryFile(bytes)
        defer { unlink(path) }
        let reader = try FileReader(path: path, limit: 1 << 20)
        #expect(reader.size == size)
        #expect(readAll(reader, chunk: 4093) == bytes)
        #expect(reader.bytesRead == size)
        #expect(reader.failure == nil)
    }

    @Test func aFileOfExactlyTheLimitIsReadAndOneOverItIsRefusedBeforeReading() throws {
        let path = try temporaryFile(Array(repeating: 65, count: 18))
        defer { unlink(path) }
        #expect(throws: FileContents.Failure.tooLarge(size: 18, limit: 16)) { try FileReader(path: path, limit: 16) }
        let reader = try FileReader(path: path, limit: 18)
        #expect(readAll(reader, chunk: 5)?.count == 18)
    }

    /// A FIFO has no size to check when it is opened: its bytes are held to the limit as they come.
    @Test func aFileThatGrowsPastTheLimitWhileReadIsRefusedOneBytePastIt() throws {
        let path = NSTemporaryDirectory() + "platform-fifo-\(UUID().uuidString)"
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            // One write under PIPE_BUF: done before the reader sees a byte, so it never meets a closed pipe.
            _ = Array(repeating: UInt8(ascii: "a"), count: 500).withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let reader = try FileReader(path: path, limit: 64)
        #expect(reader.size == 0)
        #expect(readAll(reader, chunk: 1000) == nil)
        #expect(reader.failure == .tooLarge(size: 65, limit: 64))
        #expect(reader.bytesRead == 65)
        // Once failed, it stays failed.
        var byte: UInt8 = 0
        #expect(reader.read(into: &byte, count: 1) == nil)
    }

    @Test func thePrefixIsReadAgainFromTheStartAcrossChunks() throws {
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let path = try temporaryFile(bytes)
        defer { unlink(path) }
        let reader = try FileReader(path: path, limit: 1 << 20)
        _ = readAll(reader, chunk: 65_536)
        for count in [0, 3, 65_536, 150_001, 300_000] {
            var again: [UInt8] = []
            reader.rereadPrefix(count) { again += $0 }
            #expect(again == Array(bytes.prefix(count)))
        }
    }
}
