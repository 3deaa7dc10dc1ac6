@testable import BulkImportKit

/// A response as a server would send it.
func response(_ status: Int = 200, _ body: String, headers: [(String, String)] = []) -> HTTPResponse {
    HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
}

/// The error `body` throws, or nil when it does not throw.
func thrown<T>(_ body: () throws -> T) -> ImportError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? ImportError
    }
}

func apiJob(_ api: ImportAPI, files: [[String]] = [["a.parquet"]]) -> ImportJob {
    var target = ImportTarget(name: "t", api: api, endpoint: try! Endpoint(parsing: "http://h:1", defaultScheme: nil))
    target.clusterID = "in01-x"
    return ImportJob(name: "j", location: ManifestLocation(file: "m.yaml"), target: target, collectionName: "c", files: files)
}
