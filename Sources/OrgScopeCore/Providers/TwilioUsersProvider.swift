/// `twilio-users`: the organization's people, `GET {preview-iam}/Organizations/{OrganizationSid}/scim/Users`
/// (one SCIM ListResponse, no paging parameters: `totalResults` says how many there are),
/// and, per user, their role assignments,
/// `GET {preview-iam}/Organizations/{OrganizationSid}/RoleAssignments?Identity=US…`
/// (`TwilioRoleAssignmentsProvider`). Same token and base URL as the accounts tab.
extension SourceID {
  public static let twilioUsers = SourceID(declaring: "twilio-users")
}

public struct TwilioUsersProvider: Provider {
  public let organizationSID: String

  public init(organizationSID: String) {
    self.organizationSID = organizationSID
  }

  public var source: SourceID { .twilioUsers }

  /// This source (for the commands that ask about people).
  public static let sourceID = SourceID.twilioUsers

  /// The source whose records name the accounts that assignments are scoped to.
  public static let accountsSource = SourceID.twilioAccounts

  static let descriptor = ProviderDescriptor(
    id: .twilioUsers, title: "Twilio users", shortTitle: "Twilio users",
    providerName: "Twilio",
    settings: TwilioAuth.settings + [
      Setting("TWILIO_ORGANIZATION_SID"),
      TwilioAccountsProvider.baseURL,
    ],
    offlineProvider: { TwilioUsersProvider(organizationSID: "") },
    connect: { context in
      guard let auth = try TwilioAuth.authenticator(context, for: .twilioUsers) else {
        throw OrgScopeError.missingCredentials(
          source: .twilioUsers, hint: TwilioAuth.hint + " and TWILIO_ORGANIZATION_SID")
      }
      let organization = try context.require("TWILIO_ORGANIZATION_SID", for: .twilioUsers)
      let base = try context.baseURL(TwilioAccountsProvider.baseURL, for: .twilioUsers)
      return context.client(
        TwilioUsersProvider(organizationSID: organization), base: base, auth: auth)
    })

  public var columns: [ColumnSpec] {
    [
      ColumnSpec("Name", width: 22, flexible: true), ColumnSpec("User name", width: 28),
      ColumnSpec("SID", width: 34, identifier: true), ColumnSpec("Active", width: 8, status: true),
    ]
  }

  public var capabilities: SourceCapabilities { SourceCapabilities() }

  public func request(base: BaseURL, query: Query, cursor: PageCursor?) throws -> HTTPRequestSpec {
    if case .url(let next) = cursor { return RequestBuilder.get(url: next) }
    let path = "/Organizations/\(RequestBuilder.pathSegment(organizationSID))/scim/Users"
    return RequestBuilder.get(
      base: base, path: path, headers: [Header("Accept", "application/scim+json")])
  }

  /// `Resources` (absent when there are none, as SCIM allows) and `totalResults`, which
  /// may exceed what came: the count stays honest (`Page.total`).
  public func decodePage(_ response: PageResponse, query: Query, cursor: PageCursor?) throws
    -> Page
  {
    let page = try PageReader.object(response.body)
    let values = page["Resources"] == nil ? [] : try PageReader.array(page, "Resources")
    let records = try PageReader.records(
      values, list: "Resources", idKey: "id", name: Self.name(of:), aliases: Self.aliases(of:))
    let total = PageReader.scalarText(page["totalResults"]).flatMap { Int($0) }
    return Page(records: records, next: nil, total: total.map { max($0, records.count) })
  }

  public func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage? {
    .end
  }

  /// The display name, else the user name.
  static func name(of fields: JSONObject) -> String {
    if let display = PageReader.nonEmptyString(fields["displayName"]) { return display }
    return PageReader.scalarText(fields["userName"]) ?? ""
  }

  /// The user name and every e-mail address: what the local search also finds a user by.
  static func aliases(of fields: JSONObject) -> [String] {
    var aliases: [String] = []
    if let user = PageReader.scalarText(fields["userName"]) { aliases.append(user) }
    for email in fields["emails"]?.array ?? [] {
      if let value = email.object?["value"]?.string, !aliases.contains(value) {
        aliases.append(value)
      }
    }
    return aliases
  }

  public func cells(of record: Record) -> [String] {
    [
      record.name, PageReader.scalarText(record.fields["userName"]) ?? "", record.id,
      record.fields["active"]?.bool == false ? "inactive" : "active",
    ]
  }

