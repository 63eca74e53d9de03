import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeTUI

/// `orgscope` and `orgscope --demo`: the TUI over every configured source, or over the
/// built-in sandbox started in-process on a free loopback port.
struct Browse: Command {
  static let path = ["browse"]
  static let spec = CommandSpec(
    name: "browse", abstract: "Browse every configured source (the default command).",
    options: CommonOptions.specs + [
      .flag("demo", "Browse the built-in sandbox: no account or credentials needed."),
      .option("demo-latency", "ms", "", hidden: true),
      .option("demo-accounts", "n", "", hidden: true),
      .flag("exit-after-first-frame", "", hidden: true),
    ])

  var common: CommonOptions
  var demo: Bool
  var demoLatency: Int
  var demoAccounts: Int
  var exitAfterFirstFrame: Bool

  init(_ arguments: ParsedArguments) throws {
    common = CommonOptions(arguments)
    demo = arguments.flag("demo")
    demoLatency = try arguments.int("demo-latency", default: 0)
    demoAccounts = try arguments.int("demo-accounts", default: 5000)
    exitAfterFirstFrame = arguments.flag("exit-after-first-frame")
  }

  func run() async throws {
    var environment = ProcessInfo.processInfo.environment
    var sandbox: RunningSandbox?
    if demo {
      let running = try await Sandbox.start(
        SandboxOptions(accounts: demoAccounts, latencyMilliseconds: demoLatency))
      // The demo must not pick up real credentials or a proxy from the environment.
      for key in environment.keys where Self.providerVariable(key) { environment[key] = nil }
      environment.merge(running.environment) { _, sandboxValue in sandboxValue }
      sandbox = running
    }
    let context = try Context(common: common, environment: environment, ignoreConfigFile: demo)
    let code: Int32
    do {
      code = try await TUI.run(
        sources: context.sources,
        options: TUIOptions(
          themeName: context.configuration.theme ?? "default",
          themeDirectories: TUIOptions.defaultThemeDirectories(environment: environment),
          log: context.log.map { log in { @Sendable line in log.write(line) } },
          exitAfterFirstFrame: exitAfterFirstFrame))
    } catch {
      await context.shutdown()
      await sandbox?.stop()
      throw error
    }
    await context.shutdown()
    await sandbox?.stop()
    if code != 0 { throw ExitStatus(code: code) }
  }

  static func providerVariable(_ name: String) -> Bool {
    ["TWILIO_", "CLOUDFLARE_", "SENDGRID_", "HUAWEICLOUD_", "ORGSCOPE_"].contains {
      name.hasPrefix($0)
    }
      && name != "ORGSCOPE_THEME"
  }
}
