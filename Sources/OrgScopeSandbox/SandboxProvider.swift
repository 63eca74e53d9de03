import OrgScopeCore

/// One provider's API in the sandbox, described once: the paths it serves and their
/// handlers, its error bodies, and the variables that point orgscope at it. A provider is
/// one file that declares a conforming type (with its routes, its data shaping and its demo
/// credentials beside it) and one line in `SandboxRegistry.providers`; nothing generic
/// names it.
protocol SandboxProvider: Sendable {
  /// The paths it serves, each with its route (what `--fault` targets) and its handler.
  var endpoints: [SandboxEndpoint] { get }
  /// The path prefixes earlier versions served it under (`/PROVIDER`): an unknown path
  /// below one of them gets this provider's 404 body.
  var legacyPrefixes: [String] { get }
  /// Its error body for a status with no better message (a fault's 429, 503).
  func errorBody(status: Int, message: String, requestID: String) -> SandboxResponse
  /// Its answer for an unknown path below one of its prefixes.
  func notFound(_ message: String, requestID: String) -> SandboxResponse
  /// The variables that point orgscope at it (base URLs, demo credentials, ids), in the
  /// order `RunningSandbox.exportLines` prints them.
  func environment(baseURL: String, data: SandboxData, options: SandboxOptions)
    -> [SandboxVariable]
}

extension SandboxProvider {
  /// Its routes, in the order of its endpoints.
  var routes: [SandboxRoute] {
    var routes: [SandboxRoute] = []
    for endpoint in endpoints where !routes.contains(endpoint.route) {
      routes.append(endpoint.route)
    }
    return routes
  }
}

/// A route a fault can target (`--fault ROUTE:KIND`): one per source, plus endpoints that
/// serve no source (a token endpoint). Each provider declares its own in its file
/// (`extension SandboxRoute { public static let … }`); `allCases` are the registry's.
public struct SandboxRoute: RawRepresentable, Sendable, Hashable, CaseIterable {
  /// The name `--fault` takes: a source id, or the endpoint's own name.
  public let rawValue: String
  /// The source this route serves, nil for an endpoint that serves none.
  public let source: SourceID?
  /// The key of the list in its answers: the `oversized` fault fills it.
  let listKey: String

  init(_ name: String, source: SourceID?, listKey: String) {
    rawValue = name
    self.source = source
    self.listKey = listKey
  }

  /// The registered route of that name, nil if there is none.
  public init?(rawValue: String) {
    guard let route = SandboxRegistry.routes.first(where: { $0.rawValue == rawValue }) else {
      return nil
    }
    self = route
  }

  public static var allCases: [SandboxRoute] { SandboxRegistry.routes }

  public static func == (left: SandboxRoute, right: SandboxRoute) -> Bool {
    left.rawValue == right.rawValue
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

/// One variable of `RunningSandbox.environment`.
typealias SandboxVariable = (name: String, value: String)

/// One path a provider serves, and what answers it.
struct SandboxEndpoint: Sendable {
  typealias Handler = @Sendable (SandboxAPI, SandboxCall) async -> SandboxResponse

  let route: SandboxRoute
  /// The path's segments after the leading `/`; nil where a segment is captured.
  let pattern: [String?]
  /// The prefix segment it is also served under, as earlier versions did (`PROVIDER`).
  let prefix: String
  let handle: Handler

  /// `path` is the API's real path, `{name}` for a captured segment:
  /// `/Organizations/{OrganizationSid}/Accounts`.
  init(_ route: SandboxRoute, _ path: String, prefix: String, handle: @escaping Handler) {
    self.route = route
    self.pattern = path.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }
    self.prefix = prefix
    self.handle = handle
  }

  /// The captured segments (decoded) when `segments` is this path at the root or under the
  /// prefix, nil otherwise. `segments` starts with the empty one before the leading `/`.
  func match(_ segments: [String]) -> [String]? {
    match(segments, [""] + pattern) ?? match(segments, ["", prefix] + pattern)
  }

  private func match(_ segments: [String], _ pattern: [String?]) -> [String]? {
    guard segments.count == pattern.count else { return nil }
    var captured: [String] = []
    for (segment, expected) in zip(segments, pattern) {
      if let expected {
        if segment != expected { return nil }
      } else {
        captured.append(PercentEncoding.decode(segment[...]))
      }
    }
    return captured
  }
}

/// One request matched to an endpoint: what its handler reads.
struct SandboxCall: Sendable {
  let request: SandboxRequest
  /// The captured path segments, decoded, in order.
  let captured: [String]
  /// The id of this request (some APIs echo it in a header and in their error bodies).
  let requestID: String
  /// The server's clock, in seconds since 1970.
  let now: Int64
}

/// The demo credentials the sandbox accepts. They are fixed and public on purpose: they
/// open nothing but this local server, and `RunningSandbox.environment` publishes them.
/// Each provider adds its own in its file.
public enum SandboxCredentials {}
