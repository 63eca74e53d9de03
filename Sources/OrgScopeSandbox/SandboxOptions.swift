import OrgScopeCore

/// How `Sandbox.start` runs: where it listens, how much data it serves, and which faults it
/// injects. Every default gives a quiet, fast, well-behaved server.
public struct SandboxOptions: Sendable, Hashable {
  /// TCP port on 127.0.0.1; 0 picks a free one (see `RunningSandbox.port`).
  public var port: Int
  /// Accounts per account source.
  public var accounts: Int
  /// Roles of the role source.
  public var roles: Int
  /// Time from reading a request off the connection to writing its answer, in milliseconds
  /// (`LatencyHandler`): a network round trip with the server's work hidden in it.
  public var latencyMilliseconds: Int
  /// Seed of the generated data; the same seed gives the same records.
  public var seed: UInt64
  /// Share of requests (0...1) answered with a 503 in the provider's error format.
  public var failRate: Double
  /// Faults injected per route.
  public var faults: [SandboxFault]
  /// Lifetime of issued OAuth access tokens, in seconds (short values test renewal).
  public var tokenLifetimeSeconds: Int
  /// Publish temporary Huawei credentials: requests must then carry `X-Security-Token`.
  public var huaweiTemporaryCredentials: Bool
  /// Seconds a connection may take to send a complete request head, counted from when it
  /// opens or from the end of the previous answer (so it is also the idle timeout between
  /// requests). A slowloris client trickling its head is closed when it runs out.
  public var headerTimeoutSeconds: Double
  /// Open connections at most; beyond it, new ones wait in the listen backlog (with one log
  /// line) until one closes, instead of using up the process's descriptors.
  public var maxConnections: Int
  /// The organization now, or some weeks later (`SandboxEpoch`).
  public var epoch: SandboxEpoch
  /// People of the Twilio organization (SCIM users), each with role assignments.
  public var users = 150

  public init(
    port: Int = 0, accounts: Int = 5000, roles: Int = 300, latencyMilliseconds: Int = 0,
    seed: UInt64 = 1, failRate: Double = 0, faults: [SandboxFault] = [],
    tokenLifetimeSeconds: Int = 3600, huaweiTemporaryCredentials: Bool = false,
    headerTimeoutSeconds: Double = 10, maxConnections: Int = 256, epoch: SandboxEpoch = .initial
  ) {
    self.epoch = epoch
    self.headerTimeoutSeconds = headerTimeoutSeconds
    self.maxConnections = maxConnections
    self.port = port
    self.accounts = accounts
    self.roles = roles
    self.latencyMilliseconds = latencyMilliseconds
    self.seed = seed
    self.failRate = failRate
    self.faults = faults
    self.tokenLifetimeSeconds = tokenLifetimeSeconds
    self.huaweiTemporaryCredentials = huaweiTemporaryCredentials
  }
}

/// One injected fault, parsed from `ROUTE:KIND[:ARG][:once|always]`, for example
/// `ROUTE:html500`, `ROUTE:429:2`, `ROUTE:slow:800`, `ROUTE:429:1:once`.
/// ROUTE is a route's name (`SandboxRoute.allCases`: the source ids, then endpoints such as
/// a token endpoint) or `all`.
public struct SandboxFault: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// Status 500 with an HTML page instead of JSON.
    case html500
    /// Status 200 whose JSON body is cut in the middle.
    case truncated
    /// Status 429 with `Retry-After` (seconds) and the provider's error body.
    case tooManyRequests(retryAfterSeconds: Int)
    /// The normal answer, delayed by this many milliseconds.
    case slow(milliseconds: Int)
    /// No answer at all until the client gives up (or the sandbox stops).
    case stall
    /// Status 200 with a body larger than 64 MiB, streamed.
    case oversized
  }

  /// The routes it applies to (all routes for `all`).
  public var routes: Set<SandboxRoute>
  public var kind: Kind
  /// Apply to the first matching request of each route only, instead of to every one.
  public var once: Bool

  public init(routes: Set<SandboxRoute>, kind: Kind, once: Bool) {
    self.routes = routes
    self.kind = kind
    self.once = once
  }

  /// Parses `ROUTE:KIND[:ARG][:once|always]`. A 429 happens once unless `always` is given;
  /// every other kind always happens unless `once` is given.
  public init(parsing text: String) throws(SandboxError) {
    var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count >= 2 else {
      throw .invalidFault(text, "expected ROUTE:KIND[:ARG][:once|always]")
    }
    var once: Bool?
    if let last = parts.last, parts.count > 2, last == "once" || last == "always" {
      once = last == "once"
      parts.removeLast()
    }
    let routeText = parts[0].lowercased()
    if routeText == "all" {
      routes = Set(SandboxRoute.allCases)
    } else if let route = SandboxRoute(rawValue: routeText) {
      routes = [route]
    } else {
      let names = (SandboxRoute.allCases.map(\.rawValue) + ["all"]).joined(separator: ", ")
      throw .invalidFault(text, "unknown route '\(parts[0])' (one of \(names))")
    }
    let argument = parts.count > 2 ? parts[2] : nil
    guard parts.count <= 3 else { throw .invalidFault(text, "too many parts") }
    func number(default value: Int?, unit: String) throws(SandboxError) -> Int {
      guard let argument else {
        if let value { return value }
        throw .invalidFault(text, "\(parts[1]) needs a number of \(unit)")
      }
      guard let number = Int(argument), number >= 0 else {
        throw .invalidFault(text, "'\(argument)' is not a number of \(unit)")
      }
      return number
    }
    func noArgument() throws(SandboxError) {
      if let argument { throw .invalidFault(text, "\(parts[1]) takes no argument '\(argument)'") }
    }
    switch parts[1].lowercased() {
    case "html500":
      try noArgument()
      kind = .html500
    case "truncated":
      try noArgument()
      kind = .truncated
    case "429":
      kind = .tooManyRequests(retryAfterSeconds: try number(default: 1, unit: "seconds"))
    case "slow":
      kind = .slow(milliseconds: try number(default: 1000, unit: "milliseconds"))
    case "stall":
      try noArgument()
      kind = .stall
    case "oversized":
      try noArgument()
      kind = .oversized
    default:
      throw .invalidFault(
        text, "unknown kind '\(parts[1])' (html500, truncated, 429, slow, stall, oversized)")
    }
    if case .tooManyRequests = kind {
      self.once = once ?? true
    } else {
      self.once = once ?? false
    }
  }

  public var description: String {
    let route =
      routes == Set(SandboxRoute.allCases)
      ? "all" : routes.map(\.rawValue).sorted().joined(separator: ",")
    let kindText: String
    switch kind {
    case .html500: kindText = "html500"
    case .truncated: kindText = "truncated"
    case .tooManyRequests(let seconds): kindText = "429:\(seconds)"
    case .slow(let milliseconds): kindText = "slow:\(milliseconds)"
    case .stall: kindText = "stall"
    case .oversized: kindText = "oversized"
    }
    return "\(route):\(kindText):\(once ? "once" : "always")"
  }
}

/// Why the sandbox could not start or an option is wrong.
public enum SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
  case invalidFault(String, String)
  case invalidOption(String)
  case startFailed(String)
  case portInUse(Int)

  public var description: String {
    switch self {
    case .portInUse(let port):
      return "port \(port) is in use: choose another with --port, or --port 0 for any free port"
    case .invalidFault(let text, let reason): return "invalid --fault '\(text)': \(reason)"
    case .invalidOption(let message): return "invalid sandbox option: \(message)"
    case .startFailed(let message): return "sandbox could not start: \(message)"
    }
  }
}
