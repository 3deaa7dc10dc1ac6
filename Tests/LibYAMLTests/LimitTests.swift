import Foundation
import LibYAML
import Testing

@Suite("Hostile and malformed input")
struct LimitTests {
    /// The classic "billion laughs": ten levels of nine aliases each, a few hundred bytes that
    /// would expand to 9^9 nodes.
    static let billionLaughs: String = {
        var lines = [#"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        let names = Array("abcdefghij").map(String.init)
        for i in 1..<names.count {
            lines.append("\(names[i]): &\(names[i]) [" + Array(repeating: "*\(names[i - 1])", count: 9).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func billionLaughsIsRefusedAtTheFirstLevelPastTheBudget() throws {
        #expect(Self.billionLaughs.utf8.count < 600)
        let error = try #require(loadError(Self.billionLaughs))
        #expect(error.kind == .aliasBudgetExceeded)
        // Level e is the first whose aliases go past the 10,000-node floor: 10 + 90 + 819 + 7380 + 7381.
        // Refused there, the load did about 16,000 nodes of work, not the 9^9 of expanding it all
        // (that would take minutes and gigabytes). The work is the bound, not a wall time, which a
        // loaded machine or a sanitizer can stretch (`Benchmarks/validate/hostile.py` times it).
        #expect(error.mark == mark(5, 8))
    }

    @Test func billionLaughsThroughMergeKeysIsRefused() throws {
        var lines = ["a0: &a0 {k0: lol, k1: lol, k2: lol, k3: lol, k4: lol, k5: lol, k6: lol, k7: lol, k8: lol}"]
        for i in 1..<10 {
            let items = (0..<9).map { "k\($0): *a\(i - 1)" }.joined(separator: ", ")
            lines.append("a\(i): &a\(i) {\(items)}")
        }
        let error = try #require(loadError(lines.joined(separator: "\n")))
        #expect(error.kind == .aliasBudgetExceeded)
    }

    @Test func aliasBudgetScalesWithTheDocument() throws {
        // Many legitimate aliases in a large document stay under the budget...
        var lines = ["base: &base {x: 1, y: 2, z: [a, b, c]}"]
        for i in 0..<3_000 { lines.append("j\(i): {<<: *base, n: \(i)}") }
        let (root, issues) = try load(lines.joined(separator: "\n"))
        #expect(issues.isEmpty)
        #expect(root.keys.count == 3_001)
        // ...and a small budget refuses them.
        let tight = YAMLLimits(aliasExpansionFloor: 10, aliasExpansionFactor: 1)
        #expect(loadError(lines.joined(separator: "\n"), limits: tight)?.kind == .aliasBudgetExceeded)
    }

    @Test func deepNestingIsRefused() throws {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = try #require(loadError(text))
        #expect(error.kind == .nestingTooDeep)
        // The 65th bracket is one level too many: refused there, before the other 9,935 levels.
        #expect(error.mark == mark(1, YAMLLimits.default.maxDepth + 1))
    }

    @Test func nestingCountsMappingsAndSequencesTogether() throws {
        let limits = YAMLLimits(maxDepth: 4)
        #expect(loadError("a: {b: [c, {d: 1}]}", limits: limits) == nil)
        let error = try #require(loadError("a: {b: [c, {d: [1]}]}", limits: limits))
        #expect(error.kind == .nestingTooDeep)
        #expect(error.mark == mark(1, 16))
    }

    @Test func nestingLimitIsNotFooledByClosingCollections() throws {
        // Sibling collections do not add up: depth goes back down at each end.
        let limits = YAMLLimits(maxDepth: 3)
        let siblings = (0..<200).map { "k\($0): [[1]]" }.joined(separator: "\n")
        #expect(loadError(siblings, limits: limits) == nil)
    }

    @Test func invalidUTF8IsAnEncodingErrorWithAPosition() throws {
        let bytes = Array("a: 1\nb: caf".utf8) + [0xFF] + Array("\n".utf8)
        let error = try #require(loadError(bytes: bytes))
        #expect(error.kind == .invalidEncoding)
        #expect(error.mark == mark(2, 7))
        #expect(error.message.contains("0xFF"))
    }

    @Test func invalidUTF8AfterMultibyteCharactersCountsCharacters() throws {
        let bytes = Array("k: éé".utf8) + [0x80]
        let error = try #require(loadError(bytes: bytes))
        #expect(error.kind == .invalidEncoding)
        #expect(error.mark == mark(1, 6))
    }

    @Test func truncatedMultibyteSequenceIsAnEncodingError() throws {
        let bytes = Array("a: 1\nb: x".utf8) + [0xE9] + Array("\n".utf8)
        let error = try #require(loadError(bytes: bytes))
        #expect(error.kind == .invalidEncoding)
        #expect(error.mark.line == 2)
    }

    /// libyaml's marks do not count a byte-order mark, so the encoding error's column must not either.
    @Test func invalidUTF8AfterAByteOrderMarkHasTheSameColumnAsWithout() throws {
        let body = Array("a: ".utf8) + [0xFF]
        let plain = try #require(loadError(bytes: body))
        let withBOM = try #require(loadError(bytes: [0xEF, 0xBB, 0xBF] + body))
        #expect(plain.mark == mark(1, 4))
        #expect(withBOM.kind == .invalidEncoding)
        #expect(withBOM.mark == plain.mark)
    }

    @Test func nulByteIsRefused() throws {
        let bytes = Array("a: 1\nb: x".utf8) + [0x00] + Array("y\n".utf8)
        let error = try #require(loadError(bytes: bytes))
        #expect(error.kind == .invalidEncoding)
        #expect(error.mark == mark(2, 5))
    }

    @Test func inputOverTheLimitIsRefusedBeforeParsing() throws {
        let limits = YAMLLimits(maxInputBytes: 16)
        #expect(loadError("a: 1234567890\n", limits: limits) == nil)  // 14 bytes
        let error = try #require(loadError("a: 12345678901234\n", limits: limits))
        #expect(error.kind == .inputTooLarge)
        #expect(error.mark == mark(1, 1))
        #expect(error.message.contains("18"))
        #expect(error.message.contains("16"))
    }

    @Test func fileOverTheLimitIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("libyaml-limit-\(UUID().uuidString).yaml").path
        try Data("a: 12345678901234\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        #expect(throws: YAMLFileError.tooLarge(path: path, size: 18, limit: 16)) {
            _ = try YAMLParser(contentsOfFile: path, limits: YAMLLimits(maxInputBytes: 16))
        }
        let parser = try YAMLParser(contentsOfFile: path, limits: YAMLLimits(maxInputBytes: 18))
        #expect(parser.byteCount == 18)
        let root = try YAMLComposer(parser: parser).composeDocument()
        #expect(root?["a"]?.text == "12345678901234")
    }

    @Test func missingFileAndFolderCannotBeOpened() throws {
        do {
            _ = try YAMLParser(contentsOfFile: "/nonexistent/bulk-import/manifest.yaml")
            Issue.record("expected an error")
        } catch {
            guard case .cannotOpen(let path, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == "/nonexistent/bulk-import/manifest.yaml")
            #expect(reason.contains("No such file"))
        }
        #expect(throws: YAMLFileError.cannotOpen(path: "/tmp", reason: "is a folder")) {
            _ = try YAMLParser(contentsOfFile: "/tmp")
        }
    }

    @Test func emptyFileHasNoDocument() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("libyaml-empty-\(UUID().uuidString).yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let parser = try YAMLParser(contentsOfFile: path)
        #expect(parser.byteCount == 0)
        #expect(try YAMLComposer(parser: parser).composeDocument() == nil)
    }
}
