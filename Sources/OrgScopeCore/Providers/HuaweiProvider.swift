/// `huawei`: `GET {endpoint}/v1/organizations/accounts` with `parent_id`,
/// `with_register_contact_info`, `limit` and `marker` = `page_info.next_marker`.
/// Signing is the authenticator's job; this only builds the GET.
extension SourceID {
  public static let huawei = SourceID(declaring: "huawei")
}

public struct HuaweiProvider: Provider {
  public init() {}

  public var source: SourceID { .huawei }

  /// The API's base URL variable, and the real one.
  static let baseURL = Setting.baseURL(
    "ORGSCOPE_HUAWEI_URL", default: "https://organizations.myhuaweicloud.com")

  static let descriptor = ProviderDescriptor(
    id: .huawei, title: "Huawei Cloud accounts", shortTitle: "Huawei",
    providerName: "Huawei Cloud",
    settings: [
      Setting("HUAWEICLOUD_SDK_AK"), .secret("HUAWEICLOUD_SDK_SK"),
      .secret("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
      baseURL,
    ],
    filters: [
      // A snapshot does not record each account's parent.
      FilterSpec(
        "parent-id", .text(valueName: "id"), parameter: "parent_id",
        label: "Parent (root or OU id)", help: "accounts under this root or OU (parent_id)",
        offline: nil),
      FilterSpec(
        contactInfo, .flag, parameter: "with_register_contact_info", label: "Contact info",
        help: "with e-mail and phone (with_register_contact_info; pages of 200)",
        offline: { _, _ in true }),
    ],
    // Its largest page (the contact details, which need pages of 200, are not part of a
    // snapshot).
    snapshotQuery: Query(pageSize: 2000),
    offlineProvider: { HuaweiProvider() },
    connect: { context in
      guard let ak = context["HUAWEICLOUD_SDK_AK"], let sk = context["HUAWEICLOUD_SDK_SK"] else {
        throw OrgScopeError.missingCredentials(
          source: .huawei, hint: "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK")
      }
      let base = try context.baseURL(baseURL, for: .huawei)
      let auth = HuaweiAuthenticator(
        accessKey: ak, secretKey: sk, securityToken: context["HUAWEICLOUD_SDK_SECURITY_TOKEN"])
      return context.client(HuaweiProvider(), base: base, auth: auth)
    })

  static let contactInfo = "with-contact-info"

  public var columns: [ColumnSpec] {
    [
      ColumnSpec("Name", width: 24, flexible: true), ColumnSpec("ID", width: 32, identifier: true),
      ColumnSpec("Status", width: 15, status: true), ColumnSpec("Joined by", width: 9),
      ColumnSpec("Joined", width: 16),
    ]
  }

  public var capabilities: SourceCapabilities {
    SourceCapabilities()
  }

  /// `limit` is 1–2000, but at most 200 when contact info is asked for.
  static func limit(_ query: Query) -> Int {
    let ceiling = query.isOn(contactInfo) ? 200 : 2000
    return min(max(query.pageSize ?? 1000, 1), ceiling)
  }

  /// The contact fields, where Huawei writes the literal `"null,"` for "not set".
  static let contactKeys = ["email", "mobile_phone", "intl_number_prefix"]

  /// A field for display: the literal `"null,"` and JSON null are empty.
  static func displayValue(_ value: JSONValue?) -> String {
    guard let value, let text = PageReader.scalarText(value) else { return "" }
    return text == "null," ? "" : text
  }

  public func request(base: BaseURL, query: Query, cursor: PageCursor?) throws -> HTTPRequestSpec {
    if case .url(let next) = cursor { return RequestBuilder.get(url: next) }
    var items: [QueryItem] = []
    items += FilterSpec.queryItems(Self.descriptor.filters, query)
    items.append(QueryItem("limit", String(Self.limit(query))))
    if case .token(let marker) = cursor { items.append(QueryItem("marker", marker)) }
    return RequestBuilder.get(base: base, path: "/v1/organizations/accounts", query: items)
  }

  public func decodePage(_ response: PageResponse, query: Query, cursor: PageCursor?) throws
    -> Page
  {
    let body = response.body
    let page = try PageReader.object(body)
    let values = try PageReader.array(page, "accounts")
    let records = try PageReader.records(values, list: "accounts", idKey: "id") {
      Self.displayValue($0["name"])
    }
    return Page(records: records, next: Self.next(page[path: "page_info", "next_marker"]))
  }

  /// `page_info.next_marker`: null, absent or empty is the end.
  static func next(_ marker: JSONValue?) -> PageCursor? {
    PageReader.nonEmptyString(marker).map(PageCursor.token)
  }

  public func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage? {
    let body = response.body
    return JSONSkim.value(at: ["page_info", "next_marker"], in: body).peeked {
      NextPage(Self.next($0))
    }
  }

  public func cells(of record: Record) -> [String] {
    let fields = record.fields
    return [
      record.name, record.id, Self.displayValue(fields["status"]).lowercased(),
      Self.displayValue(fields["join_method"]), PageReader.shortDate(fields["joined_at"]),
    ]
  }

  /// `{error_code, error_msg}` (or the gateway's `{error: {code, message}}`); the request id
  /// comes from `X-Request-Id`, or the body's `request_id`.
  public func decodeError(status: Int, headers: [Header], body: [UInt8]) -> APIError {
    let object = ErrorBody.object(body)
    let inner = object?["error"]?.object
    let headerID = headers.first { $0.name.lowercased() == "x-request-id" }?.value
    let requestID =
      headerID.map { Sanitizer.line($0, limit: 80) }
      ?? object.flatMap { ErrorBody.firstString($0, "request_id") }
    if let object, let message = ErrorBody.firstString(object, "error_msg") {
      return APIError(
        source: source, status: status, code: PageReader.scalarText(object["error_code"]),
        message: message, requestID: requestID)
    }
    if let inner, let message = ErrorBody.firstString(inner, "message") {
      return APIError(
        source: source, status: status, code: PageReader.scalarText(inner["code"]),
        message: message, requestID: requestID)
    }
    return APIError(
      source: source, status: status, code: nil,
      message: ErrorBody.fallbackMessage(status: status, body: body), requestID: requestID)
  }

  public func details(of record: Record) -> [DetailSection] {
    var account = DetailBuilder.fieldLines(record.fields, skipping: Set(Self.contactKeys))
    if let index = account.firstIndex(where: { $0.key == "status" }) {
      account[index].value = account[index].value.lowercased()
    }
    let present = Self.contactKeys.filter { record.fields[$0] != nil }
    let contact: [DetailLine] =
      present.isEmpty
      ? [DetailLine(key: "", value: "not loaded (turn on contact info in filters)", style: .dim)]
      : present.map { DetailLine(key: $0, value: Self.displayValue(record.fields[$0])) }
    return [
      DetailSection(title: "Account", lines: account),
      DetailSection(title: "Contact", lines: contact),
    ]
  }
}
