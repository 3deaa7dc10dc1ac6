import Testing

@testable import BulkImportKit

/// The extension of a file, read in place, is what the array-building version gave.
@Suite("Validation: file extensions")
struct FileExtensionTests {
    /// The version before, kept as the reference.
    private static func reference(_ path: String) -> String? {
        let bytes = path.utf8
        guard let lastByte = bytes.last, lastByte != UInt8(ascii: "/") else { return nil }
        var ext: [UInt8] = []
        for b in bytes.reversed() {
            if b == UInt8(ascii: ".") { break }
            if b == UInt8(ascii: "/") || ext.count > 16 { return nil }
            ext.append(b >= 65 && b <= 90 ? b + 32 : b)
        }
        let nameStart = bytes.count - ext.count - 1
        guard !ext.isEmpty, nameStart > 0 else { return nil }
        let before = bytes[bytes.index(bytes.startIndex, offsetBy: nameStart - 1)]
        guard before != UInt8(ascii: "/") else { return nil }
        return String(decoding: ext.reversed(), as: UTF8.self)
    }

    @Test(arguments: [
        "a.parquet", "dir/a.PARQUET", "a.Npy", ".hidden", "dir/.hidden", "a.", "a", "", "/", "dir/", "a/b.c/d",
        "a.b.json", "x.12345678901234567", "x.123456789012345678", "x.1234567890123456", "é.ÉtÉ", "a..b", "./a",
        "../a.csv", "s3://bucket/k.json", "a.json/", "A.JSON", ".", "..", "a/.b.c",
    ])
    func extensionIsAsBefore(_ path: String) {
        #expect(ManifestResolver.fileExtension(path) == Self.reference(path))
    }
}
