internal import CYAML

/// The version of the libyaml the program runs with (the shared library loaded at run time, which
/// may differ from the headers it was built against).
public enum LibYAMLVersion {
    /// libyaml's own version string, such as `0.2.5`.
    public static var string: String { String(cString: yaml_get_version_string()) }
}
