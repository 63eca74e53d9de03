import OrgScopeCore

/// Cloudflare's organization accounts, `GET /client/v4/organizations/{organization_id}/
/// accounts`, with API-token or email and global-key auth, its filters, sorting and page
/// tokens.
struct CloudflareSandbox: SandboxProvider {
  let endpoints = [
    SandboxEndpoint(
      .cloudflare, "/client/v4/organizations/{organization_id}/accounts", prefix: "cloudflare"
    ) { api, call in
      await api.cloudflareAccounts(call.request, organization: call.captured[0])
    }
  ]
  let legacyPrefixes = ["/cloudflare/client/v4"]

  func errorBody(status: Int, message: String, requestID: String) -> SandboxResponse {
    Self.error(status, code: status == 429 ? 10429 : 10000 + status, message)
  }

  func notFound(_ message: String, requestID: String) -> SandboxResponse {
    Self.error(404, code: 7000, message)
  }

  func environment(baseURL: String, data: SandboxData, options: SandboxOptions)
    -> [SandboxVariable]
  {
    [
      ("CLOUDFLARE_BASE_URL", baseURL + "/client/v4"),
      ("CLOUDFLARE_API_TOKEN", SandboxCredentials.cloudflareAPIToken),
      ("CLOUDFLARE_ORGANIZATION_ID", data.cloudflareOrganizationID),
    ]
  }

  /// `{success:false, errors:[{code, message}], messages:[], result:null}`.
  static func error(_ status: Int, code: Int, _ message: String) -> SandboxResponse {
    var json = JSONBuilder(capacity: 256)
    json.beginObject()
    json.field("success", bool: false)
    json.key("errors")
    json.beginArray()
    json.beginObject()
    json.field("code", int: code)
    json.field("message", message)
    json.endObject()
    json.endArray()
    json.key("messages")
    json.beginArray()
    json.endArray()
    json.key("result")
    json.null()
    json.endObject()
    return .json(status, json)
  }
}

extension SandboxRoute {
  public static let cloudflare = SandboxRoute("cloudflare", source: .cloudflare, listKey: "result")
}

extension Mix.Stream {
  static let cloudflare = Mix.Stream(rawValue: 0x6366_6C72)
}

extension SandboxCredentials {
  public static let cloudflareAPIToken = "sandbox-cloudflare-api-token-demo"
  public static let cloudflareEmail = "admin@sandbox.example.com"
  public static let cloudflareAPIKey = "sandbox-cloudflare-global-key-demo"
}

extension RunningSandbox {
  public var cloudflareOrganizationID: String { data.cloudflareOrganizationID }
}

// MARK: The accounts endpoint

extension SandboxAPI {
  /// The filters Cloudflare understands: flat names with a literal dot. Bracket forms such
  /// as `name[contains]` are not among them, so they are ignored, as the real server does.
  private static let cloudflareFilterNames = [
    "name", "name.contains", "name.startsWith", "name.endsWith", "account_pubname",
    "account_pubname.contains", "account_pubname.startsWith", "account_pubname.endsWith",
  ]

