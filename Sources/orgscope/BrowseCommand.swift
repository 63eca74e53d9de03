import ArgumentParser
import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeTUI

/// `orgscope` and `orgscope --demo`: the TUI over every configured source, or over the
/// built-in sandbox started in-process on a free loopback port.
struct Browse: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "browse", abstract: "Browse every configured source (the default command).")

  @OptionGroup var common: CommonOptions

  @Flag(help: "Browse the built-in sandbox: no account or credentials needed.")
  var demo = false

  @Option(help: .hidden) var demoLatency: Int = 0
  @Option(help: .hidden) var demoAccounts: Int = 5000

  @Flag(name: .customLong("exit-after-first-frame"), help: .hidden)
  var exitAfterFirstFrame = false

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
    if code != 0 { throw ExitCode(code) }
  }

  static func providerVariable(_ name: String) -> Bool {
    ["TWILIO_", "CLOUDFLARE_", "SENDGRID_", "HUAWEICLOUD_", "ORGSCOPE_"].contains {
      name.hasPrefix($0)
    }
      && name != "ORGSCOPE_THEME"
  }
}
