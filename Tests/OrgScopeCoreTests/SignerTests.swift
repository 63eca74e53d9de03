import Foundation
import Testing

@testable import OrgScopeCore

@Suite struct SignerTests {
  @Test func sdkTestVectorSignsGetWithOnlyTheDate() {
    let signature = HuaweiSigner.signature(
      method: "GET", path: "/path", query: "limit=1",
      headers: [Header("X-Sdk-Date", "20060102T150405Z")], signedHeaders: ["x-sdk-date"],
      body: [], secretKey: "SecretKey", date: "20060102T150405Z")
    #expect(signature == "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624")
  }

  @Test func sdkDateIsUTCBasicFormat() {
    let date = Date(timeIntervalSince1970: 1_136_214_245)  // 2006-01-02T15:04:05Z
    #expect(HuaweiSigner.sdkDate(date) == "20060102T150405Z")
  }

  @Test func sdkDateAgreesWithTheCalendarAcrossLeapYearsAndCenturies() {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    // 1960 to 2110 in steps of about 61 days and 7 hours, plus the edges that trip
    // hand-written date code: leap days, year ends, 2000 and 2100, a fraction of a second.
    var instants: [Double] = stride(from: -315_619_200.0, to: 4_417_977_600, by: 5_296_387)
      .map { $0 }
    instants += [
      951_782_399, 951_782_400, 951_868_799, 978_307_199.999, 4_107_542_399, 4_107_542_400,
      4_107_628_800, -1, 0, 86_399.5,
    ]
    for instant in instants {
      let date = Date(timeIntervalSince1970: instant)
      let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
      let expected = String(
        format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!,
        c.second!)
      #expect(HuaweiSigner.sdkDate(date) == expected, "\(instant)")
      // The sandbox reads it back with the same code's parser.
      #expect(Timestamp.parseSDKDate(expected) == Int64(instant.rounded(.down)), "\(instant)")
    }
  }

  @Test func canonicalURIEncodesSegmentsAndAlwaysEndsWithSlash() {
    #expect(
      HuaweiSigner.canonicalURI("/v1/organizations/accounts") == "/v1/organizations/accounts/")
    #expect(HuaweiSigner.canonicalURI("/a b/ü/x~y.z_-") == "/a%20b/%C3%BC/x~y.z_-/")
    #expect(HuaweiSigner.canonicalURI("/already%20encoded/") == "/already%20encoded/")
    #expect(HuaweiSigner.canonicalURI("") == "/")
  }

  @Test func canonicalQuerySortsByKeyThenValueAndEncodesUpperHex() {
    let query = "marker=b%2Fc&limit=2&marker=a&parent_id=ou-1&x=%E4%B8%AD"
    #expect(
      HuaweiSigner.canonicalQuery(query)
        == "limit=2&marker=a&marker=b%2Fc&parent_id=ou-1&x=%E4%B8%AD")
    #expect(HuaweiSigner.canonicalQuery("") == "")
    #expect(HuaweiSigner.canonicalQuery("flag") == "flag=")
  }

  @Test func signedHeadersSkipContentTypeAndUnderscoreNames() {
    let headers = [
      Header("Host", "organizations.myhuaweicloud.com"), Header("X-Sdk-Date", "x"),
      Header("Content-Type", "application/json"), Header("X_Custom", "1"),
      Header("Accept", "application/json"),
    ]
    #expect(HuaweiSigner.signedHeaderNames(headers) == ["accept", "host", "x-sdk-date"])
  }

  @Test func authenticatorSetsDateHostTokenAndAuthorization() async throws {
    let auth = HuaweiAuthenticator(
      accessKey: "AK1", secretKey: "SK1", securityToken: "STS",
      now: { Date(timeIntervalSince1970: 1_136_214_245) })
    var request = HTTPRequestSpec(
      url: "https://organizations.myhuaweicloud.com:8443/v1/organizations/accounts?limit=1")
    try await auth.authorize(&request, transport: NoTransport())
    #expect(request.header("X-Sdk-Date") == "20060102T150405Z")
    #expect(request.header("Host") == "organizations.myhuaweicloud.com:8443")
    #expect(request.header("X-Security-Token") == "STS")
    let authorization = try #require(request.header("Authorization"))
    let parsed = try #require(HuaweiSigner.parseAuthorization(authorization))
    #expect(parsed.accessKey == "AK1")
    #expect(parsed.signedHeaders == ["host", "x-sdk-date", "x-security-token"])
    let expected = HuaweiSigner.signature(
      method: "GET", path: "/v1/organizations/accounts", query: "limit=1",
      headers: request.headers, signedHeaders: parsed.signedHeaders, body: [],
      secretKey: "SK1", date: "20060102T150405Z")
    #expect(parsed.signature == expected)
    #expect(authorization.hasPrefix("SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;"))
    #expect(auth.secrets.contains("SK1"))
    #expect(await auth.invalidate() == false)
  }

  /// Authorization headers made by the official Python SDK's own signer
  /// (`huaweicloudsdkcore.signer.Signer`, huaweicloudsdkcore 3.1.219) for the requests the
  /// Huawei provider builds (with its `Accept: application/json`): escapes in query values,
  /// a security token, a prefixed path and a host with a port. AK `AK1`, SK `SK1`, date
  /// 20261124T120000Z.
  @Test(
    arguments: [
      (
        "https://organizations.myhuaweicloud.com", Query(filters: ["parent-id": "r-a b"]),
        PageCursor.token("ou-abc/+= é~"), "STS token/+=",
        "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=accept;host;x-sdk-date;x-security-token, Signature=1fdef854ccd4d1a502a90126ac41da237491fae43113b571b4b90ca476386209"
      ),
      (
        "http://127.0.0.1:8080/huawei", Query(filters: ["with-contact-info": "true"]), nil, nil,
        "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=accept;host;x-sdk-date, Signature=e2d8f64667c22c2b830f9c0f7d838947daee95273c0764ae02a05a271de2fd31"
      ),
    ] as [(String, Query, PageCursor?, String?, String)])
  func providerRequestsAreSignedAsTheOfficialSDKSignsThem(
    baseURL: String, query: Query, cursor: PageCursor?, token: String?, expected: String
  ) async throws {
    var request = try HuaweiProvider().request(
      base: try base(baseURL, .huawei), query: query, cursor: cursor)
    let auth = HuaweiAuthenticator(
      accessKey: "AK1", secretKey: "SK1", securityToken: token,
      now: { Date(timeIntervalSince1970: 1_795_521_600) })
    try await auth.authorize(&request, transport: NoTransport())
    #expect(request.header("Authorization") == expected)
  }

  @Test func signatureChangesWithTheSecretKey() {
    let headers = [Header("X-Sdk-Date", "20060102T150405Z"), Header("Host", "h")]
    let one = HuaweiSigner.signature(
      method: "GET", path: "/p", query: "", headers: headers, body: [], secretKey: "a",
      date: "20060102T150405Z")
    let two = HuaweiSigner.signature(
      method: "GET", path: "/p", query: "", headers: headers, body: [], secretKey: "b",
      date: "20060102T150405Z")
    #expect(one != two)
  }
}

/// A transport that must not be used: signing does no I/O.
struct NoTransport: HTTPTransport {
  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    Issue.record("signing must not send requests")
    return HTTPResponseData(status: 500)
  }
}
