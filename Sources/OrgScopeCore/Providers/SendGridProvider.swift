/// `sendgrid`: `GET {base}/v3/partners/accounts` with `limit`/`offset` paging, where the
/// offset is the previous page's `pages.last`. No server search.
extension SourceID {
  public static let sendgrid = SourceID(declaring: "sendgrid")
}

public struct SendGridProvider: Provider {
  public init() {}

  public var source: SourceID { .sendgrid }

  static let descriptor = ProviderDescriptor(
    id: .sendgrid, title: "SendGrid accounts", shortTitle: "SendGrid", providerName: "SendGrid",
    settings: [
      .secret("SENDGRID_API_KEY"), .choice("SENDGRID_REGION", ["global", "eu"]),
      // The default depends on SENDGRID_REGION (see `connect`).
      .baseURL("ORGSCOPE_SENDGRID_URL", default: "https://api.sendgrid.com"),
    ],
    offlineProvider: { SendGridProvider() },
    connect: { context in
      let key = try context.require("SENDGRID_API_KEY", for: .sendgrid)
      let region = (context["SENDGRID_REGION"] ?? "global").lowercased()
      let host = region == "eu" ? "https://api.eu.sendgrid.com" : "https://api.sendgrid.com"
      let base = try BaseURL.parse(context["ORGSCOPE_SENDGRID_URL"] ?? host, source: .sendgrid)
      return context.client(
        SendGridProvider(), base: base, auth: StaticHeaderAuthenticator.bearer(key))
    })

  public var columns: [ColumnSpec] {
    [
      ColumnSpec("Email", width: 28, flexible: true), ColumnSpec("ID", width: 34, identifier: true),
      ColumnSpec("Created", width: 16), ColumnSpec("Updated", width: 16),
    ]
  }

  public var capabilities: SourceCapabilities { SourceCapabilities() }

  static func limit(_ query: Query) -> Int { min(max(query.pageSize ?? 100, 1), 100) }

  public func request(base: BaseURL, query: Query, cursor: PageCursor?) throws -> HTTPRequestSpec {
    var items = [QueryItem("limit", String(Self.limit(query)))]
    switch cursor {
    case .token(let offset): items.append(QueryItem("offset", offset))
    case .url(let next): return RequestBuilder.get(url: next)
    case nil: break
    }
    return RequestBuilder.get(base: base, path: "/v3/partners/accounts", query: items)
  }

  /// The list ends on a short or empty page, a missing `pages.last`, or a `last` equal to
  /// the offset this page was asked with (a server that would loop).
  public func decodePage(_ response: PageResponse, query: Query, cursor: PageCursor?) throws
    -> Page
  {
    let body = response.body
    let page = try PageReader.object(body)
    let values = try PageReader.array(page, "accounts")
    let records = try PageReader.records(values, list: "accounts", idKey: "id") {
      PageReader.scalarText($0["email"]) ?? ""
    }
    let next = Self.next(
      count: values.count, last: page[path: "pages", "last"], query: query, cursor: cursor)
    return Page(records: records, next: next)
  }

  /// `offset` = `pages.last`, unless the page is short, `last` is missing or it repeats.
  static func next(count: Int, last: JSONValue?, query: Query, cursor: PageCursor?)
    -> PageCursor?
  {
    guard count >= limit(query), let last = PageReader.nonEmptyString(last),
      cursor != .token(last)
    else { return nil }
    return .token(last)
  }

  public func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage? {
    let body = response.body
    guard let count = JSONSkim.count(at: ["accounts"], in: body) else { return nil }
    return JSONSkim.value(at: ["pages", "last"], in: body).peeked {
      NextPage(Self.next(count: count, last: $0, query: query, cursor: cursor))
    }
  }

  public func cells(of record: Record) -> [String] {
    [
      record.name, record.id, PageReader.shortDate(record.fields["created_at"]),
      PageReader.shortDate(record.fields["updated_at"]),
    ]
  }

  /// `{errors: [{message, field, error_id}]}`; the field is named when there is one.
  public func decodeError(status: Int, headers: [Header], body: [UInt8]) -> APIError {
    let object = ErrorBody.object(body)
    let errors = (object?["errors"]?.array ?? []).compactMap(\.object)
    let messages = errors.compactMap { error -> String? in
      guard let message = ErrorBody.firstString(error, "message") else { return nil }
      if let field = ErrorBody.firstString(error, "field") { return "\(field): \(message)" }
      return message
    }
    guard !messages.isEmpty else {
      return APIError(
        source: source, status: status, code: nil,
        message: ErrorBody.fallbackMessage(status: status, body: body))
    }
    let code = errors.lazy.compactMap { PageReader.scalarText($0["error_id"]) }.first
    return APIError(
      source: source, status: status, code: code,
      message: Sanitizer.line(messages.joined(separator: "; "), limit: 300))
  }

  public func details(of record: Record) -> [DetailSection] {
    [DetailSection(title: "Account", lines: DetailBuilder.fieldLines(record.fields))]
  }
}
