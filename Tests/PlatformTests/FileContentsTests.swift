import Foundation
import Platform
import Testing

@Suite struct FileContentsTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "platform-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [0, 1, 4096, 70_000])
    func readsEveryByte(_ size: Int) throws {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = try temporaryFile(bytes)
        defer { unlink(path) }
        let contents = try FileContents(path: path, limit: 1 << 20)
        #expect(contents.bytes == bytes)
        #expect(contents.buffer.count == size)
    }

    @Test func aFileOverTheLimitIsRefusedWithItsSize() throws {
        let path = try temporaryFile(Array(repeating: 65, count: 18))
        defer { unlink(path) }
        #expect(throws: FileContents.Failure.tooLarge(size: 18, limit: 16)) { try FileContents(path: path, limit: 16) }
        #expect(try FileContents(path: path, limit: 18).buffer.count == 18)
    }

    @Test func aFolderAndAMissingFileSayWhy() {
        #expect(throws: FileContents.Failure.cannotOpen(reason: "is a folder")) { try FileContents(path: "/tmp", limit: 16) }
        #expect(throws: FileContents.Failure.cannotOpen(reason: "No such file or directory")) {
            try FileContents(path: "/nonexistent/\(UUID().uuidString)", limit: 16)
        }
    }

    @Test func theWallClockIsTheSystemsTime() {
        let difference = WallClock.now() - Date().timeIntervalSince1970
        #expect(abs(difference) < 1)
    }
}
