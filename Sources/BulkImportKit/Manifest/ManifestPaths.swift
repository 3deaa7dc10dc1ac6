#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands the paths a user names into manifest files: files as given, folders into the `*.yaml`
/// and `*.yml` files directly inside them (sorted, hidden entries skipped; subfolders are not
/// entered, so `examples/` does not pick up `examples/invalid/`).
public enum ManifestPaths {
    /// The manifest files, and a diagnostic for each path that does not exist or holds none.
    public static func expand(_ paths: [String]) -> (files: [String], diagnostics: [Diagnostic]) {
        var files: [String] = []
        var diagnostics: [Diagnostic] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                diagnostics.append(Diagnostic(.error, .ioError, "no such file or folder", at: SourceLocation(file: path),
                                              fix: "check the path"))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let found = list(path)
                if found.isEmpty {
                    diagnostics.append(Diagnostic(.error, .ioError, "the folder holds no .yaml or .yml manifest",
                                                  at: SourceLocation(file: path)))
                }
                files += found
            } else {
                files.append(path)
            }
        }
        var seen = Set<String>()
        return (files.filter { seen.insert($0).inserted }, diagnostics)
    }

    private static func list(_ folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        var files: [String] = []
        for name in names.sorted() {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                continue
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                files.append(path)
            }
        }
        return files
    }
}
