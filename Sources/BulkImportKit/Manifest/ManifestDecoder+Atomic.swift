import LibYAML

extension ManifestDecoder {
    /// `atomic:`: a plain `true` or `false`. A quoted value, or YAML 1.1's `yes`/`on`, is not a
    /// boolean here: the field is typed by the schema, not by a resolver.
    mutating func atomicFlag(_ node: YAMLNode) -> Located<Bool>? {
        if let scalar = node.scalar, scalar.style == .plain, scalar.value == "true" || scalar.value == "false" {
            return Located(scalar.value == "true", at: node.span, path: "atomic")
        }
        let found = node.scalar.map { "\(quoted: $0.value)" + ($0.style.isQuotedOrBlock ? " (a string)" : "") } ?? node.kindDescription
        diagnostics.emit(
            .wrongType(
                "atomic", expected: "true or false", found: found, job: nil,
                fix: "write `atomic: true` (no quotes) to make every job of the manifest visible together, or none",
                at: location(node.span)))
        return nil
    }
}
