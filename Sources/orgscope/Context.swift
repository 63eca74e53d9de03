import Foundation
import OrgScopeCore
import OrgScopeSandbox

/// What every command needs: the resolved configuration, the one HTTP transport, and the
/// sources built from them. `environment` is the process's, or the sandbox's for `--demo`.
final class Context: Sendable {
  let configuration: Configuration
  let transport: HTTPClientTransport
  let sources: [SourceSetup]
  let log: EventLog?
  /// The in-process sandbox of `--demo`, stopped with the context.
  let sandbox: RunningSandbox?
  let environment: [String: String]

  /// The context of a command: with `--demo`, a sandbox started in-process on a free
  /// loopback port and an environment that points every source at it (every command
  /// takes `--demo`).
  static func open(_ common: CommonOptions, demo options: SandboxOptions = SandboxOptions())
    async throws -> Context
  {
    var environment = ProcessInfo.processInfo.environment
    guard common.demo else { return try Context(common: common, environment: environment) }
    var options = options
    options.epoch = common.demoEpoch
    let running = try await Sandbox.start(options)
    // The demo must not pick up real credentials or a proxy from the environment.
    for key in environment.keys where providerVariable(key) { environment[key] = nil }
    environment.merge(running.environment) { _, sandboxValue in sandboxValue }
    do {
      return try Context(
        common: common, environment: environment, ignoreConfigFile: true, sandbox: running)
    } catch {
      await running.stop()
      throw error
    }
  }

  /// Every variable a source reads (the registry's settings) and orgscope's own, but the
  /// theme and the record cap: what `--demo` takes out of the environment.
  static func providerVariable(_ name: String) -> Bool {
    (Configuration.knownKeys.contains(name) || name.hasPrefix("ORGSCOPE_"))
      && name != "ORGSCOPE_THEME" && name != Configuration.maxRecordsKey
  }

  init(
    common: CommonOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
    ignoreConfigFile: Bool = false, sandbox: RunningSandbox? = nil
  ) throws {
    self.sandbox = sandbox
    self.environment = environment
    var overrides: [String: String] = [:]
    if let theme = common.theme { overrides["ORGSCOPE_THEME"] = theme.name }
    configuration = try Configuration.load(
      environment: environment, profile: common.profile, overrides: overrides,
      configPath: common.configPath, readFile: !ignoreConfigFile)
    // Proxy passwords too: a proxy's error page or a transport error may quote its URL.
    let proxies = ProxySettings(environment: environment)
    // An unusable proxy variable is an error, never a silent direct connection; the demo
    // (which ignores the config file) talks to loopback only, which is never proxied.
    if !ignoreConfigFile { try proxies.validate() }
    let redactor = Redactor(
      secrets: configuration.secrets + [proxies.http, proxies.https].compactMap { $0?.password })
    if let path = common.logFile {
      log = try EventLog(path: path, redactor: redactor)
    } else {
      log = nil
    }
    transport = HTTPClientTransport(environment: environment, redactor: redactor, events: log)
    sources = configuration.makeSources(transport: transport, redactor: redactor)
  }

  /// The ready client for `source`, or the configuration error that says what to set.
  func client(for source: SourceID) throws -> SourceClient {
    switch sources.first(where: { $0.source == source }) {
    case .ready(let client)?: return client
    case .missing(let source, let hint)?:
      throw OrgScopeError.missingCredentials(source: source, hint: hint)
    case nil: throw OrgScopeError.usage("unknown source \(source.rawValue)")
    }
  }

  /// Runs `body` with the command's context and shuts it down afterwards, on every path:
  /// the one way commands hold a context.
  static func with<T>(
    _ common: CommonOptions, demo options: SandboxOptions = SandboxOptions(),
    _ body: (Context) async throws -> T
  ) async throws -> T {
    let context = try await open(common, demo: options)
    do {
      let result = try await body(context)
      await context.shutdown()
      return result
    } catch {
      await context.shutdown()
      throw error
    }
  }

  private func shutdown() async {
    await transport.shutdown()
    log?.close()
    await sandbox?.stop()
  }
}
