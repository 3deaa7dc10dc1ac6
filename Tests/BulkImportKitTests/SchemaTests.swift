import Foundation
import LibYAML
import Testing

@testable import BulkImportKit

/// The JSON Schema, the validator's model and the examples must never drift apart
/// (after swift-openapi-generator's Test_ConfigJSONSchema).
@Suite("Schema agreement")
struct SchemaTests {
    static func loadSchema() throws -> [String: Any] {
        let data = try Data(contentsOf: Paths.schema)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func definition(_ name: String) throws -> [String: Any] {
        let definitions = try #require(try loadSchema()["definitions"] as? [String: Any])
        return try #require(definitions[name] as? [String: Any], "no definition \(name)")
    }

    static func propertyNames(_ object: [String: Any]) throws -> Set<String> {
        Set(try #require(object["properties"] as? [String: Any]).keys)
    }

    @Test func isDraft07() throws {
        let schema = try Self.loadSchema()
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        #expect(schema["type"] as? String == "object")
        #expect(schema["additionalProperties"] as? Bool == false)
    }

    @Test func topLevelPropertiesAreTheManifestFields() throws {
        let schema = try Self.loadSchema()
        #expect(try Self.propertyNames(schema) == Set(Manifest.fieldNames))
        #expect(Set(schema["required"] as? [String] ?? []) == ["version", "jobs"])
        let version = try #require((schema["properties"] as? [String: Any])?["version"] as? [String: Any])
        #expect([version["const"] as? Int] == Manifest.supportedVersions)
    }

    @Test func jobPropertiesAreNamePlusTheJobFields() throws {
        let job = try Self.definition("job")
        #expect(try Self.propertyNames(job) == Set(["name"] + JobFields.fieldNames))
        #expect(job["required"] as? [String] == ["name"])
        #expect(job["additionalProperties"] as? Bool == false)
    }

    @Test func jobDefaultsPropertiesAreTheJobFields() throws {
        let defaults = try Self.definition("jobDefaults")
        #expect(try Self.propertyNames(defaults) == Set(JobFields.fieldNames))
        #expect(defaults["required"] == nil)
        #expect(defaults["additionalProperties"] as? Bool == false)
    }

    @Test(arguments: TargetKind.allCases)
    func targetPropertiesAreTheTargetFields(kind: TargetKind) throws {
        let target = try Self.definition("\(kind.rawValue)Target")
        #expect(try Self.propertyNames(target) == Set(TargetSpec.fieldNames(for: kind)))
        #expect(target["additionalProperties"] as? Bool == false)
        let api = try #require((target["properties"] as? [String: Any])?["api"] as? [String: Any])
        #expect(Set(api["enum"] as? [String] ?? []) == Set(APIVersion.allCases.map(\.rawValue)))
    }

    @Test func targetKindsAreMilvusAndZilliz() throws {
        let target = try Self.definition("target")
        #expect(try Self.propertyNames(target) == Set(TargetKind.allCases.map(\.rawValue)))
        #expect(target["minProperties"] as? Int == 1)
        #expect(target["maxProperties"] as? Int == 1)
    }

    @Test func optionPropertiesAreTheKnownOptions() throws {
        let options = try Self.definition("options")
        #expect(try Self.propertyNames(options) == Set(ManifestResolver.knownOptions))
        // Unknown options are allowed (the validator only warns), so the schema must allow them too.
        #expect(options["additionalProperties"] is [String: Any])
    }

    @Test func namePatternsAgree() throws {
        let schema = try Self.loadSchema()
        let job = try Self.definition("job")
        let name = try #require((job["properties"] as? [String: Any])?["name"] as? [String: Any])
        #expect(name["pattern"] as? String == Manifest.namePattern)
        let targets = try #require((schema["properties"] as? [String: Any])?["targets"] as? [String: Any])
        #expect((targets["propertyNames"] as? [String: Any])?["pattern"] as? String == Manifest.namePattern)
        for candidate in ["ok", "a.b_c-9", "", "a b", "a/b", "é", "x:y"] {
            #expect(MiniJSONSchema.matches(candidate, pattern: Manifest.namePattern) == Manifest.isValidName(candidate), "\(candidate)")
        }
    }

    @Test func fileGroupLimitMatchesTheMilvusLimit() throws {
        let job = try Self.definition("job")
        let files = try #require((job["properties"] as? [String: Any])?["files"] as? [String: Any])
        #expect(files["maxItems"] as? Int == ImportAPI.milvusV2.capabilities.maxFileGroups)
    }

    /// Every duration the validator accepts, the schema accepts too (so a valid manifest shows no
    /// editor error); for non-zero durations they agree exactly.
    @Test func timeoutPatternAgreesWithTheValidator() throws {
        let options = try Self.definition("options")
        let timeout = try #require((options["properties"] as? [String: Any])?["timeout"] as? [String: Any])
        let pattern = try #require(timeout["pattern"] as? String)
        let samples = [
            "300s", "1.5h", "1h45m", ".5h", "2.h", "1µs", "1us", "100ms", "+5s", "300", "5 minutes", "1h30",
            "1d", "h", "-5s", "1..5s", "1.5.5s", "0", "0s", "$<TIMEOUT>",
        ]
        for sample in samples {
            let schemaAccepts = MiniJSONSchema.matches(sample, pattern: pattern)
            let outcome = check(
                milvusManifest(job: "target: local\ncollection_name: c\nfiles: [a.parquet]\noptions: {timeout: '\(sample)'}"),
                environment: Environment(["TIMEOUT": "10m"]))
            let validatorAccepts = outcome.diagnostics.isEmpty
            if validatorAccepts { #expect(schemaAccepts, "\(sample): the validator accepts it, the schema does not") }
            if !["0", "0s"].contains(sample) {
                #expect(schemaAccepts == validatorAccepts, "\(sample): schema \(schemaAccepts), validator \(validatorAccepts)")
            }
        }
    }

    /// Removing a field the schema requires makes the validator report it missing.
    @Test(arguments: [
        ("version: 1\n", "", DiagnosticCode.unsupportedVersion, "version"),
        ("      uri: http://localhost:19530\n", "", .missingField, "targets.local.milvus.uri"),
        ("      url: https://api.cloud.zilliz.com\n", "", .missingField, "targets.cloud.zilliz.url"),
        ("      api_key: $<ZILLIZ_API_KEY>\n", "", .missingField, "targets.cloud.zilliz.api_key"),
        ("      cluster_id: in01-x\n", "", .missingField, "targets.cloud.zilliz.cluster_id"),
        ("  - name: m\n    target: local\n", "  - target: local\n", .missingField, "jobs[0]"),
    ])
    func requiredFieldsAreRequiredByTheValidatorToo(remove: String, replacement: String, code: DiagnosticCode, path: String) throws {
        let complete = """
            version: 1
            targets:
              local:
                milvus:
                  uri: http://localhost:19530
                  db_name: default
              cloud:
                zilliz:
                  url: https://api.cloud.zilliz.com
                  api_key: $<ZILLIZ_API_KEY>
                  cluster_id: in01-x
            jobs:
              - name: m
                target: local
                collection_name: c
                files: [a.parquet]
              - name: z
                target: cloud
                collection_name: c
                object_url: s3://b/x/
                access_key: $<AWS_ACCESS_KEY_ID>
                secret_key: $<AWS_SECRET_ACCESS_KEY>

            """
        #expect(check(complete).diagnostics.isEmpty, "\(check(complete).listing)")
        let schema = MiniJSONSchema(root: try Self.loadSchema())
        let root = try #require(try YAMLComposer.load(complete).root)
        #expect(schema.errors(in: root.jsonValue).isEmpty)

        let broken = complete.replacing(remove, with: replacement)
        #expect(broken != complete)
        let outcome = check(broken)
        // Paths are full from the root (`targets.local.milvus.uri`): the field is their last part.
        #expect(
            outcome.diagnostics.contains { $0.code == code && ($0.path == path || $0.path?.hasSuffix(".\(path)") == true) },
            "\(outcome.listing)")
        let brokenRoot = try #require(try YAMLComposer.load(broken).root)
        #expect(!schema.errors(in: brokenRoot.jsonValue).isEmpty, "the schema accepts the manifest without \(path)")
    }

    /// `bulk-import schema` prints the embedded copy; it must be the file, byte for byte.
    @Test func embeddedSchemaIsTheFile() throws {
        let file = try String(contentsOf: Paths.schema, encoding: .utf8)
        #expect(ManifestSchema.json + "\n" == file)
        #expect(try JSONSerialization.jsonObject(with: Data(ManifestSchema.json.utf8)) is [String: Any])
    }

    /// The schema gives every property a description, for editors.
    @Test func everyPropertyHasADescription() throws {
        var missing: [String] = []
        func walk(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                if let properties = object["properties"] as? [String: Any] {
                    for (name, property) in properties {
                        if (property as? [String: Any])?["description"] == nil { missing.append("\(path).\(name)") }
                    }
                }
                for (key, child) in object { walk(child, "\(path)/\(key)") }
            } else if let array = value as? [Any] {
                for (i, child) in array.enumerated() { walk(child, "\(path)[\(i)]") }
            }
        }
        walk(try Self.loadSchema(), "#")
        #expect(missing.isEmpty, "\(missing)")
    }
}
