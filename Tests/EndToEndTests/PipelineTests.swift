import Foundation
import ImportTestServer
import LibYAML
import TestSupport
import Testing

/// Where pipelines meet the tool: the GitHub Action's script under a simulated runner, the README's
/// pipeline snippets, the pre-commit hooks with the real pre-commit, and the portable release.
enum Pipeline {
    static let root = BulkImport.packageRoot
    static let token = "root:pipeline-S3CRET-token"
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var inCI: Bool { environment["CI"] != nil }

    /// The files of `examples/pipelines/` that the README's Pipelines section shows verbatim.
    static let snippets = ["pre-commit-config.yaml", "pull-request.yml", "merge.yml"]

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func yaml(_ relativePath: String) throws -> YAMLNode {
        try #require(try YAMLComposer.load(try text(relativePath)).root, "\(relativePath) is empty")
    }

    /// A manifest of `count` jobs on `server`, the token from MILVUS_TOKEN; the jobs in `failing`
    /// import a file the server fails.
    static func manifest(server: ImportTestServer, count: Int, failing: Set<Int> = []) -> String {
        LoopbackFixture.manifest(server: server, count: count, failing: failing)
    }

    /// A manifest whose job names a target that is not defined: line 8, column 31.
    static let invalidManifest = """
        version: 1
        targets:
          local:
            milvus:
              uri: http://127.0.0.1:9
              token: $<MILVUS_TOKEN>
        jobs:
          - {name: broken, target: prod, collection_name: c, files: [a.parquet]}

        """

    /// Runs `body` against a fresh loopback double (the token required, jobs done on their second poll).
    static func withServer<T>(_ body: (ImportTestServer) async throws -> T) async throws -> T {
        try await LoopbackFixture.withServer(token: token, { _ in }, body)
    }

    static func expectNoSecret(_ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            #expect(
                !text.contains(token) && !text.contains("pipeline-S3CRET"), "a secret was written: \(text)", sourceLocation: sourceLocation)
        }
    }
}

/// A GitHub runner as `scripts/github-action` sees it: a workspace, RUNNER_TEMP, and the summary
/// and output files, all in one temporary folder.
struct SimulatedRunner {
    let folder: TemporaryFolder
    var workspace: URL { folder.url.appendingPathComponent("workspace") }
    var summaryFile: URL { folder.url.appendingPathComponent("step-summary.md") }
    var outputFile: URL { folder.url.appendingPathComponent("github-output.txt") }
    var runnerTemp: URL { folder.url.appendingPathComponent("runner-temp") }

    init() throws {
        folder = try TemporaryFolder()
        for url in [workspace, runnerTemp] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        for url in [summaryFile, outputFile] { try Data().write(to: url) }
    }

