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
  /// Twilio roles `RoleProductGroup`.
  public var productGroup: String?
  /// Twilio roles `ResourceTypes` (comma-separated).
  public var resourceTypes: String?
  /// Twilio roles `Expand`.
  public var expand: Bool?
  /// Huawei `parent_id` (root or OU).
  public var parentID: String?
  /// Huawei `with_register_contact_info`.
  public var withContactInfo: Bool
  /// Cloudflare `order_by=account_name` with this direction; nil = server default order.
  public var sortByName: SortDirection?
  /// Use the deprecated `account_pubname.*` instead of `name.*` (Cloudflare).
  public var usePubname: Bool
  /// Records per request; nil = the provider's own best size.
  public var pageSize: Int?

  public init(
    search: String = "", match: MatchMode = .contains, productGroup: String? = nil,
    resourceTypes: String? = nil, expand: Bool? = nil, parentID: String? = nil,
    withContactInfo: Bool = false, sortByName: SortDirection? = nil, usePubname: Bool = false,
    pageSize: Int? = nil
  ) {
    self.search = search
    self.match = match
    self.productGroup = productGroup
    self.resourceTypes = resourceTypes
    self.expand = expand
    self.parentID = parentID
    self.withContactInfo = withContactInfo
    self.sortByName = sortByName
    self.usePubname = usePubname
    self.pageSize = pageSize
  }
}

/// What a source does on the server; anything else in a `Query` is done locally.
public struct SourceCapabilities: Sendable, Hashable {
  /// The server filters by the search text (Cloudflare `name.*`, Twilio roles `Search`).
  public var serverSearch: Bool
  /// Match modes the server understands; others fall back to a local filter.
  public var serverMatchModes: Set<MatchMode>
  public var productGroup: Bool
  public var resourceTypes: Bool
  public var parentID: Bool
  public var contactInfo: Bool
  public var sort: Bool
  /// Records carry a role policy (`policy.allow` / `policy.deny`): the "who can" audit
  /// applies.
  public var policies: Bool

  public init(
    serverSearch: Bool = false, serverMatchModes: Set<MatchMode> = [], productGroup: Bool = false,
    resourceTypes: Bool = false, parentID: Bool = false, contactInfo: Bool = false,
    sort: Bool = false, policies: Bool = false
  ) {
    self.policies = policies
    self.serverSearch = serverSearch
    self.serverMatchModes = serverMatchModes
    self.productGroup = productGroup
    self.resourceTypes = resourceTypes
    self.parentID = parentID
    self.contactInfo = contactInfo
    self.sort = sort
  }
}
