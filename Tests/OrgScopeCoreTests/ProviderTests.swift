import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import OrgScopeCore

/// The example bodies from the provider docs (`shared/seeds`) and specs (`shared/specs`).
enum Examples {
  static let twilioAccounts = #"""
    {
      "content": [
        {
          "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "friendly_name": "string",
          "status": "active",
          "owner_sid": "US9a6d63d00bdbb50aa1c1889b3066bd30",
          "date_created": "2025-05-04T09:42:00Z"
        }
      ],
      "meta": {
        "first_page_url": "https://example.com",
        "key": "string",
        "next_page_url": "https://example.com",
        "page": 42,
        "page_size": 42,
        "previous_page_url": "https://example.com",
        "url": "https://example.com"
      }
    }
    """#

  /// A SCIM ListResponse as the spec's `ScimUserPage` and `ScimUser` describe it.
  static let twilioUsers = #"""
    {
      "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      "totalResults": 1,
      "Resources": [
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
          "id": "USa36de9717566c7eb6363671f54b87ba9",
          "externalId": "ext-1",
          "userName": "ana@example.com",
          "displayName": "Ana Silva",
          "name": {"givenName": "Ana", "familyName": "Silva"},
          "emails": [{"primary": true, "value": "ana@example.com", "type": "work"}],
          "active": true,
          "locale": "en-US",
          "timezone": "Europe/Berlin",
          "meta": {
            "resourceType": "User", "created": "2025-05-04T09:42:00Z",
            "lastModified": "2025-05-04T09:42:00Z", "version": "W/\"1\""
          }
        }
      ]
    }
    """#

  static let twilioError = #"{"code": 42, "message": "string", "moreInfo": "string", "status": 42}"#

  static let twilioRoles = #"""
    {
    "roles": [
    {
    "sid": "IXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "friendly_name": "Example Viewer",
    "external_description": "View-only access to example resources within the organization",
    "product_group": "billing",
    "lowest_level": "ORGANIZATION",
    "role_product_group": {
    "product_group": "billing",
    "friendly_name": "Billing"
    },
    "policy": {
    "allow": [
    "/twilio/billing/billing-profile/read",
    "/twilio/billing/payment-methods/list",
    "/twilio/billing/receipts/list",
    "/twilio/billing/invoice.statements/list"
    ],
    "deny": null,
    "format": 1
    },
    "resource_types": null,
    "date_created": "2025-01-15T10:30:00Z",
    "date_updated": "2025-02-20T14:45:00Z"
    }
    ],
    "meta": {
    "page_size": 50,
    "page": 0,
    "key": "roles",
    "first_page_url": "https://iam.twilio.com/v2/Organizations/Roles?PageSize=50&Page=0",
    "previous_page_url": null,
    "next_page_url": null,
    "url": "https://iam.twilio.com/v2/Organizations/Roles?PageSize=50&Page=0"
    }
    }
    """#

  static let cloudflare = #"""
    { "errors": [], "messages": [ { "code": 1000, "message": "message", "documentation_url": "documentation_url", "source": { "pointer": "pointer" } } ], "result": [ { "id": "id", "created_on": "2019-12-27T18:11:19.117Z", "name": "name", "settings": { "abuse_contact_email": "abuse_contact_email", "access_approval_expiry": "2019-12-27T18:11:19.117Z", "api_access_enabled": true, "default_nameservers": "default_nameservers", "enforce_twofactor": true, "use_account_custom_ns_by_default": true }, "type": "standard" } ], "result_info": { "next_page_token": "next_page_token", "total_size": 0 }, "success": true }
    """#

  static let sendGrid = #"""
    {"accounts":[{"id":"sg2a2bcd3ef4ab5c67d8efab91c01de2fa","email":"test@test.com","created_at":"2006-01-02T15:04:05Z","updated_at":"2009-01-02T15:04:05Z"},{"id":"sg2a2bcd3ef4ab5c67d8efab91c01de2fa","email":"testing@test.com","created_at":"2006-01-02T15:04:05Z","updated_at":"2009-01-02T15:04:05Z"}],"pages":{"last":"sg2a2bcd3ef4ab5c67d8efab91c01de2fa"}}
    """#

  static let sendGridError400 = #"""
    {"errors":[{"message":"Field must be a valid email","field":"email","error_id":"10-40002"},{"message":"Field must be a valid URL","field":"company_website","error_id":"10-40008"}]}
    """#

  static let sendGridError401 = #"""
    {"errors":[{"message":"Failed to authenticate user","field":"","error_id":"10-40100"}]}
    """#

  static let huawei = #"""
    { "accounts" : [ { "id" : "05261f923e80d3890f33c0056e9b3f80", "urn" : "organizations::0a6d25d23900d45c0faac010e0fb4de0:account:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv/05261f923e80d3890f33c0056e9b3f80", "join_method" : "invited", "joined_at" : "2022-08-24T06:41:15Z", "name" : "paas_iam_573331", "status" : "active", "mobile_phone" : "null,", "intl_number_prefix" : "null,", "email" : null } ], "page_info" : { "next_marker" : "ou-taowxgy4xbme6m4x3c2iijbxw7yj8fcw", "current_count" : 100 } }
    """#

  static let html500 = """
    <!DOCTYPE html>
    <html><head><title>500 Internal Server Error</title></head>
    <body><h1>Internal Server Error</h1><p>\(String(repeating: "stack trace line\n", count: 500))</p>
    </body></html>
    """
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func base(_ text: String, _ source: SourceID) throws -> BaseURL {
  try BaseURL.parse(text, source: source)
}

@Suite struct ProviderDecodingTests {
  @Test func twilioAccountsExampleDecodes() throws {
    let provider = TwilioAccountsProvider(organizationSID: "ORa36de9717566c7eb6363671f54b87ba9")
    let page = try provider.decodePage(bytes(Examples.twilioAccounts), query: Query(), cursor: nil)
    let record = try #require(page.records.first)
    #expect(record.id == "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    #expect(record.name == "string")
    #expect(provider.cells(of: record) == ["string", record.id, "active", "2025-05-04 09:42"])
    #expect(
      record.fields.keys == ["account_sid", "friendly_name", "status", "owner_sid", "date_created"])
    #expect(page.next == .url("https://example.com"))
  }

  @Test func twilioRolesExampleDecodesAndEndsOnNullNextPageURL() throws {
    let provider = TwilioRolesProvider()
    let page = try provider.decodePage(bytes(Examples.twilioRoles), query: Query(), cursor: nil)
    let record = try #require(page.records.first)
    #expect(record.id == "IXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    #expect(record.name == "Example Viewer")
    #expect(
      provider.cells(of: record) == ["Example Viewer", record.id, "billing", "ORGANIZATION", "4/0"])
    #expect(page.next == nil)
  }

  @Test func twilioRolesDetailsGroupThePolicyWithDenyStyled() throws {
    var role = try #require(
      try JSONParser.parse(Examples.twilioRoles).object?["roles"]?.array?.first?.object)
    role["policy"] = .object(
      JSONObject([
        "allow": .array([
          .string("/twilio/billing/receipts/list"), .string("/twilio/messaging/services/read"),
        ]),
        "deny": .array([.string("/twilio/billing/payment-methods/delete")]),
      ]))
    let record = Record(id: "IX1", name: "r", fields: role)
    let sections = TwilioRolesProvider().details(of: record)
    #expect(
      sections.map(\.title) == [
        "Role", "Policy", "/twilio/billing/… (1 allow, 1 deny)", "/twilio/messaging/… (1 allow)",
      ])
    let billing = sections[2].lines
    #expect(billing.map(\.style) == [.allow, .deny, .dim])
    #expect(billing[1].value == "/twilio/billing/payment-methods/delete")
    #expect(billing[2].value == "cuts no allow entry")
    let policy = sections[1].lines
    #expect(policy.contains(DetailLine(key: "allow", value: "2 permissions", style: .allow)))
    #expect(policy.contains(DetailLine(key: "deny", value: "1 permission", style: .deny)))
    #expect(policy.contains { $0.key == "lowest_level" && $0.value == "ORGANIZATION" })
    #expect(policy.contains { $0.key == "resource_types" && $0.style == .dim })
    #expect(!sections[0].lines.contains { $0.key.hasPrefix("policy") })
    #expect(sections[0].lines.contains { $0.key == "role_product_group.friendly_name" })
  }

  @Test func twilioRolesDetailsMarkWhatEachDenyCutsFromEachAllow() throws {
    let record = Record(
      id: "IX2", name: "r",
      fields: JSONObject([
        "policy": .object(
          JSONObject([
            "allow": .array([.string("/twilio/billing/*"), .string("/twilio/billing/x/read")]),
            "deny": .array([.string("/twilio/billing/*/read"), .string("/twilio/Billing/X/*")]),
          ]))
      ]))
    let lines = TwilioRolesProvider().details(of: record).flatMap(\.lines)
    let values = lines.filter { $0.key.isEmpty }.map(\.value)
    #expect(
      values == [
        "partly denied by /twilio/billing/*/read, /twilio/Billing/X/*",
        "fully denied by /twilio/billing/*/read, /twilio/Billing/X/*",
        "cuts /twilio/billing/*, /twilio/billing/x/read",
        "cuts /twilio/billing/*, /twilio/billing/x/read",
      ])
  }

  @Test func cloudflareExampleDecodesWithTokenAndTotal() throws {
    let provider = CloudflareProvider(organizationID: "org")
    let page = try provider.decodePage(bytes(Examples.cloudflare), query: Query(), cursor: nil)
    #expect(page.records.map(\.id) == ["id"])
    #expect(provider.cells(of: page.records[0]) == ["name", "id", "standard", "2019-12-27 18:11"])
    #expect(page.next == .token("next_page_token"))
    #expect(page.total == 0)
  }

  @Test func cloudflareNullNameAndSettingsAreTolerated() throws {
    let body = #"""
      {"success":true,"errors":[],"messages":[],"result":[{"id":"a1","name":null,"type":"enterprise",
      "created_on":"2024-01-01T00:00:00Z","settings":{"enforce_twofactor":null,"abuse_contact_email":null},
      "managed_by":{"parent_org_id":"o1","parent_org_name":"Parent"}}],"result_info":{"total_size":1}}
      """#
    let provider = CloudflareProvider(organizationID: "org")
    let page = try provider.decodePage(bytes(body), query: Query(), cursor: nil)
    #expect(page.records[0].name == "")
    #expect(page.next == nil)
    let sections = provider.details(of: page.records[0])
    #expect(sections.map(\.title) == ["Account", "Settings", "Managed by"])
    #expect(
      sections[1].lines.contains(DetailLine(key: "enforce_twofactor", value: "null", style: .dim)))
    #expect(sections[2].lines.contains(DetailLine(key: "parent_org_name", value: "Parent")))
    #expect(!sections[0].lines.contains { $0.key.hasPrefix("settings") })
  }

  @Test func cloudflareSuccessFalseInA200IsAnAPIError() {
    let body =
      #"{"success":false,"errors":[{"code":7003,"message":"Could not route"}],"messages":[]}"#
    #expect(throws: OrgScopeError.self) {
      try CloudflareProvider(organizationID: "o").decodePage(
        bytes(body), query: Query(), cursor: nil)
    }
  }

  @Test func sendGridExampleDecodesWithEmailAsName() throws {
    let page = try SendGridProvider().decodePage(
      bytes(Examples.sendGrid), query: Query(pageSize: 2), cursor: nil)
    #expect(page.records.map(\.name) == ["test@test.com", "testing@test.com"])
    #expect(SendGridProvider().cells(of: page.records[0])[2] == "2006-01-02 15:04")
    #expect(page.next == .token("sg2a2bcd3ef4ab5c67d8efab91c01de2fa"))
  }

  @Test func sendGridAccountWithOnlyRequiredFieldsDecodes() throws {
    let body = #"{"accounts":[{"id":"sg1","created_at":"2020-01-01T00:00:00Z"}],"pages":{}}"#
    let page = try SendGridProvider().decodePage(bytes(body), query: Query(), cursor: nil)
    #expect(page.records[0].name == "")
    #expect(page.records[0].id == "sg1")
  }

  @Test func huaweiExampleDecodesWithNullCommaAsEmpty() throws {
    let provider = HuaweiProvider()
    let page = try provider.decodePage(bytes(Examples.huawei), query: Query(), cursor: nil)
    let record = try #require(page.records.first)
    #expect(record.name == "paas_iam_573331")
    #expect(
      provider.cells(of: record) == [
        "paas_iam_573331", record.id, "active", "invited", "2022-08-24 06:41",
      ])
    #expect(page.next == .token("ou-taowxgy4xbme6m4x3c2iijbxw7yj8fcw"))
    // The record keeps what was sent; only the display treats "null," as empty.
    #expect(record.fields["mobile_phone"] == .string("null,"))
    let contact = try #require(provider.details(of: record).last)
    #expect(contact.title == "Contact")
    #expect(contact.lines.map(\.value) == ["", "", ""])
  }

  @Test func huaweiStatusCaseIsNormalisedForDisplayOnly() throws {
    let body =
      #"{"accounts":[{"id":"a","name":"n","status":"ACTIVE"}],"page_info":{"next_marker":null}}"#
    let page = try HuaweiProvider().decodePage(bytes(body), query: Query(), cursor: nil)
    #expect(HuaweiProvider().cells(of: page.records[0])[2] == "active")
    #expect(page.records[0].fields["status"] == .string("ACTIVE"))
    #expect(page.next == nil)
  }

  @Test(arguments: [
    #"{"content": 5}"#, #"{"meta": {}}"#, "[1, 2]", #"{"content": [5]}"#,
    #"{"content": [{"friendly_name": "no sid"}]}"#,
  ])
  func wrongPageShapeIsATypedError(body: String) {
    #expect(throws: PageDecodeError.self) {
      try TwilioAccountsProvider(organizationSID: "OR1").decodePage(
        bytes(body), query: Query(), cursor: nil)
    }
  }

  @Test func missingListNamesTheKey() {
    do {
      _ = try HuaweiProvider().decodePage(bytes(#"{"page_info":{}}"#), query: Query(), cursor: nil)
      Issue.record("expected an error")
    } catch {
      #expect("\(error)" == #""accounts" is missing"#)
    }
  }

  @Test func truncatedPageIsAParseError() {
    let truncated = bytes(String(Examples.cloudflare.prefix(200)))
    #expect(throws: JSONParseError.self) {
      try CloudflareProvider(organizationID: "o").decodePage(truncated, query: Query(), cursor: nil)
    }
  }

  @Test func everyFieldAppearsInTheDetails() throws {
    let page = try TwilioAccountsProvider(organizationSID: "OR1").decodePage(
      bytes(Examples.twilioAccounts), query: Query(), cursor: nil)
    let lines = TwilioAccountsProvider(organizationSID: "OR1").details(of: page.records[0])
      .flatMap(\.lines)
    #expect(
      lines.map(\.key) == ["account_sid", "friendly_name", "status", "owner_sid", "date_created"])
  }
}

@Suite struct EndOfListTests {
  func sendGridPage(_ count: Int, last: String?) -> [UInt8] {
    let accounts = (0..<count).map { #"{"id":"sg\#($0)","created_at":"2020-01-01T00:00:00Z"}"# }
    let pages = last.map { #"{"last":"\#($0)"}"# } ?? "{}"
    return bytes(#"{"accounts":[\#(accounts.joined(separator: ","))],"pages":\#(pages)}"#)
  }

  @Test func sendGridFullPageContinuesFromLast() throws {
    let page = try SendGridProvider().decodePage(
      sendGridPage(3, last: "sg2"), query: Query(pageSize: 3), cursor: nil)
    #expect(page.next == .token("sg2"))
  }

  @Test func sendGridShortPageEnds() throws {
    let page = try SendGridProvider().decodePage(
      sendGridPage(2, last: "sg1"), query: Query(pageSize: 3), cursor: nil)
    #expect(page.next == nil)
  }

  @Test func sendGridEmptyPageEnds() throws {
    let page = try SendGridProvider().decodePage(
      sendGridPage(0, last: "sg1"), query: Query(), cursor: .token("sg1"))
    #expect(page.next == nil)
  }

  @Test func sendGridMissingLastEnds() throws {
    let page = try SendGridProvider().decodePage(
      sendGridPage(3, last: nil), query: Query(pageSize: 3), cursor: nil)
    #expect(page.next == nil)
  }

  @Test func sendGridRepeatedLastEnds() throws {
    let page = try SendGridProvider().decodePage(
      sendGridPage(3, last: "sg2"), query: Query(pageSize: 3), cursor: .token("sg2"))
    #expect(page.next == nil)
  }

  @Test(arguments: [#""next_marker":null"#, #""next_marker":"""#, #""current_count":1"#])
  func huaweiNullEmptyOrAbsentMarkerEnds(pageInfo: String) throws {
    let body = #"{"accounts":[{"id":"a","name":"n"}],"page_info":{\#(pageInfo)}}"#
    let page = try HuaweiProvider().decodePage(bytes(body), query: Query(), cursor: nil)
    #expect(page.next == nil)
  }

  @Test(arguments: [
    "", #","result_info":{"total_size":3}"#, #","result_info":{"next_page_token":""}"#,
  ])
  func cloudflareAbsentOrEmptyTokenEnds(info: String) throws {
    let body =
      #"{"success":true,"errors":[],"messages":[],"result":[{"id":"a","name":"n"}]\#(info)}"#
    let page = try CloudflareProvider(organizationID: "o").decodePage(
      bytes(body), query: Query(), cursor: nil)
    #expect(page.next == nil)
  }

  @Test func twilioNullNextPageURLEnds() throws {
    let body = #"{"content":[],"meta":{"next_page_url":null,"key":"content"}}"#
    let page = try TwilioAccountsProvider(organizationSID: "OR1").decodePage(
      bytes(body), query: Query(), cursor: nil)
    #expect(page.next == nil)
  }

  @Test func twilioRolesTokenOnlyMetaPagesByPageToken() throws {
    let body = #"{"roles":[],"meta":{"next_page_token":"tok 1"}}"#
    let page = try TwilioRolesProvider().decodePage(bytes(body), query: Query(), cursor: nil)
    #expect(page.next == .token("tok 1"))
    let relative =
      #"{"roles":[],"meta":{"next_page_url":"/v2/Organizations/Roles?PageSize=50&PageToken=PT%2B1"}}"#
    let next = try TwilioRolesProvider().decodePage(bytes(relative), query: Query(), cursor: nil)
    #expect(next.next == .token("PT+1"))
  }
}

