import Foundation

/// A temporary folder for the files a test writes, removed by `remove()` (or at the end of
/// ``with(_:)``).
public struct TemporaryFolder: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-import-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Runs `body` with a fresh folder and removes it afterwards, whatever `body` does.
    public static func with<T>(_ body: (TemporaryFolder) async throws -> T) async throws -> T {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        return try await body(folder)
    }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
