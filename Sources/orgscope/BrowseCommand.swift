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
    commandName: "browse", abstract: "Browse every configured source (the default command).")

  @OptionGroup var common: CommonOptions

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Browse this snapshot file: no credentials, no network.", valueName: "file"))
  var snapshot: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Mark what was added (+) or changed (~) since this snapshot.", valueName: "file"))
  var since: String?

  @Flag(help: "ASCII drawing; non-ASCII characters shown as \\u{…} escapes.")
  var ascii = false

  @Flag(
    name: .customLong("no-mouse"),
    help: "Leave the mouse to the terminal (no clicks or wheel in orgscope).")
  var noMouse = false

  @OptionGroup var demoSandbox: DemoSandboxOptions

  @Flag(name: .customLong("exit-after-first-frame"), help: .hidden)
  var exitAfterFirstFrame = false

  func validate() throws {
    if snapshot != nil && since != nil {
      throw ValidationError("--snapshot and --since do not go together")
    }
  }

  func run() async throws {
    if let snapshot { return try await browseOffline(snapshot) }
    var baseline: Baseline?
    if let since {
      let old = try await Snapshots.read(since)
      baseline = Baseline(takenAt: old.takenAtText, records: old.records)
    }
    let code = try await Context.with(common, demo: demoSandbox.options) { context in
      try await TUI.run(
        sources: context.sources,
        options: TUIOptions(
          themeName: context.configuration.theme ?? "default",
          themeDirectories: TUIOptions.defaultThemeDirectories(environment: context.environment),
          log: context.log.map { log in { @Sendable line in log.write(line) } },
          exitAfterFirstFrame: exitAfterFirstFrame, ascii: ascii || context.configuration.ascii,
          mouse: !noMouse,
          title: baseline.map { "changes since \($0.takenAt) (c: changes only)" }, since: baseline,
          people: PeopleLoader { progress in try await PeopleFetch.load(context, progress: progress)
          }
        ))
    }
    if code != 0 { throw ExitCode(code) }
  }

  /// The TUI on a snapshot file alone: its sources page from the file, nothing is sent,
  /// no credentials are read (the config file only for the theme, when it is readable).
  private func browseOffline(_ path: String) async throws {
    let snapshot = try await Snapshots.read(path)
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
        exitAfterFirstFrame: exitAfterFirstFrame,
        ascii: ascii || (configuration?.ascii ?? false),
        title: "snapshot of \(snapshot.takenAtText)",
        // Who can, by person, offline: a loader reading the snapshot's assignments plugs in
        // here; without one the users tab says what it needs.
        people: nil))
    if code != 0 { throw ExitCode(code) }
  }
}
