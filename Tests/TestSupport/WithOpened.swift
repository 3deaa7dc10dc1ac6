/// Runs `body` with what `open` opened and closes it afterwards, whether `body` returns or throws:
/// the one shape of the tests' `with...` scopes, so a server or a process a test started is never
/// left behind by an error. A failed close after a body that returned is thrown too.
public func withOpened<Resource, Result>(
    _ open: () async throws -> Resource, close: (Resource) async throws -> Void,
    _ body: (Resource) async throws -> Result
) async throws -> Result {
    let resource = try await open()
    let result: Result
    do {
        result = try await body(resource)
    } catch {
        try? await close(resource)
        throw error
    }
    try await close(resource)
    return result
}
