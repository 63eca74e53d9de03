/// A source's id, as used on the command line (`cloudflare`, `twilio-roles`). The sources
/// are those of `ProviderRegistry`, in its order; each provider declares its own id next to
/// its code (`extension SourceID { static let cloudflare = … }`).
public struct SourceID: RawRepresentable, CaseIterable, Sendable, Hashable, Codable,
  CustomStringConvertible
{
  public let rawValue: String

  /// A registered source's id; nil for any other name.
  public init?(rawValue: String) {
    guard ProviderRegistry.all.contains(where: { $0.id.rawValue == rawValue }) else { return nil }
    self.rawValue = rawValue
  }

  /// A provider file declares its id with this.
  init(declaring rawValue: String) { self.rawValue = rawValue }

  /// Every source, in tab order.
  public static var allCases: [SourceID] { ProviderRegistry.all.map(\.id) }

  public var description: String { rawValue }

  /// What the registry says of this source.
  public var descriptor: ProviderDescriptor { ProviderRegistry.descriptor(self) }

  /// The tab title from PRODUCT.md.
  public var title: String { descriptor.title }

  /// The provider's name as it appears in error messages; the id itself for a source that
  /// is not registered (a provider tried out in a test), so an error never crashes.
  public var providerName: String {
    ProviderRegistry.all.first { $0.id == self }?.providerName ?? rawValue
  }
}

/// A variable a source reads from the environment, a flag or the config file.
public struct Setting: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// Any text (an id, an e-mail).
    case text
    /// A credential: never shown, logged or exported; a config file that holds one must not
    /// be readable by group or others.
    case secret
    /// A base URL, checked at load (so a typo is exit 2, not a tab that never loads), with
    /// the real API's address as default.
    case baseURL(default: String)
    /// One of a few words (case-insensitive).
    case choice([String])
  }

  /// The official SDK's variable name (`CLOUDFLARE_API_TOKEN`).
  public let name: String
  public let kind: Kind

  public init(_ name: String, _ kind: Kind = .text) {
    self.name = name
    self.kind = kind
  }

  public static func secret(_ name: String) -> Setting { Setting(name, .secret) }
  public static func baseURL(_ name: String, default url: String) -> Setting {
    Setting(name, .baseURL(default: url))
  }
  public static func choice(_ name: String, _ words: [String]) -> Setting {
    Setting(name, .choice(words))
  }

  public var isSecret: Bool { kind == .secret }
}

/// A filter the provider's server applies besides the search text: a `list` option
/// (`--product-group G`), a field of the TUI's filter dialog, and a request parameter.
/// Its value travels in `Query.filters` under `name`.
public struct FilterSpec: Sendable {
  public enum Kind: Sendable, Hashable {
    /// A text value (`--parent-id ID`).
    case text(valueName: String)
    /// On or off (`--with-contact-info`); on is the value `"true"`.
    case flag
  }

  /// The option's name without dashes, and the key in `Query.filters`.
  public let name: String
  public let kind: Kind
  /// The request parameter (`RoleProductGroup`).
  public let parameter: String
  /// The filter dialog's label.
  public let label: String
  /// One line for `list --help`.
  public let help: String
  /// How a snapshot answers the filter offline, as the server would: whether a record with
  /// these fields is kept for the value. nil: a snapshot cannot tell (it is refused).
  public let offline: (@Sendable (JSONObject, String) -> Bool)?

  public init(
    _ name: String, _ kind: Kind, parameter: String, label: String, help: String,
    offline: (@Sendable (JSONObject, String) -> Bool)?
  ) {
    self.name = name
    self.kind = kind
    self.parameter = parameter
    self.label = label
    self.help = help
    self.offline = offline
  }

  public var isFlag: Bool { kind == .flag }

  /// The request parameters for the filters of `query` that are set, in `filters` order.
  static func queryItems(_ filters: [FilterSpec], _ query: Query) -> [QueryItem] {
    filters.compactMap { filter in
      guard let value = query.filters[filter.name], !value.isEmpty else { return nil }
      if filter.isFlag { return value == "true" ? QueryItem(filter.parameter, "true") : nil }
      return QueryItem(filter.parameter, value)
    }
  }
}

