/// `cloudflare`: `GET {base}/organizations/{organization_id}/accounts` (the base URL
/// includes `/client/v4`). Search and sort run on the server; filters are resent with every
/// `page_token`, as the API requires.
extension SourceID {
  public static let cloudflare = SourceID(declaring: "cloudflare")
}

public struct CloudflareProvider: Provider {
  public let organizationID: String

  public init(organizationID: String) {
    self.organizationID = organizationID
  }

  public var source: SourceID { .cloudflare }

  /// The API's base URL variable, and the real one.
  static let baseURL = Setting.baseURL(
    "CLOUDFLARE_BASE_URL", default: "https://api.cloudflare.com/client/v4")

  static let descriptor = ProviderDescriptor(
    id: .cloudflare, title: "Cloudflare accounts", shortTitle: "Cloudflare",
    providerName: "Cloudflare",
    settings: [
      .secret("CLOUDFLARE_API_TOKEN"), Setting("CLOUDFLARE_EMAIL"), .secret("CLOUDFLARE_API_KEY"),
      Setting("CLOUDFLARE_ORGANIZATION_ID"),
      baseURL,
    ],
    offlineProvider: { CloudflareProvider(organizationID: "") },
    connect: { context in
      let auth: StaticHeaderAuthenticator
      if let token = context["CLOUDFLARE_API_TOKEN"] {
        auth = .bearer(token)
      } else if let email = context["CLOUDFLARE_EMAIL"], let key = context["CLOUDFLARE_API_KEY"] {
        auth = StaticHeaderAuthenticator(
          headers: [Header("X-Auth-Email", email), Header("X-Auth-Key", key)], secrets: [key])
      } else {
        throw OrgScopeError.missingCredentials(
          source: .cloudflare,
          hint:
            "CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY) and CLOUDFLARE_ORGANIZATION_ID"
        )
      }
      let organization = try context.require("CLOUDFLARE_ORGANIZATION_ID", for: .cloudflare)
      let base = try context.baseURL(baseURL, for: .cloudflare)
      return context.client(
        CloudflareProvider(organizationID: organization), base: base, auth: auth)
    })

  public var columns: [ColumnSpec] {
    [
      ColumnSpec("Name", width: 24, flexible: true), ColumnSpec("ID", width: 32, identifier: true),
      ColumnSpec("Type", width: 10, status: true), ColumnSpec("Created", width: 16),
    ]
  }

  public var capabilities: SourceCapabilities {
    SourceCapabilities(serverSearch: true, serverMatchModes: Set(MatchMode.allCases), sort: true)
  }

  static func pageSize(_ query: Query) -> Int { min(max(query.pageSize ?? 50, 1), 1000) }

  /// The flat, dotted filter name for a match mode: `name.contains`, `name.endsWith` (not
  /// the deprecated `account_pubname.*`).
  static func filterName(_ query: Query) -> String {
    switch query.match {
    case .contains: return "name.contains"
    case .startsWith: return "name.startsWith"
    case .endsWith: return "name.endsWith"
    }
  }

  public func request(base: BaseURL, query: Query, cursor: PageCursor?) throws -> HTTPRequestSpec {
    if case .url(let next) = cursor { return RequestBuilder.get(url: next) }
    var items: [QueryItem] = []
    if !query.search.isEmpty { items.append(QueryItem(Self.filterName(query), query.search)) }
    if let direction = query.sortByName {
      items.append(QueryItem("order_by", "account_name"))
      items.append(QueryItem("direction", direction.rawValue))
    }
    items.append(QueryItem("page_size", String(Self.pageSize(query))))
    if case .token(let token) = cursor { items.append(QueryItem("page_token", token)) }
    let path = "/organizations/\(RequestBuilder.pathSegment(organizationID))/accounts"
    return RequestBuilder.get(base: base, path: path, query: items)
  }

  public func decodePage(_ response: PageResponse, query: Query, cursor: PageCursor?) throws
    -> Page
  {
    let body = response.body
    let page = try PageReader.object(body)
    if page["success"]?.bool == false {
      throw OrgScopeError.api(decodeError(status: 200, headers: response.headers, body: body))
    }
    let values = try PageReader.array(page, "result")
    let records = try PageReader.records(values, list: "result", idKey: "id") {
      PageReader.scalarText($0["name"]) ?? ""
    }
    let info = page["result_info"]?.object
    return Page(
      records: records, next: Self.next(info?["next_page_token"]), total: info?["total_size"]?.int)
  }

  /// `result_info.next_page_token`: absent, null or empty is the end.
  static func next(_ token: JSONValue?) -> PageCursor? {
    PageReader.nonEmptyString(token).map(PageCursor.token)
  }

  public func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage? {
    let body = response.body
    return JSONSkim.value(at: ["result_info", "next_page_token"], in: body).peeked {
      NextPage(Self.next($0))
    }
  }

  public func cells(of record: Record) -> [String] {
    [
      record.name, record.id, PageReader.scalarText(record.fields["type"]) ?? "",
      PageReader.shortDate(record.fields["created_on"]),
    ]
  }

  /// `{success: false, errors: [{code, message}]}`; several errors are joined.
  public func decodeError(status: Int, headers: [Header], body: [UInt8]) -> APIError {
    let object = ErrorBody.object(body)
    let errors = (object?["errors"]?.array ?? []).compactMap(\.object)
    let messages = errors.compactMap { ErrorBody.firstString($0, "message") }
    guard !messages.isEmpty else {
      return APIError(
        source: source, status: status, code: nil,
        message: ErrorBody.fallbackMessage(status: status, body: body))
    }
    let code = errors.lazy.compactMap { PageReader.scalarText($0["code"]) }.first
    return APIError(
      source: source, status: status, code: code,
      message: Sanitizer.line(messages.joined(separator: "; "), limit: 300))
  }

  public func details(of record: Record) -> [DetailSection] {
    var sections = [
      DetailSection(
        title: "Account",
        lines: DetailBuilder.fieldLines(record.fields, skipping: ["settings", "managed_by"]))
    ]
    sections.append(section("Settings", record.fields["settings"], absent: "not sent"))
    sections.append(
      section("Managed by", record.fields["managed_by"], absent: "no parent organization"))
    return sections
  }

  private func section(_ title: String, _ value: JSONValue?, absent: String) -> DetailSection {
    guard let object = value?.object, object.count > 0 else {
      let text = value?.isNull == true ? "null" : absent
      return DetailSection(title: title, lines: [DetailLine(key: "", value: text, style: .dim)])
    }
    return DetailSection(title: title, lines: DetailBuilder.fieldLines(object))
  }
}
