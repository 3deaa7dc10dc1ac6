import Platform

/// Expands the paths a user names into manifest files: files as given, folders into the `*.yaml`
/// and `*.yml` files directly inside them (sorted, hidden entries skipped; subfolders are not
/// entered, so `examples/` does not pick up `examples/invalid/`).
public enum ManifestPaths {
    /// The manifest files; a diagnostic for each path that does not exist or holds none.
    public static func expand<Collector: DiagnosticCollector>(
        _ paths: [String], into diagnostics: inout Collector
    ) throws(Collector.Failure) -> [String] {
        var files: [String] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                try diagnostics.emit(.noSuchPath(path))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let found = list(path)
                if found.isEmpty { try diagnostics.emit(.noManifestInFolder(path)) }
                files += found
            } else {
                files.append(path)
            }
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
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
