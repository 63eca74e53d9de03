import ArgumentParser
import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeSnapshot
import OrgScopeTUI

/// `orgscope` and `orgscope --demo`: the TUI over every configured source, or over the
/// built-in sandbox started in-process on a free loopback port.
struct Browse: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "browse", abstract: "Browse every configured source (the default command).",
    discussion: examples(
      "orgscope --demo --theme dark", "orgscope --snapshot q4.db",
      "orgscope --since latest   # marks what changed since the newest snapshot"))

  @OptionGroup var common: CommonOptions

  @OptionGroup var options: BrowseOptions

  @OptionGroup var demoSandbox: DemoSandboxOptions

  func run() async throws {
    if let snapshot = options.snapshot {
      return try await browseOffline(try await SnapshotName.path(snapshot, common))
    }
    var old: Snapshot?
    if let since = options.since {
      old = try await Snapshots.read(try await SnapshotName.path(since, common), common)
    }
    let code = try await Context.with(common, demo: demoSandbox.options) { context in
      var baseline = old.map { Baseline(takenAt: $0.takenAtText, records: $0.records) }
      baseline?.peopleThen = old.flatMap(Self.peopleThen)
      return try await TUI.run(
        sources: context.sources,
        options: TUIOptions(
          themeName: context.configuration.theme ?? "default",
          themeDirectories: TUIOptions.defaultThemeDirectories(environment: context.environment),
          log: context.log.map { log in { @Sendable line in log.write(line) } },
          exitAfterFirstFrame: options.exitAfterFirstFrame,
          ascii: options.ascii || context.configuration.ascii, mouse: !options.noMouse,
          title: baseline.map { "changes since \($0.takenAt) (c: changes only)" }, since: baseline,
          people: PeopleLoader { progress in
            try await PeopleFetch.load(context, progress: progress)
          }))
    }
    if code != 0 { throw ExitCode(code) }
  }

  /// The snapshot's people, for the users tab to compare with the live ones once it has
  /// loaded them (nil when the file holds no assignments).
  private static func peopleThen(_ old: Snapshot) -> Baseline.PeopleThen? {
    guard let directory = try? old.peopleDirectory() else { return nil }
    var roleNames: [String: String] = [:]
    for source in ProviderRegistry.policySources {
      for record in old.records[source] ?? [] { roleNames[record.id] = record.name }
    }
    return Baseline.PeopleThen(
      directory: directory, roleNames: roleNames, scopeNames: old.accountNames)
  }

  /// The TUI on a snapshot file alone: its sources page from the file, nothing is sent,
  /// no credentials are read (the config file only for the theme, when it is readable).
  private func browseOffline(_ path: String) async throws {
    let snapshot = try await Snapshots.read(path, common)
    let environment = ProcessInfo.processInfo.environment
    let configuration = try? Configuration.load(
      environment: environment, profile: common.profile,
      overrides: common.theme.map { ["ORGSCOPE_THEME": $0.name] } ?? [:],
      configPath: common.configPath, readFile: true)
    let code = try await TUI.run(
      sources: SnapshotSources.setups(snapshot),
      options: TUIOptions(
        themeName: common.theme?.name ?? configuration?.theme ?? "default",
        themeDirectories: TUIOptions.defaultThemeDirectories(environment: environment),
        exitAfterFirstFrame: options.exitAfterFirstFrame,
        ascii: options.ascii || (configuration?.ascii ?? false),
        title: "snapshot of \(snapshot.takenAtText)",
        // Who can, by person, from the file's users, assignments, roles and account names
        // (a file without assignments: the users tab says to take a new one).
        people: PeopleLoader { _ in try PeopleFetch.load(from: snapshot) }))
    if code != 0 { throw ExitCode(code) }
  }
}

/// The options of the TUI, which the root offers too (`orgscope --demo` runs `browse`).
struct BrowseOptions: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Browse this snapshot file (or latest): no credentials, no network.", valueName: "file"),
    completion: .file())
  var snapshot: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Mark what was added (+) or changed (~) since this snapshot (a file, or latest).",
      valueName: "file"),
    completion: .file())
  var since: String?

  @Flag(help: "ASCII drawing; non-ASCII characters shown as \\u{…} escapes.")
  var ascii = false

  @Flag(
    name: .customLong("no-mouse"),
    help: "Leave the mouse to the terminal (no clicks or wheel in orgscope).")
  var noMouse = false

  @Flag(name: .customLong("exit-after-first-frame"), help: .hidden)
  var exitAfterFirstFrame = false

  func validate() throws {
    if snapshot != nil && since != nil {
      throw ValidationError("--snapshot and --since do not go together")
    }
  }
}
