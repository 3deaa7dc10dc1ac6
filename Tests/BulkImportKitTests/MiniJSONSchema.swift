import Foundation
import LibYAML

/// The part of JSON Schema draft-07 that `schemas/manifest.schema.json` uses, enough to check the
/// examples against it inside `swift test` (CI also runs check-jsonschema). Keywords it does not
/// know are ignored, so it can only miss errors, never invent them.
struct MiniJSONSchema {
    let root: [String: Any]

    func errors(in value: Any) -> [String] {
        var errors: [String] = []
        validate(value, root, at: "$", into: &errors)
        return errors
    }

    private func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String else { return schema }
        precondition(ref.hasPrefix("#/definitions/"), "unsupported $ref \(ref)")
        let name = String(ref.dropFirst("#/definitions/".count))
        guard let target = (root["definitions"] as? [String: Any])?[name] as? [String: Any] else {
            preconditionFailure("no definition \(name)")
        }
        return resolve(target)
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return value is Bool
        case "integer": return value is Int
        case "number": return value is Int || value is Double
        case "null": return value is NSNull
        default: preconditionFailure("unknown type \(type)")
        }
    }

    private static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (let x as Bool, let y as Bool): return x == y
        case (let x as Int, let y as Int): return x == y
        case (let x as Int, let y as NSNumber): return NSNumber(value: x) == y
        case (let x as String, let y as String): return x == y
        default: return false
        }
    }

    private func validate(_ value: Any, _ schemaIn: [String: Any], at path: String, into errors: inout [String]) {
        let schema = resolve(schemaIn)
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as! String]
            if !types.contains(where: { Self.matches(value, type: $0) }) {
                errors.append("\(path): \(value) is not \(types.joined(separator: " or "))")
                return
            }
        }
        if let constant = schema["const"], !Self.same(value, constant) {
            errors.append("\(path): \(value) is not the constant \(constant)")
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.same(value, $0) }) {
            errors.append("\(path): \(value) is not one of \(options)")
        }
        if let string = value as? String {
            if let min = schema["minLength"] as? Int, string.count < min {
                errors.append("\(path): '\(string)' is shorter than \(min)")
            }
            if let max = schema["maxLength"] as? Int, string.count > max {
                errors.append("\(path): a string longer than \(max)")
            }
            if let pattern = schema["pattern"] as? String, !Self.matches(string, pattern: pattern) {
                errors.append("\(path): '\(string)' does not match \(pattern)")
            }
        }
        if let items = value as? [Any] {
            if let min = schema["minItems"] as? Int, items.count < min { errors.append("\(path): fewer than \(min) items") }
            if let max = schema["maxItems"] as? Int, items.count > max { errors.append("\(path): more than \(max) items") }
            if let itemSchema = schema["items"] as? [String: Any] {
                for (i, item) in items.enumerated() { validate(item, itemSchema, at: "\(path)[\(i)]", into: &errors) }
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in (schema["required"] as? [String] ?? []) where object[key] == nil {
                errors.append("\(path): missing required \(key)")
            }
            if let min = schema["minProperties"] as? Int, object.count < min { errors.append("\(path): fewer than \(min) properties") }
            if let max = schema["maxProperties"] as? Int, object.count > max { errors.append("\(path): more than \(max) properties") }
            if let names = schema["propertyNames"] as? [String: Any] {
                for key in object.keys { validate(key, names, at: "\(path) key \(key)", into: &errors) }
            }
            if let dependencies = schema["dependencies"] as? [String: Any] {
                for (key, needs) in dependencies where object[key] != nil {
                    for other in (needs as? [String] ?? []) where object[other] == nil {
                        errors.append("\(path): \(key) needs \(other)")
                    }
                }
            }
            let patterns = schema["patternProperties"] as? [String: Any] ?? [:]
            for (key, item) in object {
                let matching = patterns.filter { Self.matches(key, pattern: $0.key) }
                if let propertySchema = properties[key] as? [String: Any] {
                    validate(item, propertySchema, at: "\(path).\(key)", into: &errors)
                } else if !matching.isEmpty {
                    for case (_, let patternSchema as [String: Any]) in matching {
                        validate(item, patternSchema, at: "\(path).\(key)", into: &errors)
                    }
                } else if let additional = schema["additionalProperties"] {
                    if let allowed = additional as? Bool {
                        if !allowed { errors.append("\(path): unknown property \(key)") }
                    } else if let additionalSchema = additional as? [String: Any] {
                        validate(item, additionalSchema, at: "\(path).\(key)", into: &errors)
                    }
                }
            }
        }
        if let all = schema["allOf"] as? [[String: Any]] {
            for sub in all { validate(value, sub, at: path, into: &errors) }
        }
        if let any = schema["anyOf"] as? [[String: Any]] {
            let passing = any.filter { sub in
                var subErrors: [String] = []
                validate(value, sub, at: path, into: &subErrors)
                return subErrors.isEmpty
            }
            if passing.isEmpty { errors.append("\(path): matches none of anyOf") }
        }
        if let one = schema["oneOf"] as? [[String: Any]] {
            let passing = one.filter { sub in
                var subErrors: [String] = []
                validate(value, sub, at: path, into: &subErrors)
                return subErrors.isEmpty
            }
            if passing.count != 1 { errors.append("\(path): matches \(passing.count) of oneOf, not exactly one") }
        }
    }

    static func matches(_ string: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { preconditionFailure("bad pattern \(pattern)") }
        return regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }
}

extension YAMLNode {
    /// The node as the JSON value a YAML 1.2 core-schema loader gives (what check-jsonschema sees).
    var jsonValue: Any {
        switch content {
        case .mapping(let pairs):
            var object: [String: Any] = [:]
            for pair in pairs { object[pair.key.scalar?.value ?? "?"] = pair.value.jsonValue }
            return object
        case .sequence(let items):
            return items.map(\.jsonValue)
        case .scalar(let scalar):
            if tag == "tag:yaml.org,2002:str" || scalar.style != .plain { return scalar.value }
            if isNull { return NSNull() }
            switch scalar.value {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
            if let int = Int(scalar.value) { return int }
            if scalar.value.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true, let double = Double(scalar.value) {
                return double
            }
            return scalar.value
        }
    }
}
