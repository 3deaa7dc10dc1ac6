/// A parsed JSON value, as read from one ledger line (internal).
enum LedgerJSONValue: Sendable {
    case string(String)
    /// A number, kept as its text so that integers and doubles each parse exactly.
    case number(String)
    case bool(Bool)
    case null
    case array([LedgerJSONValue])
    /// Members in file order (a repeated key: the last one wins when read).
    case object([(key: String, value: LedgerJSONValue)])
}
