import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeTUI

/// `orgscope` and `orgscope --demo`: the TUI over every configured source, or over the
/// built-in sandbox started in-process on a free loopback port.
struct Browse: Subcommand {
  static let path = ["browse"]
  static let spec = CommandSpec(
    name: "browse", abstract: "Browse every configured source (the default command).",
    options: CommonOptions.specs + [
      .flag("ascii", "ASCII drawing; non-ASCII characters shown as \\u{…} escapes."),
      .option("demo-latency", "ms", "", hidden: true),
      .option("demo-accounts", "n", "", hidden: true),
      .flag("exit-after-first-frame", "", hidden: true),
    ])

  var common: CommonOptions
  var ascii: Bool
  var demoLatency: Int
  var demoAccounts: Int
  var exitAfterFirstFrame: Bool

  init(_ arguments: ParsedArguments) throws {
    common = CommonOptions(arguments)
    ascii = arguments.flag("ascii")
    demoLatency = try arguments.int("demo-latency", default: 0)
    demoAccounts = try arguments.int("demo-accounts", default: 5000)
    exitAfterFirstFrame = arguments.flag("exit-after-first-frame")
  }

  func run() async throws {
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
          exitAfterFirstFrame: exitAfterFirstFrame, ascii: ascii || context.configuration.ascii))
    } catch {
      await context.shutdown()
      throw error
    }
    await context.shutdown()
    if code != 0 { throw ExitStatus(code: code) }
  }
}
