import ArgumentParser
import BulkImportKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests against the import APIs' required fields and the server's rules; send nothing.",
        discussion: "Unset $<ENV> variables are warnings here and errors for plan and run. Exit 0 valid, 1 invalid, 64 usage."
    )

    @OptionGroup var manifests: ManifestOptions

    func validate() throws {
        try manifests.require(formats: OutputFormat.allCases, for: "validate")
    }

    func run() throws {
        let (_, failed) = manifests.check(unsetVariables: .warning)
        if failed { throw ExitCode(1) }
    }
}