@Suite struct QueryEncodingTests {
  let cloudflareBase: BaseURL
  init() throws { cloudflareBase = try base("https://api.cloudflare.com/client/v4", .cloudflare) }

  @Test func searchingCloudflareSendsNameContains() throws {
    let request = try CloudflareProvider(organizationID: "a1b2").request(
      base: cloudflareBase, query: Query(search: "acme corp"), cursor: nil)
    #expect(request.method == .get)
    #expect(
      request.url
        == "https://api.cloudflare.com/client/v4/organizations/a1b2/accounts?name.contains=acme%20corp&page_size=50"
    )
  }

  @Test func cloudflareMatchModesAndSortAreResentWithTheToken() throws {
    let query = Query(search: "Ä&=", match: .endsWith, sortByName: .desc)
    let request = try CloudflareProvider(organizationID: "org").request(
      base: cloudflareBase, query: query, cursor: .token("t/+="))
    #expect(
      request.url
        == "https://api.cloudflare.com/client/v4/organizations/org/accounts?name.endsWith=%C3%84%26%3D&order_by=account_name&direction=desc&page_size=50&page_token=t%2F%2B%3D"
    )
    let starts = try CloudflareProvider(organizationID: "org").request(
      base: cloudflareBase, query: Query(search: "x", match: .startsWith), cursor: nil)
    #expect(starts.url.contains("?name.startsWith=x&"))
  }

  @Test func twilioAccountsPathAndPageSize() throws {
    let provider = TwilioAccountsProvider(organizationSID: "ORa36de9717566c7eb6363671f54b87ba9")
    let preview = try base("https://preview-iam.twilio.com", .twilioAccounts)
    let first = try provider.request(base: preview, query: Query(), cursor: nil)
    #expect(
      first.url
        == "https://preview-iam.twilio.com/Organizations/ORa36de9717566c7eb6363671f54b87ba9/Accounts?PageSize=100"
    )
    let small = try provider.request(base: preview, query: Query(pageSize: 500), cursor: nil)
    #expect(small.url.hasSuffix("PageSize=100"))
    let next = try provider.request(
      base: preview, query: Query(), cursor: .url("https://preview-iam.twilio.com/x?PageToken=a"))
    #expect(next.url == "https://preview-iam.twilio.com/x?PageToken=a")
  }

  @Test func twilioRolesSendsEveryServerFilter() throws {
    let iam = try base("https://iam.twilio.com", .twilioRoles)
    let query = Query(
      search: "bill ing", filters: ["product-group": "billing", "resource-types": "a,b"])
    let request = try TwilioRolesProvider().request(base: iam, query: query, cursor: .token("PT1"))
    #expect(
      request.url
        == "https://iam.twilio.com/v2/Organizations/Roles?Search=bill%20ing&RoleProductGroup=billing&ResourceTypes=a%2Cb&Expand=true&PageSize=200&PageToken=PT1"
    )
  }

  @Test func twilioRolesAlwaysAsksForThePolicy() throws {
    let iam = try base("https://iam.twilio.com", .twilioRoles)
    let request = try TwilioRolesProvider().request(base: iam, query: Query(), cursor: nil)
    #expect(request.url == "https://iam.twilio.com/v2/Organizations/Roles?Expand=true&PageSize=200")
  }

  @Test func sendGridLimitAndOffset() throws {
    let eu = try base("https://api.eu.sendgrid.com", .sendgrid)
    let request = try SendGridProvider().request(base: eu, query: Query(), cursor: .token("sg9"))
    #expect(request.url == "https://api.eu.sendgrid.com/v3/partners/accounts?limit=100&offset=sg9")
  }

  @Test func huaweiLimitIsCappedWithContactInfo() throws {
    let endpoint = try base("http://127.0.0.1:8080/prefix/", .huawei)
    let plain = try HuaweiProvider().request(base: endpoint, query: Query(), cursor: nil)
    #expect(plain.url == "http://127.0.0.1:8080/prefix/v1/organizations/accounts?limit=1000")
    let query = Query(filters: ["parent-id": "ou-abc12345", "with-contact-info": "true"])
    let request = try HuaweiProvider().request(base: endpoint, query: query, cursor: .token("m1"))
    #expect(
      request.url
        == "http://127.0.0.1:8080/prefix/v1/organizations/accounts?parent_id=ou-abc12345&with_register_contact_info=true&limit=200&marker=m1"
    )
  }

  @Test func pathSegmentsCannotEscapeThePath() throws {
    let request = try CloudflareProvider(organizationID: "../x?y=1").request(
      base: cloudflareBase, query: Query(), cursor: nil)
    #expect(
      request.url.hasPrefix(
        "https://api.cloudflare.com/client/v4/organizations/..%2Fx%3Fy%3D1/accounts?"))
  }

  @Test func encodingKeepsOnlyUnreservedCharacters() {
    #expect(
      PercentEncoding.encode("aZ09-._~ /?#&=+%東") == "aZ09-._~%20%2F%3F%23%26%3D%2B%25%E6%9D%B1")
  }
}

