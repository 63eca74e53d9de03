import OrgScopeCore

/// Huawei Cloud's organization accounts, `GET /v1/organizations/accounts`, with requests
/// signed with SDK-HMAC-SHA256 (and a security token for temporary credentials), parents
/// (root and OUs), contact info and markers.
struct HuaweiSandbox: SandboxProvider {
  let endpoints = [
    SandboxEndpoint(.huawei, "/v1/organizations/accounts", prefix: "huawei") { api, call in
      await api.huaweiAccounts(call.request, requestID: call.requestID, now: call.now)
    }
  ]
  let legacyPrefixes = ["/huawei"]

  func errorBody(status: Int, message: String, requestID: String) -> SandboxResponse {
    Self.error(
      status, code: status == 429 ? "APIGW.0308" : "Organizations.\(status)0", message,
      requestID: requestID)
  }

  func notFound(_ message: String, requestID: String) -> SandboxResponse {
    Self.error(404, code: "APIGW.0101", message, requestID: requestID)
  }

  func environment(baseURL: String, data: SandboxData, options: SandboxOptions)
    -> [SandboxVariable]
  {
    var pairs: [SandboxVariable] = [
      ("ORGSCOPE_HUAWEI_URL", baseURL),
      ("HUAWEICLOUD_SDK_AK", SandboxCredentials.huaweiAccessKey),
      ("HUAWEICLOUD_SDK_SK", SandboxCredentials.huaweiSecretKey),
    ]
    if options.huaweiTemporaryCredentials {
      pairs.append(("HUAWEICLOUD_SDK_SECURITY_TOKEN", SandboxCredentials.huaweiSecurityToken))
    }
    return pairs
  }

  /// `{error_code, error_msg}` with the request id in `X-Request-Id` (and in the body, as
  /// the API gateway does).
  static func error(
    _ status: Int, code: String, _ message: String, requestID: String
  ) -> SandboxResponse {
    var json = JSONBuilder(capacity: 256)
    json.beginObject()
    json.field("error_code", code)
    json.field("error_msg", message)
    json.field("request_id", requestID)
    json.endObject()
    return .json(status, json, headers: [Header("X-Request-Id", requestID)])
  }
}

extension SandboxRoute {
  public static let huawei = SandboxRoute("huawei", source: .huawei, listKey: "accounts")
}

extension Mix.Stream {
  static let huawei = Mix.Stream(rawValue: 0x6877_6569)
}

extension SandboxCredentials {
  public static let huaweiAccessKey = "SANDBOXDEMOACCESSKEY"
  public static let huaweiSecretKey = "sandbox-huawei-secret-key-demo"
  public static let huaweiSecurityToken = "sandbox-huawei-security-token-demo"
}

extension RunningSandbox {
  /// The Huawei organization's root (`r-…`).
  public var huaweiRootID: String { data.huaweiRootID }
  /// The Huawei organization's organizational units (`ou-…`).
  public var huaweiOUIDs: [String] { data.huaweiOUIDs }
}

// MARK: The accounts endpoint

extension SandboxAPI {
  /// How far `X-Sdk-Date` may be from the server's clock, as the API gateway allows.
  static let huaweiClockSkewSeconds: Int64 = 15 * 60

