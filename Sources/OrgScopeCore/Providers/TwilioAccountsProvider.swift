/// `twilio-accounts`: `GET {preview-iam}/Organizations/{OrganizationSid}/Accounts`.
/// No server search; paging follows `meta.next_page_url` until it is null.
extension SourceID {
  public static let twilioAccounts = SourceID(declaring: "twilio-accounts")
}

public struct TwilioAccountsProvider: Provider {
  public let organizationSID: String

  public init(organizationSID: String) {
    self.organizationSID = organizationSID
  }

  public var source: SourceID { .twilioAccounts }

  /// The API's base URL variable, and the real one.
  static let baseURL = Setting.baseURL(
    "ORGSCOPE_TWILIO_PREVIEW_IAM_URL", default: "https://preview-iam.twilio.com")

  static let descriptor = ProviderDescriptor(
    id: .twilioAccounts, title: "Twilio accounts", shortTitle: "Twilio accts",
    providerName: "Twilio",
    settings: TwilioAuth.settings + [
      Setting("TWILIO_ORGANIZATION_SID"),
      baseURL,
    ],
    offlineProvider: { TwilioAccountsProvider(organizationSID: "") },
    connect: { context in
      guard let auth = try TwilioAuth.authenticator(context, for: .twilioAccounts) else {
        throw OrgScopeError.missingCredentials(
          source: .twilioAccounts, hint: TwilioAuth.hint + " and TWILIO_ORGANIZATION_SID")
      }
      let organization = try context.require("TWILIO_ORGANIZATION_SID", for: .twilioAccounts)
      let base = try context.baseURL(baseURL, for: .twilioAccounts)
      return context.client(
        TwilioAccountsProvider(organizationSID: organization), base: base, auth: auth)
    })

  public var columns: [ColumnSpec] {
    [
      ColumnSpec("Name", width: 24, flexible: true), ColumnSpec("SID", width: 34, identifier: true),
      ColumnSpec("Status", width: 15, status: true), ColumnSpec("Created", width: 16),
    ]
  }

  public var capabilities: SourceCapabilities { SourceCapabilities() }

  /// `PageSize` is 1–100; the largest page means the fewest round trips.
  static func pageSize(_ query: Query) -> Int { min(max(query.pageSize ?? 100, 1), 100) }

  public func request(base: BaseURL, query: Query, cursor: PageCursor?) throws -> HTTPRequestSpec {
    if case .url(let next) = cursor { return RequestBuilder.get(url: next) }
    var items = [QueryItem("PageSize", String(Self.pageSize(query)))]
    if case .token(let token) = cursor { items.append(QueryItem("PageToken", token)) }
    let path = "/Organizations/\(RequestBuilder.pathSegment(organizationSID))/Accounts"
    return RequestBuilder.get(base: base, path: path, query: items)
  }

  public func decodePage(_ response: PageResponse, query: Query, cursor: PageCursor?) throws
    -> Page
  {
    let body = response.body
    let page = try PageReader.object(body)
    let (list, values) = try TwilioWire.records(page, key: "content")
    let records = try PageReader.records(values, list: list, idKey: "account_sid") {
      PageReader.scalarText($0["friendly_name"]) ?? ""
    }
    return Page(records: records, next: TwilioWire.nextCursor(page))
  }

  public func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage? {
    TwilioWire.peekNext(response.body)
  }

  public func cells(of record: Record) -> [String] {
    [
      record.name, record.id, PageReader.scalarText(record.fields["status"]) ?? "",
      PageReader.shortDate(record.fields["date_created"]),
    ]
  }

  public func decodeError(status: Int, headers: [Header], body: [UInt8]) -> APIError {
    TwilioWire.decodeError(source: source, status: status, headers: headers, body: body)
  }

  public func details(of record: Record) -> [DetailSection] {
    [DetailSection(title: "Account", lines: DetailBuilder.fieldLines(record.fields))]
  }
}
