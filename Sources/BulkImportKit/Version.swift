/// The tool's version: `bulk-import --version`, the `User-Agent` of every request, and the SARIF
/// report's driver version.
public enum BulkImportVersion {
    public static let current = "0.1.0"
}