  /// Checks the `SDK-HMAC-SHA256` signature with the same signer the client uses, over the
  /// path exactly as received (prefix included). Returns the failure answer, nil when valid.
  private func huaweiAuthFailure(_ request: SandboxRequest, requestID: String, now: Int64)
    -> SandboxResponse?
  {
    func refuse(_ message: String) -> SandboxResponse {
      HuaweiSandbox.error(401, code: "APIGW.0301", message, requestID: requestID)
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

  /// `GET /v1/organizations/accounts`: `parent_id`, `with_register_contact_info`,
  /// `limit` (1–2000, default 200; at most 200 with contact info) and `marker`. Without
  /// `parent_id` every account is listed; with one, the accounts directly under it.
  fileprivate func huaweiAccounts(_ request: SandboxRequest, requestID: String, now: Int64) async
    -> SandboxResponse
  {
    func invalid(_ message: String, status: Int = 400, code: String = "Organizations.1001")
      -> SandboxResponse
    {
      HuaweiSandbox.error(status, code: code, message, requestID: requestID)
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

// MARK: Records

extension SandboxData {
  var huaweiRootID: String {
    "r-" + IDText.lowercaseAlphanumeric(Mix.hash(seed, .organization, 3), length: 4)
  }

  /// The organizational units that hold Huawei accounts (the root holds some directly).
  var huaweiOUIDs: [String] {
    (0..<6).map {
      "ou-" + IDText.lowercaseAlphanumeric(Mix.hash(seed, .organization, 10 + $0), length: 16)
    }
  }

  var huaweiOrganizationID: String {
    "o-" + IDText.lowercaseAlphanumeric(Mix.hash(seed, .organization, 4), length: 32)
  }

  /// The direct parent (root or OU) of Huawei account `index`.
  func huaweiParent(of index: Int) -> String {
    let slot = Int(Mix.hash(seed, .huawei, index, 0x9A) % 8)
    let units = huaweiOUIDs
    return slot < units.count ? units[slot] : huaweiRootID
  }

  func huaweiID(_ index: Int) -> String {
    IDText.recordHex(seed: seed, stream: .huawei, index: identity(.huawei, index))
  }

  /// Huawei names follow the API's own pattern (`^[a-zA-Z][0-9a-zA-Z_-]+$`); descriptions
  /// carry the non-ASCII and hostile text.
  func huaweiName(_ index: Int) -> String {
    let h = Mix.hash(seed, .huawei, index, 0x44)
    let prefixes = ["paas_iam", "prod", "dev", "test", "bigdata", "ecs-ops", "obs_backup", "cdn"]
    let regions = ["cn-north-4", "ap-southeast-1", "eu-west-101", "la-south-2", "af-south-1"]
    let prefix = prefixes[Int(h % UInt64(prefixes.count))]
    switch (h >> 8) % 3 {
    case 0: return "\(prefix)_\(100_000 + index)"
    case 1: return "\(prefix)-\(regions[Int((h >> 16) % 5)])-\(index)"
    default: return "\(prefix)\(index)"
    }
  }

  func writeHuaweiAccount(_ index: Int, contactInfo: Bool, into json: inout JSONBuilder) {
    let change = laterChange(.huawei, index)
    let index = identity(.huawei, index)
    let h = Mix.hash(seed, .huawei, index, 0x55)
    let statuses = ["active", "ACTIVE", "Active", "suspended", "Suspended", "pending_closure"]
    let id = IDText.recordHex(seed: seed, stream: .huawei, index: index)
    json.beginObject()
    json.field("id", id)
    json.field("urn", "organizations::\(huaweiID(0)):account:\(huaweiOrganizationID)/\(id)")
    json.field("join_method", h % 3 == 0 ? "invited" : "created")
    json.field("joined_at", Timestamp.iso8601(date(.huawei, index, salt: 5)))
    json.field("name", huaweiName(change == .renamed ? index + Self.renameBase : index))
    json.field(
      "status", change == .closed ? "suspended" : statuses[Int((h >> 4) % UInt64(statuses.count))])
    if h % 4 == 0 {
      json.field("description", accountName(.huawei, index))
    }
    if contactInfo {
      switch (h >> 12) % 4 {
      case 0:
        // The API's own way of saying "no phone": the literal string "null,".
        json.field("mobile_phone", "null,")
        json.field("intl_number_prefix", "null,")
        json.field("email", nil)
      case 1:
        json.field("mobile_phone", "1\(3 + h % 7)\(100_000_000 + h % 899_999_999)")
        json.field("intl_number_prefix", "0086")
        json.field("email", "admin\(index)@example.cn")
      case 2:
        json.field("mobile_phone", "null,")
        json.field("intl_number_prefix", "null,")
        json.field("email", "ops.\(index)@example.com")
      default:
        json.field("mobile_phone", "\(600_000_000 + h % 99_999_999)")
        json.field("intl_number_prefix", "0041")
        json.field("email", nil)
      }
    }
    json.endObject()
  }
}
