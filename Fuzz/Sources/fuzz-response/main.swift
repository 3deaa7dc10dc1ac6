// The server-response parsers (ResponseParser) over arbitrary bytes as the HTTP body, once with
// status 200 and once with an error status (and a Retry-After header), both picked from the input.
//
// Properties:
// - no crash, whatever the body: a body is a result or an ImportError;
// - a status other than 200 is never a success, for any parser;
// - a created job id is not empty; a Milvus 2.2/2.3 create gives at least one task;
// - progress is 0...100, as JobProgress documents, for every API;
// - Retry-After, when read, is a finite number of seconds, not negative.
import FuzzSupport

@testable import BulkImportKit

let errorStatuses = [400, 401, 403, 404, 408, 429, 500, 502, 503, 504, 201, 204, 301]
// Anything that is not a plain number goes through a DateFormatter, which is slow to make: those
// values are picked for one input in four, so the JSON parsers keep most of the time.
let retryNumbers = ["0", "3", "1.5", " 7 ", "-1"]
let retryOthers = ["", "nan", "inf", "1e400", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "garbage"]

func checkProgress(_ p: JobProgress, _ what: String) {
    Fuzz.check((0...100).contains(p.progress), "\(what) progress \(p.progress) outside 0...100")
    _ = p.state.description
}

func checkError(_ error: ImportError) {
    _ = error.description
    if let r = error.retryAfter { Fuzz.check(r.isFinite && r >= 0, "Retry-After read as \(r)") }
}

/// Runs every API's readers on `response`; returns how many succeeded.
func parseAll(_ response: HTTPResponse) -> Int {
    var successes = 0
    for api in ImportAPI.allCases {
        let client = api.client
        do {
            let ids = try client.createdJobIDs(from: response)
            Fuzz.check(!ids.isEmpty, "\(api): a create with no job id")
            Fuzz.check(ids.allSatisfy { !$0.isEmpty }, "\(api): an empty job id in \(ids)")
            successes += 1
        } catch { checkError(error) }
        do {
            checkProgress(try client.progress(from: response), api.rawValue)
            successes += 1
        } catch { checkError(error) }
        do {
            for job in try client.listedJobs(from: response) {
                _ = job.state.description
                if let p = job.progress { Fuzz.check((0...100).contains(p), "\(api): listed progress \(p) outside 0...100") }
            }
            successes += 1
        } catch { checkError(error) }
        _ = client.missingCollection(inPreflight: response)
    }
    if let r = ResponseEnvelope.retryAfter(response) { Fuzz.check(r.isFinite && r >= 0, "Retry-After read as \(r)") }
    return successes
}

Fuzz.run { bytes in
    let body = Array(bytes)
    let h = Fuzz.hash(bytes)
    let trace = ("X-Milvus-Trace-Id", "fuzz-trace")
    _ = parseAll(HTTPResponse(status: 200, headers: [trace], body: body))
    let status = errorStatuses[Int(h % UInt64(errorStatuses.count))]
    let pick = Int((h >> 10) % 64)
    let retryAfter = (h >> 8) % 4 == 0 ? retryOthers[pick % retryOthers.count] : retryNumbers[pick % retryNumbers.count]
    let failed = parseAll(HTTPResponse(status: status, headers: [trace, ("Retry-After", retryAfter)], body: body))
    Fuzz.check(failed == 0, "\(failed) parsers accepted an HTTP \(status) response")
}