@Suite struct ErrorDecodingTests {
  @Test func twilioErrorAcceptsBothMoreInfoSpellings() {
    let provider = TwilioAccountsProvider(organizationSID: "OR1")
    let spec = provider.decodeError(status: 403, headers: [], body: bytes(Examples.twilioError))
    #expect(spec.code == "42")
    #expect(spec.message == "string")
    let snake =
      #"{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#
    let error = provider.decodeError(status: 404, headers: [], body: bytes(snake))
    #expect(
      error.description == "Twilio: HTTP 404 (code 20404): The requested resource was not found")
  }

  @Test func cloudflareErrorsAreJoined() {
    let body =
      #"{"success":false,"errors":[{"code":10000,"message":"Authentication error"},{"code":9109,"message":"Invalid access token"}],"messages":[],"result":null}"#
    let error = CloudflareProvider(organizationID: "o").decodeError(
      status: 403, headers: [], body: bytes(body))
    #expect(error.code == "10000")
    #expect(error.message == "Authentication error; Invalid access token")
  }

  @Test func sendGridErrorsNameTheirField() {
    let error = SendGridProvider().decodeError(
      status: 400, headers: [], body: bytes(Examples.sendGridError400))
    #expect(error.code == "10-40002")
    #expect(
      error.message
        == "email: Field must be a valid email; company_website: Field must be a valid URL")
    let auth = SendGridProvider().decodeError(
      status: 401, headers: [], body: bytes(Examples.sendGridError401))
    #expect(auth.description == "SendGrid: HTTP 401 (code 10-40100): Failed to authenticate user")
  }

  @Test func huaweiErrorCarriesTheRequestIDHeader() {
    let body =
      #"{"error_code":"Organizations.1001","error_msg":"The organization does not exist."}"#
    let error = HuaweiProvider().decodeError(
      status: 404, headers: [Header("X-Request-Id", "req-123")], body: bytes(body))
    #expect(
      error.description
        == "Huawei Cloud: HTTP 404 (code Organizations.1001): The organization does not exist. [request req-123]"
    )
    let gateway =
      #"{"error":{"code":"APIGW.0301","message":"Incorrect IAM authentication information"},"request_id":"r9"}"#
    let signed = HuaweiProvider().decodeError(status: 401, headers: [], body: bytes(gateway))
    #expect(signed.code == "APIGW.0301")
    #expect(signed.requestID == "r9")
  }

  /// Every registered provider (as it shows offline records: errors do not need its ids).
  static let providers: [any Provider] = ProviderRegistry.all.map { $0.offlineProvider() }

  @Test(arguments: providers.map(\.source))
  func htmlErrorPageBecomesItsTitle(source: SourceID) throws {
    let provider = try #require(Self.providers.first { $0.source == source })
    let error = provider.decodeError(status: 500, headers: [], body: bytes(Examples.html500))
    #expect(error.message == "Internal Server Error (HTML page: 500 Internal Server Error)")
    #expect(error.source == source)
    #expect(error.status == 500)
  }

  @Test(arguments: providers.map(\.source))
  func emptyBodyBecomesTheReasonPhrase(source: SourceID) throws {
    let provider = try #require(Self.providers.first { $0.source == source })
    #expect(
      provider.decodeError(status: 503, headers: [], body: []).message == "Service Unavailable")
  }

  @Test(arguments: providers.map(\.source))
  func truncatedErrorBodyIsAShortExcerpt(source: SourceID) throws {
    let provider = try #require(Self.providers.first { $0.source == source })
    let body = bytes(
      #"{"errors":[{"message":"Something went wrong and "# + String(repeating: "x", count: 5000))
    let error = provider.decodeError(status: 502, headers: [], body: body)
    #expect(error.message.hasPrefix("Bad Gateway (invalid JSON body: {\"errors\""))
    #expect(error.message.count < 140)
  }

  @Test func controlCharactersInMessagesAreRemoved() {
    let body = #"{"code":1,"message":"bad\u001b]0;pwned\u0007 thing\u001b[2J\n\u202Eend"}"#
    let error = TwilioRolesProvider().decodeError(status: 400, headers: [], body: bytes(body))
    #expect(error.message == "bad thing end")
  }
}

