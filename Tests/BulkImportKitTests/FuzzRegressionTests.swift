import Foundation
import Testing

@testable import BulkImportKit

/// Inputs the fuzz targets in Fuzz/ found (minimized), kept with the behaviour they must have now.
/// Each fixture is under Fixtures/fuzz/<target>/; Fuzz/README.md lists the findings.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
    static func fixture(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Paths.fixtures.appendingPathComponent("fuzz/\(path)")))
    }

    static func response(_ path: String, status: Int = 200) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: [], body: try fixture(path))
    }

    // fuzz-response: Zilliz v1's readyPercentage was scaled without a bound, so 2 gave 200 % and
    // 1e300 trapped converting to Int.
    @Test func zillizV1ReadyPercentageOverOneIsOneHundredPercent() throws {
        let progress = try ZillizV1API().progress(from: try Self.response("response/zilliz-v1-ready-over-one.json"))
        #expect(progress.progress == 100)
        #expect(progress.state == .completed)
    }

    @Test func zillizV1HugeReadyPercentageDoesNotTrap() throws {
        let progress = try ZillizV1API().progress(from: try Self.response("response/zilliz-v1-ready-huge.json"))
        #expect(progress.progress == 100)
        let negative = HTTPResponse(status: 200, headers: [], body: Array(#"{"code":0,"data":{"readyPercentage":-1e300}}"#.utf8))
        #expect(try ZillizV1API().progress(from: negative).progress == 0)
    }

    // fuzz-response: the Milvus 2.3 API's progress_percent string was taken as it was: "759" gave
    // 759 %, past the 0...100 JobProgress promises.
    @Test func legacyProgressPercentIsClamped() throws {
        let progress = try MilvusV1API().progress(from: try Self.response("response/legacy-percent-over-100.json"))
        #expect(progress.progress == 100)
        #expect(progress.state == .completed)
        let negative = HTTPResponse(
            status: 200, headers: [], body: Array(#"{"status":{},"state":2,"infos":[{"key":"progress_percent","value":"-5"}]}"#.utf8))
        #expect(try MilvusV1API().progress(from: negative).progress == 0)
    }

    // fuzz-template: StringTemplate(literal:) escaped "$<" by Character, so a "<" carrying a
    // combining mark stayed unescaped; the raw text then failed to parse and resolved to itself,
    // with the other "$<" still doubled.
    @Test func literalTemplateWithACombiningMarkResolvesToItself() throws {
        let text = String(decoding: try Self.fixture("template/literal-combining-mark.txt"), as: UTF8.self)
        #expect(text.unicodeScalars.map(\.value) == [0x24, 0x3C, 0x24, 0x3C, 0x7EB])
        let template = StringTemplate(literal: text)
        #expect(template.isLiteral)
        #expect(template.resolve(in: Environment()) == .success(text))
        let again = try StringTemplate(parsing: template.raw)
        #expect(again.resolve(in: Environment()) == .success(text))
    }
}
