import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeSnapshot
import OrgScopeTUI

/// `orgscope` and `orgscope --demo`: the TUI over every configured source, or over the
/// built-in sandbox started in-process on a free loopback port.
struct Browse: Subcommand {
  static let path = ["browse"]
  static let spec = CommandSpec(
    name: "browse", abstract: "Browse every configured source (the default command).",
    options: CommonOptions.specs + [
      .flag("ascii", "ASCII drawing; non-ASCII characters shown as \\u{…} escapes."),
      .flag("no-mouse", "Leave the mouse to the terminal (no clicks or wheel in orgscope)."),
      .option("demo-latency", "ms", "", hidden: true),
      .option("demo-accounts", "n", "", hidden: true),
      .flag("exit-after-first-frame", "", hidden: true),
      .option("snapshot", "file", "Browse this snapshot file: no credentials, no network."),
      .option("since", "file", "Mark what was added (+) or changed (~) since this snapshot."),
    ])

  var common: CommonOptions
  var ascii: Bool
  var mouse: Bool
  var demoLatency: Int
  var demoAccounts: Int
  var exitAfterFirstFrame: Bool
  var snapshot: String?
  var since: String?

  init(_ arguments: ParsedArguments) throws {
    snapshot = arguments.string("snapshot")
    since = arguments.string("since")
    common = try CommonOptions(arguments)
    ascii = arguments.flag("ascii")
    mouse = !arguments.flag("no-mouse")
    demoLatency = try arguments.int("demo-latency", default: 0)
    demoAccounts = try arguments.int("demo-accounts", default: 5000)
    exitAfterFirstFrame = arguments.flag("exit-after-first-frame")
  }

  func run() async throws {
    if let snapshot {
      if since != nil { throw OrgScopeError.usage("--snapshot and --since do not go together") }
      return try await browseOffline(snapshot)
    }
    var baseline: Baseline?
    if let since {
      let old = try await Snapshots.read(since)
      baseline = Baseline(takenAt: old.takenAtText, records: old.records)
    }
    let context = try await Context.open(
      common, demo: SandboxOptions(accounts: demoAccounts, latencyMilliseconds: demoLatency))
    let environment = context.environment
    let code: Int32
    do {
      code = try await TUI.run(
        sources: context.sources,
        options: TUIOptions(
          themeName: context.configuration.theme ?? "default",
          themeDirectories: TUIOptions.defaultThemeDirectories(environment: environment),
          log: context.log.map { log in { @Sendable line in log.write(line) } },
          exitAfterFirstFrame: exitAfterFirstFrame, ascii: ascii || context.configuration.ascii,
          mouse: mouse,
          title: baseline.map { "changes since \($0.takenAt) (c: changes only)" }, since: baseline))
    } catch {
      await context.shutdown()
      throw error
    }
    await context.shutdown()
    if code != 0 { throw ExitStatus(code: code) }
  }

  /// The TUI on a snapshot file alone: its sources page from the file, nothing is sent,
  /// no credentials are read (the config file only for the theme, when it is readable).
  private func browseOffline(_ path: String) async throws {
    let snapshot = try await Snapshots.read(path)
    let environment = ProcessInfo.processInfo.environment
    let configuration = try? Configuration.load(
      environment: environment, profile: common.profile,
      overrides: common.theme.map { ["ORGSCOPE_THEME": $0] } ?? [:],
      configPath: common.configPath, readFile: true)
    let code = try await TUI.run(
      sources: SnapshotSources.setups(snapshot),
      options: TUIOptions(
        themeName: common.theme ?? configuration?.theme ?? "default",
        themeDirectories: TUIOptions.defaultThemeDirectories(environment: environment),
        exitAfterFirstFrame: exitAfterFirstFrame,
        ascii: ascii || (configuration?.ascii ?? false),
        title: "snapshot of \(snapshot.takenAtText)"))
    if code != 0 { throw ExitStatus(code: code) }
  }
}