// MARK: - hardening: hostile input, each test named after what the trial did

/// Issue 15, findings 1 to 3 and 9: credentials that never leak.
@Suite struct HardeningSecretsTests {
  // MARK: 1. Credentials: trimmed, header-safe, never in an error

  @Test func credentialsAreTrimmedOfSurroundingWhitespaceFromEnvironmentAndFile() throws {
    let configuration = try Configuration.load(
      environment: ["CLOUDFLARE_API_TOKEN": "  tok-abcdefgh\r\n", "SENDGRID_REGION": " eu\t"],
      readFile: false)
    #expect(configuration["CLOUDFLARE_API_TOKEN"] == "tok-abcdefgh")
    #expect(configuration["SENDGRID_REGION"] == "eu")

    let path = try Scratch.configFile("[default]\nSENDGRID_API_KEY = \" SG.key-value\\r\\n\"\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fromFile = try Configuration.load(environment: [:], configPath: path)
    #expect(fromFile["SENDGRID_API_KEY"] == "SG.key-value")
  }

  @Test(arguments: ["tok\rsecretpart1", "tok\nsecretpart1", "tok\u{0}secretpart1", "tok\u{85}x"])
  func aControlCharacterInsideACredentialIsOneLineNamingTheVariableOnly(value: String) throws {
    do {
      _ = try Configuration.load(environment: ["CLOUDFLARE_API_TOKEN": value], readFile: false)
      Issue.record("accepted a credential with a control character")
    } catch let error as OrgScopeError {
      let text = error.description
      #expect(error.exitCode == 2)
      #expect(text.contains("CLOUDFLARE_API_TOKEN"))
      #expect(!text.contains("tok"), "\(text)")
      #expect(!text.contains("secretpart1"))
      #expect(!text.contains("\n"))
    }
  }

  @Test func aControlCharacterInAConfigValueNamesFileLineAndKeyButNotTheValue() throws {
    let path = try Scratch.configFile("[default]\n\nCLOUDFLARE_API_TOKEN = \"abc\\rdefsecret\"\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
      _ = try Configuration.load(environment: [:], configPath: path)
      Issue.record("accepted a config value with a CR inside")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("\(path):3"))
      #expect(error.description.contains("CLOUDFLARE_API_TOKEN"))
      #expect(!error.description.contains("defsecret"))
    }
  }

