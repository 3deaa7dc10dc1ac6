import Testing

@testable import BulkImportKit

/// One import written twice is found by a hash over the bytes of each path, eight bytes at a
/// time, then compared exactly (`plan`, `run`) or by a second, seeded hash (`validate`).
@Suite("Validation: one import written twice")
struct SameImportTests {
    static func manifest(_ paths: [String]) -> String {
        var builder = ManifestBuilder().target("t", "milvus", "uri: http://localhost:19530\ntoken: $<MILVUS_TOKEN>")
        for (index, path) in paths.enumerated() {
            builder = builder.job("j\(index)", "target: t\ncollection_name: c\nfiles: [\(path)]")
        }
        return builder.text
    }

    /// Paths that differ in one byte, at every place of the first, second and last word and of
    /// the tail, or in their length only, are different imports.
    @Test(arguments: [false, true])
    func pathsThatDifferInOneByteAreDifferentImports(keepsJobs: Bool) {
        let base = Array("abcdefghijklmnopqrstu/x.parquet".utf8)
        var paths = [String(decoding: base, as: UTF8.self)]
        for place in 0..<21 {
            var changed = base
            changed[place] = changed[place] == UInt8(ascii: "z") ? UInt8(ascii: "y") : UInt8(ascii: "z")
            paths.append(String(decoding: changed, as: UTF8.self))
        }
        paths.append("abcdefgh.parquet")
        paths.append("abcdefgh.json")
        let result = check(Self.manifest(paths), options: ValidationOptions(keepsJobs: keepsJobs))
        #expect(result.diagnostics(.sameImport).isEmpty, "\(result.listing)")
        #expect(result.errorCount == 0, "\(result.listing)")
    }

    /// The same path, however long, in one job after another, is one import; file groups in
    /// another order too.
    @Test(arguments: [false, true])
    func theSamePathIsOneImportWhateverItsLength(keepsJobs: Bool) {
        for length in [1, 7, 8, 9, 16, 17, 1000] {
            let path = String(repeating: "p", count: length) + ".parquet"
            let result = check(Self.manifest([path, "other.parquet", path]), options: ValidationOptions(keepsJobs: keepsJobs))
            #expect(result.diagnostics(.sameImport).map(\.job) == ["j2"], "length \(length): \(result.listing)")
        }
        let groups = check(Self.manifest(["[a/id.npy, a/vec.npy], [b/id.npy, b/vec.npy]", "[b/id.npy, b/vec.npy], [a/id.npy, a/vec.npy]"]))
        #expect(groups.errorCount == 0, "\(groups.listing)")
        #expect(groups.diagnostics(.sameImport).map(\.job) == ["j1"], "\(groups.listing)")
    }
}