  private func cloudflareAuthFailure(_ request: SandboxRequest) -> SandboxResponse? {
    if let header = request.header("Authorization") {
      if header == "Bearer \(SandboxCredentials.cloudflareAPIToken)" { return nil }
      return CloudflareSandbox.error(401, code: 10000, "Authentication error")
    }
    let email = request.header("X-Auth-Email")
    let key = request.header("X-Auth-Key")
    if email == nil, key == nil {
      return CloudflareSandbox.error(
        400, code: 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
    }
    if email?.lowercased() == SandboxCredentials.cloudflareEmail,
      key == SandboxCredentials.cloudflareAPIKey
    {
      return nil
    }
    return CloudflareSandbox.error(401, code: 10000, "Authentication error")
  }

  /// `GET /client/v4/organizations/{organization_id}/accounts`.
  fileprivate func cloudflareAccounts(_ request: SandboxRequest, organization: String) async
    -> SandboxResponse
  {
    guard request.method == "GET" else {
      return CloudflareSandbox.error(405, code: 10405, "Method not allowed")
    }
    if let failure = cloudflareAuthFailure(request) { return failure }
    guard organization == data.cloudflareOrganizationID else {
      return CloudflareSandbox.error(
        404, code: 7003,
        "Could not route to /organizations/\(organization)/accounts, perhaps your object "
          + "identifier is invalid?")
    }
    var size = 10
    if let text = request.parameter("page_size") {
      guard let value = Int(text), (1...50).contains(value) else {
        return CloudflareSandbox.error(400, code: 1004, "page_size must be between 1 and 50")
      }
      size = value
    }
    let orderBy = request.parameter("order_by")
    if let orderBy, orderBy != "account_name" {
      return CloudflareSandbox.error(
        400, code: 1004, "order_by must be 'account_name', not '\(orderBy)'")
    }
    let direction = request.parameter("direction")
    if let direction, direction != "asc", direction != "desc" {
      return CloudflareSandbox.error(400, code: 1004, "direction must be 'asc' or 'desc'")
    }
    let filters: [(String, String)] = Self.cloudflareFilterNames.compactMap { name in
      // An empty filter value filters nothing (a cleared search box), not everything.
      request.parameter(name).flatMap { $0.isEmpty ? nil : (name, $0.lowercased()) }
    }
    var fingerprint = filters.map { "\($0.0)=\($0.1)" }
    if let orderBy { fingerprint.append("order_by=\(orderBy):\(direction ?? "asc")") }
    let filterKey = fingerprint.joined(separator: "\u{1F}")

    let tokens = PageTokens(seed: data.seed, route: .cloudflare)
    var offset = 0
    if let token = request.parameter("page_token") {
      do throws(PageTokens.Failure) {
        offset = try tokens.offset(of: token, filters: filterKey)
      } catch .filtersChanged {
        return CloudflareSandbox.error(
          400, code: 1004,
          "page_token does not match this request: filters used to retrieve the list must "
            + "remain in subsequent requests with a page token")
      } catch {
        return CloudflareSandbox.error(400, code: 1004, "Invalid page_token")
      }
    }

    let matches: IndexList
    if filters.isEmpty, orderBy == nil {
      matches = .all(data.accountCount)
    } else {
      let cached = await cache.indices(for: filterKey) {
        self.cloudflareMatches(filters: filters, sort: orderBy == nil ? nil : direction ?? "asc")
      }
      matches = .some(cached)
    }
    let end = min(matches.count, offset + size)
    var json = JSONBuilder(capacity: 600 * max(1, end - offset) + 512)
    json.beginObject()
    json.key("errors")
    json.beginArray()
    json.endArray()
    json.key("messages")
    json.beginArray()
    json.endArray()
    json.key("result")
    json.beginArray()
    if offset < end {
      for position in offset..<end {
        json.record(
          .cloudflare, matches[position], cache: records, write: data.writeCloudflareAccount)
      }
    }
    json.endArray()
    json.key("result_info")
    json.beginObject()
    if end < matches.count {
      json.field("next_page_token", tokens.token(offset: end, filters: filterKey))
    }
    json.field("total_size", int: matches.count)
    json.endObject()
    json.field("success", bool: true)
    json.endObject()
    return .json(200, json)
  }

  private func cloudflareMatches(filters: [(String, String)], sort: String?) -> [Int] {
    var names: [(index: Int, name: String?)] = []
    names.reserveCapacity(data.accountCount)
    for index in 0..<data.accountCount {
      let name = data.cloudflareName(index)?.lowercased()
      var keep = true
      for (filter, value) in filters {
        guard let name else {
          keep = false
          break
        }
        let operation = filter.split(separator: ".").dropFirst().first ?? ""
        switch operation {
        case "contains": keep = name.contains(value)
        case "startsWith": keep = name.hasPrefix(value)
        case "endsWith": keep = name.hasSuffix(value)
        default: keep = name == value
        }
        if !keep { break }
      }
      if keep { names.append((index, name)) }
    }
    if let sort {
      // Ascending: by name, nulls last, ties by id order; descending is the exact reverse.
      names.sort { left, right in
        switch (left.name, right.name) {
        case (let l?, let r?): return l != r ? l < r : left.index < right.index
        case (.some, .none): return true
        case (.none, .some): return false
        case (.none, .none): return left.index < right.index
        }
      }
      if sort == "desc" { names.reverse() }
    }
    return names.map(\.index)
  }
}

// MARK: Records

extension SandboxData {
  var cloudflareOrganizationID: String {
    IDText.recordHex(seed: seed, stream: .organization, index: 2)
  }

  func cloudflareID(_ index: Int) -> String {
    IDText.recordHex(seed: seed, stream: .cloudflare, index: identity(.cloudflare, index))
  }

  /// nil for the accounts whose `name` is null (about one in forty).
  func cloudflareName(_ index: Int) -> String? {
    let change = laterChange(.cloudflare, index)
    let index = identity(.cloudflare, index)
    if index > 5, Mix.hash(seed, .cloudflare, index, 0x11) % 40 == 0 { return nil }
    return displayName(.cloudflare, index, change)
  }

  func writeCloudflareAccount(_ index: Int, into json: inout JSONBuilder) {
    let closed = laterChange(.cloudflare, index) == .closed
    let name = cloudflareName(index)
    let index = identity(.cloudflare, index)
    let h = Mix.hash(seed, .cloudflare, index, 0x22)
    let created = date(.cloudflare, index, salt: 2)
    json.beginObject()
    json.field("id", cloudflareID(index))
    json.field("name", name)
    json.field("type", h % 5 == 0 ? "enterprise" : "standard")
    json.key("settings")
    json.beginObject()
    json.field("abuse_contact_email", h & 0x10 == 0 ? "abuse+\(index)@example.com" : nil)
    json.field(
      "access_approval_expiry",
      h & 0x20 == 0 ? nil : Timestamp.iso8601(created + 86_400 * 400, milliseconds: 117))
    json.field("api_access_enabled", bool: h & 0x40 == 0 ? nil : h & 0x80 == 0)
    json.field("default_nameservers", h & 0x100 == 0 ? "cloudflare.standard" : nil)
    // Later, a "closed" account has two-factor enforcement turned off (it has no status).
    json.field("enforce_twofactor", bool: h & 0x200 == 0 && !closed)
    json.field("use_account_custom_ns_by_default", bool: h & 0x400 == 0 ? false : nil)
    json.endObject()
    json.field("created_on", Timestamp.iso8601(created, milliseconds: Int((h >> 40) % 1000)))
    if h % 7 == 0 {
      json.key("managed_by")
      json.beginObject()
      json.field("parent_org_id", cloudflareOrganizationID)
      json.field("parent_org_name", "Acme Holdings")
      json.endObject()
    }
    json.endObject()
  }
}