  /// `ScimError` (`{schemas, detail, status, scimType, code, moreInfo}`) or Twilio's own.
  public func decodeError(status: Int, headers: [Header], body: [UInt8]) -> APIError {
    var error = TwilioWire.decodeError(source: source, status: status, headers: headers, body: body)
    if error.code == nil, let object = ErrorBody.object(body) {
      error.code = PageReader.scalarText(object["scimType"])
    }
    return error
  }

  public func details(of record: Record) -> [DetailSection] {
    [DetailSection(title: "User", lines: DetailBuilder.fieldLines(record.fields))]
  }
}

/// One user's role assignments (`Identity`), or one scope's (`Scope`): `{content: [{sid,
/// role_sid, scope, identity}], meta}`, paged like the accounts list. Not a tab of its own:
/// the people audit pages it per user through the one engine, and its errors are the users
/// source's.
public struct TwilioRoleAssignmentsProvider: Provider {
  public let organizationSID: String

  /// The `Query.filters` keys: a user `US…`, a scope `OR…` or `AC…`.
  public static let identityFilter = "identity"
  public static let scopeFilter = "scope"

  public init(organizationSID: String) {
    self.organizationSID = organizationSID
  }

  public var source: SourceID { .twilioUsers }

  public var columns: [ColumnSpec] {
    [
      ColumnSpec("Role", width: 34, flexible: true), ColumnSpec("SID", width: 34, identifier: true),
      ColumnSpec("Scope", width: 34), ColumnSpec("Identity", width: 34),
    ]
  }

  public var capabilities: SourceCapabilities { SourceCapabilities() }

  /// `PageSize` is 1–100.
  static func pageSize(_ query: Query) -> Int { min(max(query.pageSize ?? 100, 1), 100) }

  public func request(base: BaseURL, query: Query, cursor: PageCursor?) throws -> HTTPRequestSpec {
    if case .url(let next) = cursor { return RequestBuilder.get(url: next) }
    var items: [QueryItem] = []
    if let identity = query.filters[Self.identityFilter], !identity.isEmpty {
      items.append(QueryItem("Identity", identity))
    }
    if let scope = query.filters[Self.scopeFilter], !scope.isEmpty {
      items.append(QueryItem("Scope", scope))
    }
    // Twilio refuses a listing without either (error 25203): say so before asking.
    guard !items.isEmpty else {
      throw OrgScopeError.usage("listing role assignments needs a user or a scope")
    }
    items.append(QueryItem("PageSize", String(Self.pageSize(query))))
    if case .token(let token) = cursor { items.append(QueryItem("PageToken", token)) }
    let path = "/Organizations/\(RequestBuilder.pathSegment(organizationSID))/RoleAssignments"
    return RequestBuilder.get(base: base, path: path, query: items)
  }

  public func decodePage(_ response: PageResponse, query: Query, cursor: PageCursor?) throws
    -> Page
  {
    let page = try PageReader.object(response.body)
    let (list, values) = try TwilioWire.records(page, key: "content")
    let records = try PageReader.records(values, list: list, idKey: "sid") {
      PageReader.scalarText($0["role_sid"]) ?? ""
    }
    return Page(records: records, next: TwilioWire.nextCursor(page))
  }

  public func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage? {
    TwilioWire.peekNext(response.body)
  }

  public func cells(of record: Record) -> [String] {
    [
      record.name, record.id, PageReader.scalarText(record.fields["scope"]) ?? "",
      PageReader.scalarText(record.fields["identity"]) ?? "",
    ]
  }

  public func decodeError(status: Int, headers: [Header], body: [UInt8]) -> APIError {
    TwilioWire.decodeError(source: source, status: status, headers: headers, body: body)
  }

  public func details(of record: Record) -> [DetailSection] {
    [DetailSection(title: "Role assignment", lines: DetailBuilder.fieldLines(record.fields))]
  }

  /// The assignments client beside a users client: the same base, token and transport.
  public static func client(beside users: SourceClient) -> SourceClient? {
    guard let provider = users.provider as? TwilioUsersProvider else { return nil }
    return SourceClient(
      provider: TwilioRoleAssignmentsProvider(organizationSID: provider.organizationSID),
      base: users.base, auth: users.auth, transport: users.transport)
  }
}
