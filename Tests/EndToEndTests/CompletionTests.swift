import Foundation
import OrgScopeCore
import Testing

/// `orgscope --generate-completion-script SHELL` and argument-parser's suggestions, run as
/// the built binary.
@Suite struct CompletionTests {
  /// The built-in themes: the files the TUI's built-in list is generated from.
  static let themes: [String] = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let folder = root.appendingPathComponent("themes").path
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  func environment() throws -> [String: String] {
    let home = try Binary.scratchHome()
    return Binary.baseEnvironment(home: home)
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScriptOffersSourcesFormatsMatchModesAndThemes(shell: String) async throws {
    let result = try await Binary.run(
      ["--generate-completion-script", shell], environment: try environment())
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    let script = result.stdout
    #expect(Self.themes.count >= 5, "themes/ should hold the built-in themes")
    let values =
      SourceID.allCases.map(\.rawValue) + OutputFormat.allCases.map(\.rawValue)
      + MatchMode.allCases.map(\.rawValue) + Self.themes
    for value in values { #expect(script.contains(value), "\(shell) script lacks \(value)") }
    for option in ["format", "match", "theme", "where", "with-contact-info"] {
      #expect(script.contains(option), "\(shell) script lacks --\(option)")
    }
    for command in ["list", "roles", "grants", "snapshot", "sandbox"] {
      #expect(script.contains(command), "\(shell) script lacks \(command)")
    }
  }

  /// The scripts of zsh and fish (not installed here) call the binary as bash's do: every
  /// such call in every script is answered, and the top level offers the default command's
  /// options.
  @Test(arguments: ["bash", "zsh", "fish"])
  func everyCompletionTheScriptAsksForIsAnswered(shell: String) async throws {
    let environment = try environment()
    let script = try await Binary.run(
      ["--generate-completion-script", shell], environment: environment
    ).stdout
    let calls = Set(
      script.matches(of: #/---completion ((?:[a-z-]+ )*)-- ([a-z@0-9-]+)/#).map {
        "\($0.1)-- \($0.2)"
      })
    for expected in [
      "snapshot diff -- positional@0", "snapshot diff -- positional@1",
      "roles diff -- positional@0", "roles diff -- positional@1", "roles matrix -- --roles",
      "users show -- positional@0",
    ] {
      #expect(calls.contains(expected), "\(shell) script never asks for \(expected)")
    }
    for call in calls {
      let words = call.split(separator: " ").map(String.init)
      let answer = try await Binary.run(
        ["---completion"] + words + ["1", "0", "orgscope", ""], environment: environment)
      #expect(answer.status == 0, "\(shell): \(call): \(answer.stderr)")
      #expect(answer.stderr.isEmpty, "\(shell): \(call): \(answer.stderr)")
    }
    // The top level offers `--demo` and `--since`, as `browse` does.
    switch shell {
    case "zsh":
      let root = try #require(script.range(of: "\n_orgscope() {")).upperBound
      let end = try #require(script.range(of: "\n_orgscope_browse() {")).lowerBound
      #expect(script[root..<end].contains("'--demo["))
      #expect(script[root..<end].contains("'--since["))
    case "fish":
      #expect(
        script.contains(
          #"should_offer_completions_for_flags_or_options "orgscope" demo' -l 'demo'"#))
    default: break
    }
  }

  /// `list`'s filter options are declared one by one (argument-parser's options are
  /// properties): every filter the provider registry declares must have one.
  @Test func everyProviderFilterIsAListOption() async throws {
    let help = try await Binary.run(["list", "--help"], environment: try environment())
    #expect(help.status == 0)
    // Help lines are wrapped: compare with the spaces and line breaks folded.
    let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(!ProviderRegistry.filters.isEmpty)
    for filter in ProviderRegistry.filters {
      #expect(text.contains("--\(filter.name)"), "list has no --\(filter.name)")
      #expect(text.contains(filter.help), "list --help lacks the help of --\(filter.name)")
    }
  }

  @Test func aMisspeltOptionIsAUsageErrorThatSuggestsTheRightOne() async throws {
    let result = try await Binary.run(
      ["list", "huawei", "--serch", "acme"], environment: try environment())
    #expect(result.status == 2)
    #expect(
      result.stderr.split(separator: "\n") == [
        "orgscope: usage: unknown option \"--serch\"; did you mean \"--search\"?",
        "orgscope: see: orgscope list --help",
      ], "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func anUnknownShellIsAUsageError() async throws {
    let result = try await Binary.run(
      ["--generate-completion-script", "tcsh"], environment: try environment())
    #expect(result.status == 2)
    #expect(result.stderr.contains("tcsh"), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 2, "\(result.stderr)")
  }
}

/// What Tab offers, as bash computes it from the generated script: the script is sourced in
/// a real bash, its function fills `COMPREPLY` for a command line with the cursor at its end
/// (words split at spaces), and the candidates are compared.
@Suite struct TabCompletionTests {
  /// bash with the script sourced, completing `$2` in folder `$4`; the script calls the
  /// binary `$3` for the candidates it computes (files, snapshot words, names).
  static let driver = """
    source "$1" && cd "$4" || exit 9
    COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
    read -ra COMP_WORDS <<< "$COMP_LINE"
    [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMP_WORDS[0]="$3"
    COMPREPLY=()
    _orgscope orgscope "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\\n' "${COMPREPLY[@]}"
    """

  let home: String
  let script: String
  var environment: [String: String]

  init() async throws {
    home = try Binary.scratchHome()
    environment = Binary.baseEnvironment(home: home + "/home")
    environment["XDG_DATA_HOME"] = home + "/data"
    let generated = try await Binary.run(
      ["--generate-completion-script", "bash"], environment: environment)
    script = home + "/orgscope.bash"
    try generated.stdout.write(toFile: script, atomically: true, encoding: .utf8)
    // The folder Tab runs in: two snapshots, a text file, a folder, a hidden file.
    let folder = home + "/work"
    try FileManager.default.createDirectory(
      atPath: folder + "/old", withIntermediateDirectories: true)
    for name in ["q3.db", "q4.db", "notes.txt", ".hidden.db"] {
      #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("x".utf8)))
    }
  }

  /// The candidates bash offers for `line`, sorted.
  func complete(_ line: String, environment extra: [String: String] = [:]) async throws
    -> [String]
  {
    let result = try await Binary.run(
      ["-c", Self.driver, "driver", script, line, Binary.path, home + "/work"],
      environment: environment.merging(extra) { _, new in new }, executable: "/bin/bash")
    #expect(result.status == 0, "\(line): \(result.stderr)")
    #expect(result.stderr.isEmpty, "\(line): \(result.stderr)")
    return result.stdout.split(separator: "\n").map(String.init).sorted()
  }

  func clean() { try? FileManager.default.removeItem(atPath: home) }

  @Test func theTopLevelOffersTheOptionsOfTheDefaultCommand() async throws {
    defer { clean() }
    let offered = try await complete("orgscope --")
    for option in [
      "--demo", "--snapshot", "--since", "--theme", "--profile", "--ascii", "--no-mouse",
      "--demo-epoch", "--version", "--help",
    ] {
      #expect(offered.contains(option), "orgscope --<Tab> lacks \(option): \(offered)")
    }
    #expect(try await complete("orgscope --theme d") == ["dark", "default"])
    #expect(try await complete("orgscope --demo-epoch ") == ["initial", "later"])
    // The commands are still there, and so are their own options.
    #expect(try await complete("orgscope sn") == ["snapshot"])
    #expect(try await complete("orgscope list --for") == ["--format"])
  }

  @Test func snapshotsCompleteAsFilesOrTheWordsThatNameOne() async throws {
    defer { clean() }
    // Files, as the shell completes them (it knows `~` and quoting).
    #expect(try await complete("orgscope --snapshot q") == ["q3.db", "q4.db"])
    #expect(
      try await complete("orgscope --since ") == [
        ".hidden.db", "notes.txt", "old", "q3.db", "q4.db",
      ])
    #expect(try await complete("orgscope --since .h") == [".hidden.db"])
    #expect(try await complete("orgscope browse --since q3") == ["q3.db"])
    #expect(try await complete("orgscope list cloudflare --snapshot n") == ["notes.txt"])
    #expect(try await complete("orgscope roles grants x --snapshot q") == ["q3.db", "q4.db"])
    #expect(try await complete("orgscope snapshot -o q") == ["q3.db", "q4.db"])
    // `snapshot diff`: files, and the words that name a snapshot.
    #expect(try await complete("orgscope snapshot diff q") == ["q3.db", "q4.db"])
    #expect(
      try await complete("orgscope snapshot diff ") == [
        "latest", "live", "notes.txt", "old/", "q3.db", "q4.db",
      ])
    #expect(try await complete("orgscope snapshot diff q3.db l") == ["latest", "live"])
    #expect(try await complete("orgscope snapshot diff .") == [".hidden.db"])
    #expect(try await complete("orgscope snapshot diff old/") == [])
    #expect(try await complete("orgscope list huawei --log-file no") == ["notes.txt"])
    #expect(try await complete("orgscope who-can x --config no") == ["notes.txt"])
  }

  @Test func roleAndUserNamesComeFromTheNewestSnapshotOfTheProfile() async throws {
    defer { clean() }
    // No snapshot: nothing offered, nothing printed (`complete` checks stderr).
    #expect(try await complete("orgscope roles diff --demo ").isEmpty)
    #expect(try await complete("orgscope users show ").isEmpty)
    // A file given that is no snapshot: the same.
    #expect(try await complete("orgscope roles diff --snapshot notes.txt ").isEmpty)

    let taken = try await Binary.run(
      ["snapshot", "--demo", "--demo-accounts", "20", "--demo-users", "30"],
      environment: environment)
    #expect(taken.status == 0, "\(taken.stderr)")
    let file = taken.stdout.trimmingCharacters(in: .newlines)
    let roles = try await names(file, "twilio-roles", "friendly_name")
    let users = try await names(file, "twilio-users", "userName")
    #expect(roles.count > 10 && users.count == 30)

    #expect(try await complete("orgscope roles diff --demo ") == roles)
    #expect(try await complete("orgscope roles diff --profile demo ") == roles)
    #expect(
      try await complete("orgscope roles diff ", environment: ["ORGSCOPE_PROFILE": "demo"]) == roles
    )
    #expect(try await complete("orgscope roles diff --snapshot \(file) ") == roles)
    // The default profile has no snapshot.
    #expect(try await complete("orgscope roles diff ").isEmpty)
    #expect(
      try await complete("orgscope roles matrix --demo --roles x,") == roles.map { "x," + $0 })
    #expect(try await complete("orgscope users show --demo ") == users)
  }

  /// A hostile snapshot's names reach the shell, which `compgen -W` expands: a name that is
  /// not a plain word is offered by its sid, so nothing runs and no escape is printed.
  @Test(.enabled(if: SnapshotCLITests.hasSQLite3)) func aHostileNameIsOfferedByItsSid()
    async throws
  {
    defer { clean() }
    let file = home + "/work/hostile.db"
    let taken = try await Binary.run(
      ["snapshot", "--demo", "--demo-accounts", "5", "twilio-roles", "-o", file],
      environment: environment)
    #expect(taken.status == 0, "\(taken.stderr)")
    let marker = home + "/work/ran"
    let sids = try await Binary.run(
      [
        file,
        """
        UPDATE records SET name = '$(touch \(marker))' WHERE rowid = 1;
        UPDATE records SET name = 'Clear' || char(27) || '[2J' WHERE rowid = 2;
        SELECT id FROM records WHERE rowid <= 2 ORDER BY rowid;
        """,
      ], environment: ["PATH": "/usr/bin:/bin"], executable: SnapshotCLITests.sqlite3
    ).stdout.split(separator: "\n").map(String.init)
    #expect(sids.count == 2)
    let offered = try await complete("orgscope roles diff --snapshot hostile.db ")
    for sid in sids { #expect(offered.contains(sid)) }
    #expect(!offered.contains { $0.contains("$(") || $0.contains("\u{1B}") })
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  /// `field` of every record of `source` in `file`, sorted, as `list --snapshot` prints them.
  func names(_ file: String, _ source: String, _ field: String) async throws -> [String] {
    let listed = try await Binary.run(
      ["list", source, "--snapshot", file, "--format", "ndjson"], environment: environment)
    return Set(
      try listed.stdout.split(separator: "\n").compactMap {
        try JSONParser.parse(String($0)).object?[field]?.string
      }
    ).sorted()
  }
}