  /// The trial's reproduction: a token with a CR inside reaches the transport (here
  /// directly; the configuration refuses it earlier). AsyncHTTPClient's own error would
  /// print the whole header.
  @Test func aHeaderValueIsNeverPartOfAnErrorText() async throws {
    try await HostileServer.run(
      answer: { _, _, _ in HostileServer.json(.ok, "{}") },
      test: {
        base, transport, hits in
        let request = HTTPRequestSpec(
          url: base + "/x", headers: [Header("Authorization", "Bearer leakedtoken123\r")])
        do {
          _ = try await transport.send(request, source: .cloudflare)
          Issue.record("sent a header with a CR")
        } catch let error as OrgScopeError {
          #expect(error.description.contains("Authorization"))
          #expect(!error.description.contains("leakedtoken123"))
        }
        #expect(hits.value == 0)
      })
    let transport = HTTPClientTransport(environment: [:])
    let described = transport.describe(
      HTTPClientError.invalidHeaderFieldValues(["Bearer leakedtoken123\r"]))
    #expect(!described.contains("leakedtoken123"))
    let other = transport.describe(HTTPClientError.invalidURL)
    #expect(other == "HTTP client error: invalidURL")
    await transport.shutdown()
  }

  @Test func anIssuedAccessTokenWithAControlCharacterIsRefusedWithoutShowingIt() async throws {
    try await HostileServer.run(
      answer: { _, _, _ in
        HostileServer.json(.ok, #"{"access_token":"issuedtoken\r\nX-Evil: 1","expires_in":60}"#)
      },
      test: { base, transport, _ in
        let auth = TwilioOAuthAuthenticator(
          oauthBase: try BaseURL.parse(base, source: .twilioAccounts), clientID: "OQ1",
          clientSecret: "client-secret-1", source: .twilioAccounts)
        do {
          _ = try await auth.accessToken(transport: transport)
          Issue.record("accepted a token with CR LF")
        } catch let error as OrgScopeError {
          #expect(!error.description.contains("issuedtoken"))
        }
      })
  }

  // MARK: 2. Redaction: every spelling, every field, before any cut

  @Test func everySpellingOfASecretIsRedacted() {
    let secret = "s3cr3t/Val+ue\"x"
    let redactor = Redactor(secrets: [secret, "Bearer crlftoken\r"])
    let spellings = [
      secret, "s3cr3t%2FVal%2Bue%22x", "s3cr3t%2fVal%2bue%22x", #"s3cr3t/Val+ue\"x"#,
      #"s3cr3t\/Val+ue\"x"#, #"s3cr3t\u002fVal\u002bue\u0022x"#,
      #"s3cr3t\u002FVal\u002Bue\u0022x"#,
    ]
    for spelling in spellings {
      #expect(redactor.redact("before \(spelling) after") == "before *** after", "\(spelling)")
    }
    // How AsyncHTTPClient and Swift print a string with a CR: backslash-escaped.
    #expect(!redactor.redact(#"["Bearer crlftoken\r"]"#).contains("crlftoken"))
    #expect(!redactor.redact("\(["Bearer crlftoken\r"])").contains("crlftoken"))
  }

  @Test func aShortValueIsNotMaskedInFreeText() {
    let redactor = Redactor(secrets: ["e", "abc1234"])
    #expect(
      redactor.redact("every letter e stays, abc1234 too") == "every letter e stays, abc1234 too")
    #expect(redactor.redact("abcd12345") == "abcd12345")
    redactor.add("abcd1234")
    #expect(redactor.redact("key abcd1234") == "key ***")
  }

