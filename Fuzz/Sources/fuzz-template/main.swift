// `$<ENV>` substitution (StringTemplate) against a fixed fake environment, and the Redactor.
//
// The whole input, as text, is a template:
// - parsing it either fails with an offset inside the text, or gives parts that resolve: to
//   success exactly when every variable without a fallback is set, with the failure naming those
//   that are not, in order;
// - resolving agrees with a plain reading of the parts (literals, values, fallbacks);
// - a literal template (`init(literal:)`) of the text resolves to the text itself, with no
//   variables.
// Then the input split at NUL bytes is a text and up to 4 secrets:
// - the masked text holds no secret, as resolved, outside the placeholders. Every output (reports,
//   plans, run events) is built from values masked this way and encoded afterwards, so the value
//   is what is checked here; fuzz-manifest checks the encoded outputs end to end;
// - a text without any secret is returned unchanged.
import FuzzSupport

@testable import BulkImportKit

let environment = Environment([
    "TOKEN": "QzTok3n",
    "API_KEY": "Qz\"k\\e,y:%",
    "EMPTY": "",
    "MULTI": "line1\nline2\r\n",
    "DOLLAR": "$<TOKEN>",
    "_": "underscore",
    "A1": "Ü-ñ-😀",
])

func withoutPlaceholders(_ bytes: [UInt8]) -> [UInt8] {
    Fuzz.replacingEach(Array(Secret.placeholder.utf8), in: bytes)
}

func template(_ text: String) {
    let scalars = text.unicodeScalars.count
    let parsed: StringTemplate
    do {
        parsed = try StringTemplate(parsing: text)
    } catch {
        Fuzz.check(error.offset >= 0 && error.offset < max(scalars, 1), "error offset \(error.offset) outside \(scalars) scalars")
        Fuzz.check(!error.message.isEmpty, "an error with no message")
        return
    }
    Fuzz.check(parsed.raw == text, "raw is not the text")
    let parts = parsed.parts
    var expected = ""
    var missing: [String] = []
    var names: [String] = []
    for part in parts {
        switch part {
        case .literal(let s):
            Fuzz.check(!s.isEmpty, "an empty literal part")
            expected += s
        case .variable(let name, let fallback):
            Fuzz.check(!name.isEmpty, "a variable with no name")
            names.append(name)
            if let value = environment[name] {
                expected += value
            } else if let fallback {
                expected += fallback
            } else {
                missing.append(name)
            }
        }
    }
    Fuzz.check(parsed.variables == names, "variables \(parsed.variables) are not the parts' \(names)")
    Fuzz.check(parsed.isLiteral == names.isEmpty, "isLiteral disagrees with the parts")
    switch parsed.resolve(in: environment) {
    case .success(let value):
        Fuzz.check(missing.isEmpty, "resolved although \(missing) are unset")
        Fuzz.check(value == expected, "resolved to \(value.debugDescription), expected \(expected.debugDescription)")
    case .failure(let unset):
        Fuzz.check(unset.names == missing, "unset \(unset.names), expected \(missing)")
    }
    // With no `$<` in the text, it is its own single literal.
    if !text.contains("$<") {
        Fuzz.check(names.isEmpty, "variables in a text without $<")
    }
}

func literal(_ text: String) {
    let t = StringTemplate(literal: text)
    Fuzz.check(t.isLiteral && t.variables.isEmpty, "a literal template has variables: \(text.debugDescription)")
    switch t.resolve(in: environment) {
    case .success(let value):
        Fuzz.check(value == text, "a literal template resolves to \(value.debugDescription), not \(text.debugDescription)")
    case .failure(let unset):
        Fuzz.fail("a literal template has unset variables \(unset.names)")
    }
    // And it survives being parsed again from its raw text, as the schema and plan round-trips do.
    do {
        let again = try StringTemplate(parsing: t.raw)
        Fuzz.check(again.isLiteral, "the raw text of a literal template parses with variables")
        if case .success(let value) = again.resolve(in: environment) {
            Fuzz.check(value == text, "re-parsed literal resolves to \(value.debugDescription)")
        }
    } catch {
        Fuzz.fail("the raw text of a literal template does not parse: \(error.message)")
    }
}

func redaction(_ input: [UInt8]) {
    let pieces = input.split(separator: 0, omittingEmptySubsequences: false).prefix(5)
    let text = String(decoding: pieces.first!, as: UTF8.self)
    let secrets = pieces.dropFirst().map { String(decoding: $0, as: UTF8.self) }.filter { !$0.isEmpty }
    let redactor = Redactor(secrets: secrets)
    // The Redactor masks values before anything encodes them (every output is built from masked
    // values), so the property is on the value: no secret, as resolved, survives in the masked text.
    let secretForms = secrets.map { Array($0.utf8) }.filter { !$0.isEmpty }
    let masked = redactor.redact(text)
    let stripped = withoutPlaceholders(Array(masked.utf8))
    for form in secretForms where Fuzz.occurs(form, in: stripped) {
        Fuzz.fail("secret \(String(decoding: form, as: UTF8.self).debugDescription) survives masking")
    }
    if !secretForms.contains(where: { Fuzz.occurs($0, in: Array(text.utf8)) }) {
        Fuzz.check(masked == text, "a text with no secret was changed")
    }
    // Merging redactors masks what either masks.
    var merged = Redactor(secrets: secrets.prefix(1))
    merged.merge(Redactor(secrets: secrets.dropFirst()))
    let mergedMasked = withoutPlaceholders(Array(merged.redact(text).utf8))
    for form in secretForms where Fuzz.occurs(form, in: mergedMasked) {
        Fuzz.fail("a merged redactor lets \(String(decoding: form, as: UTF8.self).debugDescription) through")
    }
    // Resolved secrets that come from the environment are masked wherever they appear.
    var fromEnvironment = Redactor()
    if case .success(let value) = (try? StringTemplate(parsing: text))?.resolve(in: environment), !value.isEmpty, !value.utf8.contains(0) {
        fromEnvironment.add(value)
        let out = withoutPlaceholders(Array(fromEnvironment.redact("before \(value) after").utf8))
        Fuzz.check(!Fuzz.occurs(Array(value.utf8), in: out), "a resolved value survives masking")
    }
}

Fuzz.run { bytes in
    let input = Array(bytes)
    let text = String(decoding: input, as: UTF8.self)
    template(text)
    literal(text)
    redaction(input)
}
