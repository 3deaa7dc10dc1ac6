import BulkImportPostgres
import Testing

struct PostgresURLTests {
    @Test func readsEveryPart() throws {
        let url = try PostgresURL("postgresql://us%40er:p%3Aa%40ss@db.example.com:6543/my%20db?sslmode=verify-full")
        #expect(url.user == "us@er")
        #expect(url.password == "p:a@ss")
        #expect(url.host == "db.example.com")
        #expect(url.port == 6543)
        #expect(url.database == "my db")
        #expect(url.sslMode == .verifyFull)
        #expect(url.redacted == "postgres://us%40er@db.example.com:6543/my%20db")
    }

    @Test func defaultsAndIPv6() throws {
        let url = try PostgresURL("postgres://me@[::1]/state")
        #expect(url.host == "::1")
        #expect(url.port == 5432)
        #expect(url.password == nil)
        #expect(url.sslMode == .prefer)
        #expect(url.redacted == "postgres://me@[::1]:5432/state")
        // An unencoded @ in the password: the host starts after the last one.
        let loose = try PostgresURL("postgres://me:se@cret@host/db?sslmode=disable")
        #expect(loose.password == "se@cret")
        #expect(loose.host == "host")
        #expect(loose.sslMode == .disable)
    }

    @Test(arguments: [
        ("mysql://me:hunter2@host/db", PostgresURLError.notPostgres),
        ("postgres://host/db", .missingUser),
        ("postgres://:hunter2@host/db", .missingUser),
        ("postgres://me:hunter2@/db", .missingHost),
        ("postgres://me:hunter2@host:99999/db", .badPort("99999")),
        ("postgres://me:hunter2@host:abc/db", .badPort("abc")),
        ("postgres://me:hunter2@host", .missingDatabase),
        ("postgres://me:hunter2@host/", .missingDatabase),
        ("postgres://me:hunter2%zz@host/db", .badPercentEncoding(part: "password")),
        ("postgres://me:hunter2@host/db?sslmode=sometimes", .badSSLMode("sometimes")),
        ("postgres://me:hunter2@host/db?connect_timeout=3", .unknownParameter("connect_timeout")),
        ("postgres://me:hunter2@host/db#x", .fragment),
        ("postgres://me:hunter2@[::1/db", .badHost),
    ])
    func refusesWhatIsWrongWithoutThePassword(_ text: String, _ expected: PostgresURLError) {
        #expect(throws: expected) { try PostgresURL(text) }
        #expect(!expected.description.contains("hunter2"))
        #expect(expected.description.contains("Write it as postgres://"))
    }
}