  /// Every field a provider's error may carry echoes the key back: code, error_code,
  /// errors[].code, error_id, request_id, the X-Request-Id header, messages and titles.
  @Test func aSecretEchoedInAnyFieldOfAnErrorIsRedactedForEverySource() async throws {
    let secret = "SG.echoed-secret-value-0123456789"
    let quoted = JSONWriter.quoted(secret)
    let body = """
      {"code":\(quoted),"error_code":\(quoted),"error_msg":\(quoted),"message":\(quoted),
      "error_id":\(quoted),"request_id":\(quoted),"more_info":\(quoted),"detail":\(quoted),
      "error":{"code":\(quoted),"message":\(quoted)},
      "errors":[{"code":\(quoted),"message":\(quoted),"error_id":\(quoted),"field":\(quoted)}]}
      """
    try await HostileServer.run(
      answer: { _, _, _ in
        HostileServer.json(.unauthorized, body, headers: [HTTPField.Name("X-Request-Id")!: secret])
      }, secrets: [secret],
      test: { base, transport, _ in
        for client in try everySource(base: base, transport: transport, token: secret) {
          do {
            _ = try await client.fetchPage(query: Query(), cursor: nil)
            Issue.record("\(client.source) accepted an error answer")
          } catch let error as OrgScopeError {
            let text = error.description
            #expect(!text.contains(String(secret.prefix(12))), "\(client.source): \(text)")
            #expect(text.contains("***"), "\(client.source): \(text)")
          }
        }
      })
  }

