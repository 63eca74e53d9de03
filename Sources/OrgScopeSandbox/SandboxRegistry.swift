/// Every provider the sandbox serves: the one place that lists them all. Routing, faults
/// (`--fault ROUTE:…`), unknown-path answers and `RunningSandbox.environment` read it.
enum SandboxRegistry {
  /// In tab order; `RunningSandbox.exportLines` prints their variables in this order.
  static let providers: [any SandboxProvider] = [
    TwilioSandbox(),
    CloudflareSandbox(),
    SendGridSandbox(),
    HuaweiSandbox(),
    TwilioUsersSandbox(),
  ]

  /// Every endpoint, with the provider that serves it.
  static let endpoints: [(provider: any SandboxProvider, endpoint: SandboxEndpoint)] =
    providers.flatMap { provider in provider.endpoints.map { (provider, $0) } }

  /// Every route: those that serve a source first (in the providers' order), then the
  /// others (token endpoints), as `--fault` lists them.
  static let routes: [SandboxRoute] = {
    let all = providers.flatMap(\.routes)
    return all.filter { $0.source != nil } + all.filter { $0.source == nil }
  }()

  /// The provider that serves paths below `path`'s legacy prefix, if any.
  static func provider(below path: String) -> (any SandboxProvider)? {
    providers.first { provider in
      provider.legacyPrefixes.contains { path.hasPrefix($0 + "/") }
    }
  }
}