/// One provider described once, as data next to its code: what the configuration, the TUI,
/// the command line, `--demo`, snapshots and the bench need to know of it. None of them
/// switches over sources; they read `ProviderRegistry`.
public struct ProviderDescriptor: Sendable {
  public let id: SourceID
  /// The tab title (`Cloudflare accounts`).
  public let title: String
  /// The tab title when the tab bar is narrow (`Cloudflare`).
  public let shortTitle: String
  /// The provider's name in messages (`Cloudflare`).
  public let providerName: String
  /// Every variable the source reads.
  public let settings: [Setting]
  /// The server-side filters, in the order `--help` and the filter dialog list them.
  public let filters: [FilterSpec]
  /// The query a snapshot lists the source with (Huawei's largest page, say).
  public let snapshotQuery: Query
  /// The provider with the parts that only go into requests (organization ids) left empty:
  /// columns, cells and details for offline records.
  public let offlineProvider: @Sendable () -> any Provider
  /// The ready client from a configuration; throws `OrgScopeError.missingCredentials`
  /// naming what to set.
  let connect: @Sendable (ProviderContext) throws -> SourceClient

  init(
    id: SourceID, title: String, shortTitle: String, providerName: String, settings: [Setting],
    filters: [FilterSpec] = [], snapshotQuery: Query = Query(),
    offlineProvider: @escaping @Sendable () -> any Provider,
    connect: @escaping @Sendable (ProviderContext) throws -> SourceClient
  ) {
    self.id = id
    self.title = title
    self.shortTitle = shortTitle
    self.providerName = providerName
    self.settings = settings
    self.filters = filters
    self.snapshotQuery = snapshotQuery
    self.offlineProvider = offlineProvider
    self.connect = connect
  }

  public var columns: [ColumnSpec] { offlineProvider().columns }
  public var capabilities: SourceCapabilities { offlineProvider().capabilities }

  public func filter(named name: String) -> FilterSpec? { filters.first { $0.name == name } }
}

/// What a descriptor builds its client from: the configuration, the one transport, and
/// authenticators shared by sources of one provider (both Twilio tabs use one token).
public final class ProviderContext {
  public let configuration: Configuration
  public let transport: any HTTPTransport
  public let redactor: Redactor?
  private var shared: [String: Result<(any Authenticator)?, Error>] = [:]

  init(configuration: Configuration, transport: any HTTPTransport, redactor: Redactor?) {
    self.configuration = configuration
    self.transport = transport
    self.redactor = redactor
  }

  public subscript(key: String) -> String? { configuration[key] }

  /// The value of `key`, or a missing-credentials error for `source` that says `hint`.
  func require(_ key: String, for source: SourceID, hint: String? = nil) throws -> String {
    guard let value = configuration[key] else {
      throw OrgScopeError.missingCredentials(source: source, hint: hint ?? key)
    }
    return value
  }

  /// The base URL a `.baseURL` setting names: its variable, or the real API's address.
  func baseURL(_ setting: Setting, for source: SourceID) throws -> BaseURL {
    guard case .baseURL(let url) = setting.kind else {
      preconditionFailure("\(setting.name) is not a base URL setting")
    }
    return try BaseURL.parse(configuration[setting.name] ?? url, source: source)
  }

  /// One authenticator per `key` for every source that asks (its error too).
  func sharedAuthenticator(
    _ key: String, _ make: () throws -> (any Authenticator)?
  ) throws -> (any Authenticator)? {
    if let made = shared[key] { return try made.get() }
    let made = Result { try make() }
    shared[key] = made
    return try made.get()
  }

  /// The client of a source, with the context's transport.
  func client(_ provider: any Provider, base: BaseURL, auth: any Authenticator) -> SourceClient {
    SourceClient(provider: provider, base: base, auth: auth, transport: transport)
  }
}
