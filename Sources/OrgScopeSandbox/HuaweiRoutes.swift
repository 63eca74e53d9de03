import OrgScopeCore

extension SandboxAPI {
  /// How far `X-Sdk-Date` may be from the server's clock, as the API gateway allows.
  static let huaweiClockSkewSeconds: Int64 = 15 * 60

  /// Checks the `SDK-HMAC-SHA256` signature with the same signer the client uses, over the
  /// path exactly as received (prefix included). Returns the failure answer, nil when valid.
  func huaweiAuthFailure(_ request: SandboxRequest, requestID: String, now: Int64)
    -> SandboxResponse?
  {
    func refuse(_ message: String) -> SandboxResponse {
      ProviderError.huawei(401, code: "APIGW.0301", message, requestID: requestID)
    }
    guard let header = request.header("Authorization"),
      let auth = HuaweiSigner.parseAuthorization(header)
    else {
      return refuse("Incorrect IAM authentication information: Authorization header is missing")
    }
    guard auth.accessKey == SandboxCredentials.huaweiAccessKey else {
      return refuse("Incorrect IAM authentication information: ak \(auth.accessKey) not exist")
    }
    guard let date = request.header("X-Sdk-Date"), let signedAt = Timestamp.parseSDKDate(date)
    else {
      return refuse("Incorrect IAM authentication information: x-sdk-date is missing or invalid")
    }
    guard abs(now - signedAt) <= Self.huaweiClockSkewSeconds else {
      return refuse("Incorrect IAM authentication information: request expired (x-sdk-date)")
    }
    guard auth.signedHeaders.contains("x-sdk-date") else {
      return refuse("Incorrect IAM authentication information: x-sdk-date is not signed")
    }
    for name in auth.signedHeaders where request.header(name) == nil {
      return refuse("Incorrect IAM authentication information: signed header \(name) is missing")
    }
    let expected = HuaweiSigner.signature(
      method: request.method, path: request.path, query: request.rawQuery,
      headers: request.headers, signedHeaders: auth.signedHeaders, body: request.body,
      secretKey: SandboxCredentials.huaweiSecretKey, date: date)
    guard expected == auth.signature.lowercased() else {
      return refuse("Incorrect IAM authentication information: verify aksk signature fail")
    }
    if options.huaweiTemporaryCredentials {
      guard request.header("X-Security-Token") == SandboxCredentials.huaweiSecurityToken else {
        return refuse("Incorrect IAM authentication information: the security token is invalid")
      }
    }
    return nil
  }

  /// `GET /huawei/v1/organizations/accounts`: `parent_id`, `with_register_contact_info`,
  /// `limit` (1–2000, default 200; at most 200 with contact info) and `marker`. Without
  /// `parent_id` every account is listed; with one, the accounts directly under it.
  func huaweiAccounts(_ request: SandboxRequest, requestID: String, now: Int64) async
    -> SandboxResponse
  {
    func invalid(_ message: String, status: Int = 400, code: String = "Organizations.1001")
      -> SandboxResponse
    {
      ProviderError.huawei(status, code: code, message, requestID: requestID)
    }
    guard request.method == "GET" else {
      return invalid("Method not allowed", status: 405, code: "APIGW.0101")
    }
    if let failure = huaweiAuthFailure(request, requestID: requestID, now: now) {
      return failure
    }
    var contactInfo = false
    if let text = request.parameter("with_register_contact_info") {
      switch text.lowercased() {
      case "true": contactInfo = true
      case "false": contactInfo = false
      default: return invalid("with_register_contact_info must be true or false")
      }
    }
    let maximum = contactInfo ? 200 : 2000
    var limit = 200
    if let text = request.parameter("limit") {
      guard let value = Int(text), (1...maximum).contains(value) else {
        return invalid(
          "limit must be between 1 and \(maximum)"
            + (contactInfo ? " when with_register_contact_info is true" : ""))
      }
      limit = value
    }
    let parent = request.parameter("parent_id")
    if let parent {
      guard parent == data.huaweiRootID || data.huaweiOUIDs.contains(parent) else {
        let wellFormed =
          (parent.hasPrefix("r-") || parent.hasPrefix("ou-"))
          && parent.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
          }
        return wellFormed
          ? invalid("The parent \(parent) does not exist", status: 404, code: "Organizations.1002")
          : invalid("parent_id '\(parent)' is not a root or OU id")
      }
    }
    let filterKey = "\(parent ?? "*")"
    let tokens = PageTokens(seed: data.seed, route: .huawei)
    var offset = 0
    if let marker = request.parameter("marker") {
      do throws(PageTokens.Failure) {
        offset = try tokens.offset(of: marker, filters: filterKey)
      } catch {
        return invalid("The marker \(marker) is invalid")
      }
    }
    let matches: IndexList
    if let parent {
      matches = .some(
        await cache.indices(for: "huawei:" + parent) {
          (0..<self.data.accountCount).filter { self.data.huaweiParent(of: $0) == parent }
        })
    } else {
      matches = .all(data.accountCount)
    }
    let end = min(matches.count, offset + limit)
    var json = JSONBuilder(capacity: 400 * max(1, end - offset) + 256)
    json.beginObject()
    json.key("accounts")
    json.beginArray()
    if offset < end {
      for position in offset..<end {
        json.record(.huawei, matches[position], variant: contactInfo ? 1 : 0, cache: records) {
          data.writeHuaweiAccount($0, contactInfo: contactInfo, into: &$1)
        }
      }
    }
    json.endArray()
    json.key("page_info")
    json.beginObject()
    json.field(
      "next_marker", end < matches.count ? tokens.token(offset: end, filters: filterKey) : nil)
    json.field("current_count", int: max(0, end - offset))
    json.endObject()
    json.endObject()
    return .json(200, json, headers: [Header("X-Request-Id", requestID)])
  }
}
