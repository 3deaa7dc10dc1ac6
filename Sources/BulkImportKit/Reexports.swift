// JSON values and the job ledger are targets of their own; BulkImportKit's API uses both, so
// `import BulkImportKit` brings them along.
@_exported import BulkImportLedger
@_exported import JSON
