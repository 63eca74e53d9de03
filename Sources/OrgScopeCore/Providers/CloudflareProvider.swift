/// `cloudflare`: `GET {base}/organizations/{organization_id}/accounts` (the base URL
/// includes `/client/v4`). Search and sort run on the server; filters are resent with every
/// `page_token`, as the API requires.
public struct CloudflareProvider: Provider {
  public let organizationID: String

  public init(organizationID: String) {
    self.organizationID = organizationID
  }

  public var source: SourceID { .cloudflare }

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

  /// The flat, dotted filter name for a match mode: `name.contains`, `account_pubname.endsWith`.
  static func filterName(_ query: Query) -> String {
    let field = query.usePubname ? "account_pubname" : "name"
    switch query.match {
    case .contains: return field + ".contains"
    case .startsWith: return field + ".startsWith"
    case .endsWith: return field + ".endsWith"
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

  public func decodePage(_ body: [UInt8], query: Query, cursor: PageCursor?) throws -> Page {
    let page = try PageReader.object(body)
    if page["success"]?.bool == false {
      throw OrgScopeError.api(decodeError(status: 200, headers: [], body: body))
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

  public func peekNext(_ body: [UInt8], query: Query, cursor: PageCursor?) -> NextPage? {
    JSONSkim.value(at: ["result_info", "next_page_token"], in: body).peeked {
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