    func write(_ relativePath: String, _ text: String) throws {
        let url = workspace.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Runs the action's script with `inputs` (`command`, `paths`, `args`, ...) and `environment`.
    func action(_ inputs: [String: String], environment: [String: String] = [:]) async throws -> ProcessResult {
        let binary = try #require(BulkImport.binary, BulkImport.missingBinaryMessage)
        var variables = [
            "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": workspace.path, "GITHUB_STEP_SUMMARY": summaryFile.path,
            "GITHUB_OUTPUT": outputFile.path, "RUNNER_TEMP": runnerTemp.path, "BULK_IMPORT": binary.path,
        ]
        for (name, value) in inputs { variables["INPUT_\(name.uppercased().replacingOccurrences(of: "-", with: "_"))"] = value }
        variables.merge(environment) { $1 }
        let script = Pipeline.root.appendingPathComponent("scripts/github-action").path
        let (workspace, environment) = (workspace, variables)
        return try await offThePool { try BulkImport.runProgram(script, [], environment: environment, in: workspace, timeout: 120) }
    }

    var summary: String { (try? String(contentsOf: summaryFile, encoding: .utf8)) ?? "" }

    /// The outputs written to GITHUB_OUTPUT (`name=value` lines).
    var outputs: [String: String] {
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    /// Every byte in the runner's folder: the summary, the outputs, the plan file, the state.
    func written() -> String {
        var text = ""
        let files = FileManager.default.enumerator(at: folder.url, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            if let data = try? Data(contentsOf: url) { text += String(decoding: data, as: UTF8.self) }
        }
        return text
    }
}

@Suite("the GitHub Action's script under a simulated runner", .serialized)
struct GitHubActionTests {
    @Test func validateAnnotatesTheLinesAndFails() async throws {
        let runner = try SimulatedRunner()
        defer { runner.folder.remove() }
        try runner.write("imports/broken.yaml", Pipeline.invalidManifest)
        let result = try await runner.action(["command": "validate", "paths": "imports/"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains("::error file=imports/broken.yaml,line=8,col="), "\(result)")
        #expect(result.stdout.contains("title=bulk-import undefined-target::"), "\(result)")
        #expect(runner.outputs["exit-code"] == "1" && runner.outputs["errors"] == "1", "\(runner.outputs)")
        #expect(runner.summary.contains("## bulk-import validate: ❌ invalid"), "\(runner.summary)")
        #expect(runner.summary.contains("`imports/broken.yaml:8:"), "\(runner.summary)")
    }

    /// A file name with Markdown's and HTML's special characters stays inside its table cell.
    @Test func hostileNamesCannotBreakTheSummaryTable() async throws {
        let runner = try SimulatedRunner()
        defer { runner.folder.remove() }
        try runner.write("imports/a|b`<i>c.yaml", Pipeline.invalidManifest)
        let result = try await runner.action(["command": "validate", "paths": "imports/"])
        #expect(result.status == 1, "\(result)")
        let row = try #require(runner.summary.split(separator: "\n").first { $0.hasPrefix("| ❌ |") }, "\(runner.summary)")
        #expect(row.contains("`` imports/a\\|b`&lt;i&gt;c.yaml:8:"), "\(row)")
        #expect(!row.contains("<i>"), "\(row)")
        #expect(row.split(separator: "|", omittingEmptySubsequences: false).count - 1 == 4 + 1, "an unescaped | split the row: \(row)")
    }

    @Test func runWritesASummaryOfEveryJobWithTheFailuresAndNoSecret() async throws {
        try await Pipeline.withServer { server in
            let runner = try SimulatedRunner()
            defer { runner.folder.remove() }
            try runner.write("imports/jobs.yaml", Pipeline.manifest(server: server, count: 3, failing: [1]))
            let secrets = ["MILVUS_TOKEN": Pipeline.token]
            let run = try await runner.action(
                ["command": "run", "paths": "imports/jobs.yaml", "args": "--wait --poll-interval 0.05"], environment: secrets)
            #expect(run.status == 1, "\(run)")
            let summary = runner.summary
            #expect(summary.contains("## bulk-import run ❌ exit 1"), "\(summary)")
            #expect(summary.contains("| job-0 | ✅ completed |"), "\(summary)")
            #expect(summary.contains("| job-1 | ❌ failed on the server |"), "\(summary)")
            #expect(summary.contains("### Failures") && summary.contains("data/fail-1.parquet"), "\(summary)")
            // The failed job is listed before the completed ones: attention first.
            let failed = try #require(summary.range(of: "| job-1 |"))
            let completed = try #require(summary.range(of: "| job-0 |"))
            #expect(failed.lowerBound < completed.lowerBound)
            let outputs = runner.outputs
            #expect(outputs["exit-code"] == "1" && outputs["completed"] == "2" && outputs["import-failed"] == "1", "\(outputs)")
            #expect(outputs["submitted"] == "3" && outputs["jobs"] == "3", "\(outputs)")
            #expect(await server.jobs().count == 3)

            let status = try await runner.action(["command": "status", "paths": "imports/jobs.yaml"], environment: secrets)
            #expect(status.status == 1, "\(status)")
            #expect(runner.summary.contains("## bulk-import status ❌ exit 1"), "\(runner.summary)")
            #expect(await server.jobs().count == 3, "status sent a create")
            Pipeline.expectNoSecret([run.output, status.output, runner.written()])
        }
    }

    @Test func runStopsAtAnInvalidManifestWithAnnotationsAndSendsNothing() async throws {
        try await Pipeline.withServer { server in
            let runner = try SimulatedRunner()
            defer { runner.folder.remove() }
            try runner.write("imports/jobs.yaml", Pipeline.manifest(server: server, count: 2))
            try runner.write("imports/broken.yaml", Pipeline.invalidManifest)
            let run = try await runner.action(
                ["command": "run", "paths": "imports/", "args": "--wait --strict"], environment: ["MILVUS_TOKEN": Pipeline.token])
            #expect(run.status == 1, "\(run)")
            #expect(run.stdout.contains("::error file=imports/broken.yaml,line=8,"), "\(run)")
            #expect(runner.summary.contains("Nothing was sent: `run` needs valid manifests."), "\(runner.summary)")
            #expect(runner.outputs["exit-code"] == "1")
            #expect(await server.jobs().isEmpty)
            Pipeline.expectNoSecret([run.output, runner.written()])
        }
    }

    @Test func planPutsTheRequestsInTheSummaryAndAFileWithTheTokenMasked() async throws {
        try await Pipeline.withServer { server in
            let runner = try SimulatedRunner()
            defer { runner.folder.remove() }
            try runner.write("imports/jobs.yaml", Pipeline.manifest(server: server, count: 2))
            let plan = try await runner.action(
                ["command": "plan", "paths": "imports/jobs.yaml"], environment: ["MILVUS_TOKEN": Pipeline.token])
            #expect(plan.status == 0, "\(plan)")
            #expect(runner.summary.contains("## bulk-import plan ✅") && runner.summary.contains("```text"), "\(runner.summary)")
            #expect(runner.summary.contains("job-0") && runner.summary.contains("job-1"), "\(runner.summary)")
            let planFile = try #require(runner.outputs["plan-file"])
            let planText = try String(contentsOfFile: planFile, encoding: .utf8)
            #expect(planText.contains("POST") && planText.contains("job-1"), "\(planText)")
            #expect(await server.jobs().isEmpty, "plan sent a create")
            Pipeline.expectNoSecret([plan.output, runner.written()])
        }
    }

    @Test func secretsTheManifestsUseAreMaskedEvenWhereTheToolWouldNotKnowThem() async throws {
        let runner = try SimulatedRunner()
        defer { runner.folder.remove() }
        // The variable is only in a comment, so the tool does not treat it as a secret; a job name
        // carries its value into every output. The script masks it all the same.
        try runner.write(
            "imports/jobs.yaml",
            """
            # token: $<DEPLOY_TOKEN>
            version: 1
            targets:
              local: {milvus: {uri: "http://127.0.0.1:9"}}
            jobs:
              - {name: "job-\(Pipeline.token)", target: prod, collection_name: c, files: [a.parquet]}

            """)
        let result = try await runner.action(["command": "validate", "paths": "imports/"], environment: ["DEPLOY_TOKEN": Pipeline.token])
        #expect(result.status == 1, "\(result)")
        #expect(runner.summary.contains("job-***"), "\(runner.summary)")
        // The manifest itself holds the value: only what the script wrote is scanned.
        let outputs = try String(contentsOf: runner.outputFile, encoding: .utf8)
        Pipeline.expectNoSecret([result.output, runner.summary, outputs])
    }

    @Test(arguments: [
        (["command": "deploy", "paths": "imports/"], "is not one of validate, plan, run, status"),
        (["command": "validate", "paths": "  "], "the paths input is empty"),
        (["command": "validate", "paths": "imports/", "args": "--strict 'unclosed"], "cannot be split"),
    ])
    func badInputsAreUsageErrors(inputs: [String: String], message: String) async throws {
        let runner = try SimulatedRunner()
        defer { runner.folder.remove() }
        let result = try await runner.action(inputs)
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.hasPrefix("::error::bulk-import action: ") && result.stdout.contains(message), "\(result)")
    }
}

/// What an install puts in place for shells: manifest arguments complete to YAML files and folders.
@Suite("shell completions")
struct CompletionTests {
    @Test(arguments: [
        ("bash", "-o plusdirs -fX '!*.@(yaml|yml)'"), ("zsh", "_files -g '\\''*.yaml *.yml'\\''"), ("fish", "__fish_complete_directories"),
    ])
    func manifestArgumentsCompleteToYAMLFilesAndFolders(shell: String, expected: String) async throws {
        let script = try await BulkImport.run(["--generate-completion-script", shell])
        #expect(script.status == 0, "\(script)")
        #expect(script.stdout.contains(expected), "\(shell): \(script.stdout.prefix(2000))")
        #expect(script.stdout.contains("yaml") && script.stdout.contains("yml"))
    }
}

/// The README's "Pipelines" section: its snippets are the files of `examples/pipelines/`, and each
/// runs here as written, against the loopback double.
@Suite("the README's pipeline snippets", .serialized)
struct PipelineSnippetTests {
    @Test(arguments: Pipeline.snippets)
    func readmeShowsTheSnippetVerbatim(file: String) throws {
        let readme = try Pipeline.text("README.md")
        let snippet = try Pipeline.text("examples/pipelines/\(file)")
        #expect(
            readme.contains("```yaml\n" + snippet + "```\n"),
            "README.md does not show examples/pipelines/\(file) verbatim in a ```yaml block")
    }

    /// The steps of `workflow` that use this action, with their `with:` inputs and `env:`.
    static func actionSteps(_ workflow: String) throws -> [(inputs: [String: String], env: [String: String])] {
        let root = try Pipeline.yaml("examples/pipelines/\(workflow)")
        func value(_ node: YAMLNode?, _ key: String) -> YAMLNode? { node?.mapping?.first { $0.key.scalar?.value == key }?.value }
        func strings(_ node: YAMLNode?) -> [String: String] {
            Dictionary((node?.mapping ?? []).compactMap { pair in pair.value.scalar.map { (pair.key.scalar?.value ?? "", $0.value) } }) {
                $1
            }
        }
        var steps: [(inputs: [String: String], env: [String: String])] = []
        for job in value(root, "jobs")?.mapping ?? [] {
            for step in value(job.value, "steps")?.sequence ?? [] where value(step, "uses")?.scalar?.value.contains("/bulk-import@") == true
            {
                steps.append((strings(value(step, "with")), strings(value(step, "env"))))
            }
        }
        return steps
    }

    @Test func everyInputTheSnippetsGiveIsOneTheActionDeclares() throws {
        let action = try Pipeline.yaml("action.yml")
        let declared = Set(
            (action.mapping?.first { $0.key.scalar?.value == "inputs" }?.value.mapping ?? []).compactMap { $0.key.scalar?.value })
        #expect(declared.isSuperset(of: ["command", "paths", "args", "release-url", "binary"]), "\(declared)")
        let script = try Pipeline.text("action.yml")
        #expect(script.contains("python3 \"$GITHUB_ACTION_PATH/scripts/github-action\""))
        for workflow in ["pull-request.yml", "merge.yml"] {
            let steps = try Self.actionSteps(workflow)
            #expect(!steps.isEmpty, "\(workflow) uses no bulk-import step")
            for step in steps {
                #expect(declared.isSuperset(of: step.inputs.keys), "\(workflow): \(step.inputs.keys.sorted()) not all in action.yml")
            }
        }
    }

    /// Runs each bulk-import step of `workflow` as written (secrets from the test, a fast poll added).
    func runSteps(_ workflow: String, server: ImportTestServer, runner: SimulatedRunner) async throws -> [ProcessResult] {
        var results: [ProcessResult] = []
        for step in try Self.actionSteps(workflow) {
            var inputs = step.inputs
            inputs["release-url"] = nil  // the binary under test instead of a download
            if inputs["command"] == "run" { inputs["args", default: ""] += " --poll-interval 0.05" }
            var env: [String: String] = [:]
            for (name, value) in step.env where value.contains("secrets.") {
                env[name] = name == "MILVUS_TOKEN" ? Pipeline.token : "unused"
            }
            let result = try await runner.action(inputs, environment: env)
            #expect(result.status == 0, "\(workflow), \(inputs): \(result)\n\(runner.summary)")
            results.append(result)
        }
        return results
    }

    @Test func pullRequestWorkflowValidatesAndPlans() async throws {
        try await Pipeline.withServer { server in
            let runner = try SimulatedRunner()
            defer { runner.folder.remove() }
            try runner.write("imports/products.yaml", Pipeline.manifest(server: server, count: 2))
            let results = try await runSteps("pull-request.yml", server: server, runner: runner)
            #expect(results.count == 2)
            #expect(runner.summary.contains("## bulk-import validate: ✅ valid"), "\(runner.summary)")
            #expect(runner.summary.contains("## bulk-import plan ✅"), "\(runner.summary)")
            #expect(await server.jobs().isEmpty)
            Pipeline.expectNoSecret(results.map(\.output) + [runner.written()])
        }
    }

    @Test func mergeWorkflowRunsTheImportsWithASummary() async throws {
        try await Pipeline.withServer { server in
            let runner = try SimulatedRunner()
            defer { runner.folder.remove() }
            try runner.write("imports/products.yaml", Pipeline.manifest(server: server, count: 3))
            let results = try await runSteps("merge.yml", server: server, runner: runner)
            #expect(runner.summary.contains("## bulk-import run ✅"), "\(runner.summary)")
            for i in 0..<3 { #expect(runner.summary.contains("| job-\(i) | ✅ completed |"), "\(runner.summary)") }
            #expect(runner.outputs["completed"] == "3" && runner.outputs["exit-code"] == "0", "\(runner.outputs)")
            #expect(await server.jobs().count == 3)
            Pipeline.expectNoSecret(results.map(\.output) + [runner.written()])
        }
    }
}

/// The real pre-commit from PyPI (`.ci/run` installs it into .build-ci-venv; PRE_COMMIT names
/// another). Outside CI a machine without it skips these tests; in CI a missing pre-commit fails them.
enum PreCommit {
    static let executable: String? = {
        var candidates: [String] = [Pipeline.environment["PRE_COMMIT"]].compactMap { $0 }
        candidates.append(Pipeline.root.appendingPathComponent(".build-ci-venv/bin/pre-commit").path)
        candidates += (Pipeline.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/pre-commit" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let runnable = executable != nil || Pipeline.inCI

    /// Runs pre-commit in `repository` with its store under .build (so nothing outlives a CI run's
    /// clone), swift and git from this process's PATH. The hooks' first use builds the tool in
    /// release mode in that store: minutes.
    static func run(_ arguments: [String], in repository: URL, environment: [String: String] = [:]) async throws -> ProcessResult {
        let executable = try #require(
            executable, "pre-commit is not installed: .ci/run installs it into .build-ci-venv (pip install pre-commit), or set PRE_COMMIT")
        var variables = [
            "PATH": Pipeline.environment["PATH"] ?? "/usr/bin:/bin", "HOME": Pipeline.environment["HOME"] ?? "/root",
            "PRE_COMMIT_HOME": Pipeline.root.appendingPathComponent(".build/pre-commit").path, "PRE_COMMIT_COLOR": "never",
        ]
        variables.merge(environment) { $1 }
        let environment = variables
        return try await offThePool {
            try BulkImport.runProgram(executable, arguments, environment: environment, in: repository, timeout: 3600)
        }
    }

    /// The commit the hooks are taken from: the last that changed what the hook builds, so that a
    /// commit of tests or docs reuses the hook's release build in the store (`.ci/run` takes the same).
    static func head() async throws -> String {
        let result = try await BulkImport.runProgram(
            "/usr/bin/git",
            ["-C", Pipeline.root.path, "log", "-1", "--format=%H", "--", ".pre-commit-hooks.yaml", "Package.swift", "Sources"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

@Suite(
    "pre-commit hooks with the real pre-commit", .serialized, .timeLimit(.minutes(60)),
    .enabled(if: PreCommit.runnable, "pre-commit is not installed (.ci/run installs it; set PRE_COMMIT to use another)"))
struct PreCommitHookTests {
    /// A git repository of manifests: a valid one, an invalid one (undefined target, line 8) and a
    /// YAML file that is not a manifest.
    static func repository(_ folder: TemporaryFolder) async throws -> URL {
        let repository = folder.url.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("imports"), withIntermediateDirectories: true)
        try Pipeline.text("examples/quickstart.yaml").write(
            to: repository.appendingPathComponent("imports/good.yaml"), atomically: true, encoding: .utf8)
        try Pipeline.invalidManifest.write(to: repository.appendingPathComponent("imports/bad.yaml"), atomically: true, encoding: .utf8)
        try "hello: [not, a, manifest]\n".write(to: repository.appendingPathComponent("notes.yml"), atomically: true, encoding: .utf8)
        for arguments in [["init", "-q"], ["add", "-A"]] {
            let git = try await BulkImport.runProgram("/usr/bin/git", arguments, in: repository)
            #expect(git.status == 0, "\(git)")
        }
        return repository
    }

    /// The README's configuration pointed at this repository at `PreCommit.head()`, with `hooks`
    /// from this repository's .pre-commit-hooks.yaml. It is what `pre-commit try-repo` writes and
    /// runs, but try-repo builds the hook in a throwaway store each time (tens of minutes here);
    /// `pre-commit run` keeps it in PRE_COMMIT_HOME, so every test here, and `.ci/run` before them,
    /// share one build. `.ci/run` also runs try-repo itself, once.
    static func configure(_ repository: URL, hooks: [String] = []) async throws {
        let snippet = try Pipeline.text("examples/pipelines/pre-commit-config.yaml")
        #expect(snippet.contains("https://github.com/YOUR-ORG/bulk-import") && snippet.contains("rev: v0.1.0"))
        var configuration = snippet.replacingOccurrences(of: "https://github.com/YOUR-ORG/bulk-import", with: Pipeline.root.path)
            .replacingOccurrences(of: "rev: v0.1.0", with: "rev: \(try await PreCommit.head())")
        for hook in hooks { configuration += "      - id: \(hook)\n" }
        try configuration.write(to: repository.appendingPathComponent(".pre-commit-config.yaml"), atomically: true, encoding: .utf8)
    }

    @Test func planHookPrintsTheRequestsOnDemand() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repository = try await Self.repository(folder)
        try await Self.configure(repository, hooks: ["bulk-import-plan"])
        let plan = try await PreCommit.run(
            ["run", "bulk-import-plan", "--hook-stage", "manual", "--files", "imports/good.yaml"], in: repository,
            environment: ["MILVUS_TOKEN": Pipeline.token])
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stdout.contains("quickstart-books") && plan.stdout.contains("POST"), "\(plan)")
        Pipeline.expectNoSecret([plan.output])
        // Not at commit time: the plan hook is manual.
        let commit = try await PreCommit.run(["run", "--files", "imports/good.yaml"], in: repository)
        #expect(commit.status == 0 && !commit.stdout.contains("bulk-import plan"), "\(commit)")
    }

    /// The README's configuration: a valid manifest passes; an invalid one fails the commit with its
    /// diagnostic; YAML outside imports/ is left alone.
    @Test func readmeConfigurationPassesValidManifestsAndFailsAnInvalidOneWithItsDiagnostic() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repository = try await Self.repository(folder)
        try await Self.configure(repository)

        let good = try await PreCommit.run(["run", "--files", "imports/good.yaml"], in: repository)
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.contains("bulk-import validate") && good.stdout.contains("Passed"), "\(good)")

        let failing = try await PreCommit.run(["run", "--all-files"], in: repository)
        #expect(failing.status == 1, "\(failing)")
        #expect(failing.stdout.contains("Failed"), "\(failing)")
        #expect(failing.stdout.contains("imports/bad.yaml:8:") && failing.stdout.contains("error[undefined-target]"), "\(failing)")
        #expect(failing.stdout.contains("help: define it under `targets:`"), "\(failing)")
        #expect(!failing.stdout.contains("notes.yml"), "a YAML file outside imports/ was validated: \(failing)")

        try FileManager.default.removeItem(at: repository.appendingPathComponent("imports/bad.yaml"))
        let passing = try await PreCommit.run(["run", "--all-files"], in: repository)
        #expect(passing.status == 0, "\(passing)")
    }
}

/// The portable release `scripts/package` made: BULK_IMPORT_TARBALL names it (.ci/run builds it,
/// several minutes of release build, and sets it). Without it these tests are skipped, except in CI.
enum Release {
    static let tarball = Pipeline.environment["BULK_IMPORT_TARBALL"]
    static let runnable = tarball != nil || Pipeline.inCI

    /// The tarball unpacked into `folder`: the release's own folder.
    static func unpack(into folder: TemporaryFolder) async throws -> URL {
        let tarball = try #require(tarball, "BULK_IMPORT_TARBALL is not set: run scripts/package and set it to the .tar.gz it prints")
        let name = URL(fileURLWithPath: tarball).lastPathComponent
        #expect(matches(name, #"bulk-import-\d+\.\d+\.\d+-linux-(x86_64|aarch64)\.tar\.gz"#), "\(name)")
        let tar = try await BulkImport.runProgram("/usr/bin/tar", ["-xzf", tarball, "-C", folder.path])
        try #require(tar.status == 0, "\(tar)")
        return folder.url.appendingPathComponent(String(name.dropLast(".tar.gz".count)))
    }
}

@Suite(
    "the portable release and its install", .serialized,
    .enabled(if: Release.runnable, "BULK_IMPORT_TARBALL is not set (.ci/run runs scripts/package and sets it)"))
struct ReleaseTests {
    /// glibc's libraries and libyaml, and what every Debian and Ubuntu base system has: the GCC
    /// runtime the Swift runtime is written against (libstdc++, libgcc_s; apt itself needs them) and
    /// zlib (priority "required"; swift-nio-extras' HTTP compression).
    static let allowed = [
        "linux-vdso.so", "ld-linux", "libc.so", "libm.so", "libpthread.so", "libdl.so", "librt.so", "libutil.so",
        "libstdc++.so", "libgcc_s.so", "libz.so", "libyaml-0.so",
    ]

    @Test func theBinaryNeedsOnlyGlibcLibyamlAndTheBaseSystem() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let release = try await Release.unpack(into: folder)
        let ldd = try await BulkImport.runProgram("/usr/bin/ldd", [release.appendingPathComponent("bin/bulk-import").path])
        #expect(ldd.status == 0, "\(ldd)")
        let libraries = ldd.stdout.split(separator: "\n").compactMap { $0.split(whereSeparator: \.isWhitespace).first.map(String.init) }
        #expect(libraries.contains { $0.hasPrefix("libyaml-0.so") }, "\(ldd.stdout)")
        for library in libraries {
            let name = library.split(separator: "/").last.map(String.init) ?? library
            #expect(Self.allowed.contains { name.hasPrefix($0) }, "bulk-import needs \(library), which a machine without Swift lacks")
        }
        let version = try await BulkImport.runProgram(release.appendingPathComponent("bin/bulk-import").path, ["--version"])
        #expect(matches(version.stdout, #"\d+\.\d+\.\d+\nlibyaml \d+\.\d+\.\d+\n"#), "\(version)")
        #expect(
            URL(fileURLWithPath: Release.tarball ?? "").lastPathComponent.hasPrefix(
                "bulk-import-\(version.stdout.split(separator: "\n")[0])-"))
    }

