/// How a search text matches a name.
public enum MatchMode: String, Sendable, Hashable, CaseIterable {
  case contains
  case startsWith = "starts-with"
  case endsWith = "ends-with"
}

public enum SortDirection: String, Sendable, Hashable, CaseIterable {
  case asc
  case desc
}

/// What the user asked for: search text and filters. Providers map what their API supports
/// to request parameters; the rest is filtered locally (see `SourceCapabilities`).
public struct Query: Sendable, Hashable {
  public var search: String
  public var match: MatchMode
  /// Values of the provider's server-side filters by `FilterSpec.name` (`product-group`);
  /// a flag that is on is `"true"`.
  public var filters: [String: String]
  /// Sort by name on the server with this direction (`SourceCapabilities.sort`); nil = the
  /// server's default order.
  public var sortByName: SortDirection?
  /// Records per request; nil = the provider's own best size.
  public var pageSize: Int?

  public init(
    search: String = "", match: MatchMode = .contains, filters: [String: String] = [:],
    sortByName: SortDirection? = nil, pageSize: Int? = nil
  ) {
    self.search = search
    self.match = match
    self.filters = filters
    self.sortByName = sortByName
    self.pageSize = pageSize
  }

  /// Whether a flag filter is on.
  public func isOn(_ filter: String) -> Bool { filters[filter] == "true" }
}

/// What a source does on the server; anything else in a `Query` is done locally.
public struct SourceCapabilities: Sendable, Hashable {
  /// The server filters by the search text (Cloudflare `name.*`, Twilio roles `Search`).
  public var serverSearch: Bool
  /// Match modes the server understands; others fall back to a local filter.
  public var serverMatchModes: Set<MatchMode>
  /// The server sorts by name (`Query.sortByName`).
  public var sort: Bool
  /// Records carry a role policy (`policy.allow` / `policy.deny`): the "who can" audit
  /// applies.
  public var policies: Bool

  public init(
    serverSearch: Bool = false, serverMatchModes: Set<MatchMode> = [], sort: Bool = false,
    policies: Bool = false
  ) {
    self.policies = policies
    self.serverSearch = serverSearch
    self.serverMatchModes = serverMatchModes
    self.sort = sort
  }
}