  /// The trial: a message cut at 300 characters showed the first 25 of a 28-character key.
  @Test func redactionRunsBeforeAMessageIsShortened() async throws {
    let secret = "cut-secret-abcdefghijklmnop"
    for padding in [270, 280, 290, 295, 299] {
      let message = String(repeating: "m", count: padding) + secret
      let body = #"{"errors":[{"code":1000,"message":"\#(message)"}],"success":false}"#
      try await HostileServer.run(
        answer: { _, _, _ in HostileServer.json(.badRequest, body) }, secrets: [secret],
        test: { base, transport, _ in
          let client = try oneSource(.cloudflare, base: base, transport: transport)
          do {
            _ = try await client.fetchPage(query: Query(), cursor: nil)
          } catch let error as OrgScopeError {
            #expect(!error.description.contains("cut-secret"), "\(padding)")
          }
        })
    }
  }

  @Test func anHTMLTitleAndAnExcerptAreRedacted() async throws {
    let secret = "html-secret-0123456789"
    for body in ["<html><title>denied \(secret)</title></html>", "plain text \(secret) here"] {
      try await HostileServer.run(
        answer: { _, _, _ in
          Response(
            status: .internalServerError, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }, secrets: [secret],
        test: { base, transport, _ in
          for client in try everySource(base: base, transport: transport, token: "t0123456789") {
            do {
              _ = try await client.fetchPage(query: Query(), cursor: nil)
            } catch let error as OrgScopeError {
              #expect(!error.description.contains("html-secret"), "\(client.source)")
            }
          }
        })
    }
  }

  /// The trial printed the Twilio client secret echoed by the token endpoint.
  @Test func theTokenEndpointEchoingTheClientSecretIsRedacted() async throws {
    let secret = "client-secret-echoed-42"
    try await HostileServer.run(
      answer: { _, _, _ in
        HostileServer.json(
          .unauthorized,
          #"{"code":"\#(secret)","message":"bad client_secret=\#(secret)","more_info":"\#(secret)"}"#,
          headers: [HTTPField.Name("X-Request-Id")!: secret])
      }, secrets: [secret],
      test: { base, transport, _ in
        let auth = TwilioOAuthAuthenticator(
          oauthBase: try BaseURL.parse(base, source: .twilioAccounts), clientID: "OQ1",
          clientSecret: secret, source: .twilioAccounts)
        do {
          _ = try await auth.accessToken(transport: transport)
          Issue.record("no error")
        } catch let error as OrgScopeError {
          #expect(!error.description.contains("client-secret"), "\(error.description)")
        }
      })
  }

  @Test func aRealLengthIssuedTokenIsLearnedByTheRedactor() async throws {
    try await HostileServer.run(
      answer: { _, _, _ in
        HostileServer.json(.ok, #"{"access_token":"issued-token-0123456789","expires_in":60}"#)
      },
      test: { base, transport, _ in
        let redactor = Redactor()
        let auth = TwilioOAuthAuthenticator(
          oauthBase: try BaseURL.parse(base, source: .twilioAccounts), clientID: "OQ1",
          clientSecret: "client-secret-1", source: .twilioAccounts, redactor: redactor)
        _ = try await auth.accessToken(transport: transport)
        #expect(redactor.redact("got issued-token-0123456789") == "got ***")
      })
  }
}