    /// Both ways in: the release's own `install`, and scripts/install with BULK_IMPORT_DIST.
    @Test(arguments: ["release", "repository"])
    func installPutsTheBinaryCompletionsAndManPageUnderThePrefix(from: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let release = try await Release.unpack(into: folder)
        let prefix = folder.url.appendingPathComponent("prefix with space")
        let install =
            from == "release"
            ? try await BulkImport.runProgram(release.appendingPathComponent("install").path, [prefix.path])
            : try await BulkImport.runProgram(
                Pipeline.root.appendingPathComponent("scripts/install").path, [prefix.path],
                environment: ["BULK_IMPORT_DIST": Release.tarball ?? ""])
        #expect(install.status == 0, "\(install)")
        func installed(_ path: String) throws -> String {
            try String(contentsOf: prefix.appendingPathComponent(path), encoding: .utf8)
        }
        #expect(try installed("share/bash-completion/completions/bulk-import").contains("yaml|yml"))
        #expect(try installed("share/zsh/site-functions/_bulk-import").contains("*.yaml *.yml"))
        #expect(try installed("share/fish/vendor_completions.d/bulk-import.fish").contains("yaml"))
        let manual = try installed("share/man/man1/bulk-import.1")
        #expect(manual.contains(".Dt BULK-IMPORT 1") || manual.contains(".TH"), "\(manual.prefix(300))")
        #expect(manual.contains("validate") && manual.contains("Fl -format"), "\(manual.prefix(300))")
        let binary = prefix.appendingPathComponent("bin/bulk-import").path
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        let validate = try await BulkImport.runProgram(
            binary, ["validate", "examples/quickstart.yaml"], environment: ["MILVUS_TOKEN": "x"])
        #expect(validate.status == 0, "\(validate)")
    }
}
