import Foundation
import OrgScopeCore

/// Twilio: the OAuth token endpoint (`POST /v2/token`, client credentials for a short-lived
/// bearer token) and the two sources it opens, Organizations accounts
/// (`GET /Organizations/{OrganizationSid}/Accounts` on the preview IAM host) and IAM roles
/// (`GET /v2/Organizations/Roles` on the IAM host), with Twilio's paging `meta`.
struct TwilioSandbox: SandboxProvider {
  let endpoints = [
    SandboxEndpoint(.twilioToken, "/v2/token", prefix: "twilio-oauth") { api, call in
      await api.twilioToken(call.request)
    },
    SandboxEndpoint(.twilioToken, "/v1/token", prefix: "twilio-oauth") { api, call in
      await api.twilioToken(call.request)
    },
    SandboxEndpoint(
      .twilioAccounts, "/Organizations/{OrganizationSid}/Accounts", prefix: "twilio-preview-iam"
    ) { api, call in
      await api.twilioAccounts(call.request, organization: call.captured[0])
    },
    SandboxEndpoint(.twilioRoles, "/v2/Organizations/Roles", prefix: "twilio-iam") { api, call in
      await api.twilioRoles(call.request)
    },
  ]
  let legacyPrefixes = ["/twilio-iam", "/twilio-preview-iam", "/twilio-oauth"]

  func errorBody(status: Int, message: String, requestID: String) -> SandboxResponse {
    Self.error(status, code: status == 429 ? 20429 : 20500 + status % 100, message)
  }

  func notFound(_ message: String, requestID: String) -> SandboxResponse {
    Self.error(404, code: 20404, message)
  }

  func environment(baseURL: String, data: SandboxData, options: SandboxOptions)
    -> [SandboxVariable]
  {
    [
      ("ORGSCOPE_TWILIO_IAM_URL", baseURL),
      ("ORGSCOPE_TWILIO_PREVIEW_IAM_URL", baseURL),
      ("ORGSCOPE_TWILIO_OAUTH_URL", baseURL),
      ("TWILIO_CLIENT_ID", SandboxCredentials.twilioClientID),
      ("TWILIO_CLIENT_SECRET", SandboxCredentials.twilioClientSecret),
      ("TWILIO_ORGANIZATION_SID", data.twilioOrganizationSID),
    ]
  }

  /// `{code, message, more_info, status}`.
  static func error(_ status: Int, code: Int, _ message: String) -> SandboxResponse {
    var json = JSONBuilder(capacity: 256)
    json.beginObject()
    json.field("code", int: code)
    json.field("message", message)
    json.field("more_info", "https://www.twilio.com/docs/errors/\(code)")
    json.field("status", int: status)
    json.endObject()
    return .json(status, json)
  }
}

extension SandboxRoute {
  public static let twilioAccounts = SandboxRoute(
    "twilio-accounts", source: .twilioAccounts, listKey: "content")
  public static let twilioRoles = SandboxRoute(
    "twilio-roles", source: .twilioRoles, listKey: "roles")
  /// The token endpoint: it serves no source.
  public static let twilioToken = SandboxRoute(
    "twilio-token", source: nil, listKey: "access_token_padding")
}

extension Mix.Stream {
  static let twilioAccounts = Mix.Stream(rawValue: 0x7477_6163)
  static let twilioRoles = Mix.Stream(rawValue: 0x7477_726F)
}

extension SandboxCredentials {
  public static let twilioClientID = "OQ00000000000000000000000000demo01"
  public static let twilioClientSecret = "sandbox-twilio-client-secret-demo"
  /// A ready bearer token that never expires (for `TWILIO_ACCESS_TOKEN` trials).
  public static let twilioAccessToken = "sandbox-twilio-ready-access-token"
}

extension RunningSandbox {
  public var twilioOrganizationSID: String { data.twilioOrganizationSID }
}

// MARK: The endpoints

extension SandboxAPI {
  /// `POST /v2/token` (and `/v1/token`): client credentials for a short-lived bearer token.
  fileprivate func twilioToken(_ request: SandboxRequest) async -> SandboxResponse {
    guard request.method == "POST" else {
      return TwilioSandbox.error(405, code: 20004, "Method not allowed")
    }
    let form = request.formFields()
    guard let grant = form["grant_type"], !grant.isEmpty else {
      return TwilioSandbox.error(400, code: 20001, "Missing required parameter grant_type")
    }
    guard grant == "client_credentials" else {
      return TwilioSandbox.error(400, code: 20001, "Unsupported grant_type '\(grant)'")
    }
    guard form["client_id"] == SandboxCredentials.twilioClientID,
      form["client_secret"] == SandboxCredentials.twilioClientSecret
    else {
      return TwilioSandbox.error(401, code: 20003, "Invalid client credentials")
    }
    let token = await state.issueToken(lifetime: options.tokenLifetimeSeconds)
    var json = JSONBuilder(capacity: 256)
    json.beginObject()
    json.field("access_token", token)
    json.field("refresh_token", nil)
    json.field("id_token", nil)
    json.field("token_type", "Bearer")
    json.field("expires_in", int: options.tokenLifetimeSeconds)
    json.endObject()
    return .json(200, json)
  }

  /// The 401 answer when the request has no valid Twilio bearer token, nil when it has.
  func twilioAuthFailure(_ request: SandboxRequest) async -> SandboxResponse? {
    guard let header = request.header("Authorization"), header.hasPrefix("Bearer ") else {
      return TwilioSandbox.error(
        401, code: 20003, "Authentication Error - No credentials provided")
    }
    let token = String(header.dropFirst("Bearer ".count))
    if token == SandboxCredentials.twilioAccessToken { return nil }
    switch await state.check(token: token) {
    case .valid: return nil
    case .expired:
      return TwilioSandbox.error(401, code: 20003, "Authentication Error - Token expired")
    case .unknown:
      return TwilioSandbox.error(401, code: 20003, "Authentication Error - Invalid token")
    }
  }

  func pageSize(
    _ request: SandboxRequest, default defaultSize: Int, maximum: Int
  ) -> Result<Int, SandboxResponseError> {
    guard let text = request.parameter("PageSize") else { return .success(defaultSize) }
    guard let size = Int(text), (1...maximum).contains(size) else {
      return .failure(
        SandboxResponseError(
          TwilioSandbox.error(
            400, code: 20001, "PageSize must be an integer between 1 and \(maximum)")))
    }
    return .success(size)
  }

  func twilioMeta(
    into json: inout JSONBuilder, key: String, url: String, baseQuery: [(String, String)],
    page: Int, pageSize: Int, nextToken: String?, hasPrevious: Bool
  ) {
    func pageURL(_ extra: [(String, String)]) -> String {
      url + "?" + URLText.query(baseQuery + [("PageSize", String(pageSize))] + extra)
    }
    json.key("meta")
    json.beginObject()
    json.field("first_page_url", pageURL([("Page", "0")]))
    json.field("key", key)
    json.field(
      "next_page_url",
      nextToken.map { pageURL([("Page", String(page + 1)), ("PageToken", $0)]) })
    json.field("page", int: page)
    json.field("page_size", int: pageSize)
    json.field("previous_page_url", hasPrevious ? pageURL([("Page", String(page - 1))]) : nil)
    json.field("url", pageURL([("Page", String(page))]))
    json.endObject()
  }

  /// `GET /Organizations/{OrganizationSid}/Accounts` (preview IAM host).
  fileprivate func twilioAccounts(_ request: SandboxRequest, organization: String) async
    -> SandboxResponse
  {
    guard request.method == "GET" else {
      return TwilioSandbox.error(405, code: 20004, "Method not allowed")
    }
    if let failure = await twilioAuthFailure(request) { return failure }
    guard organization == data.twilioOrganizationSID else {
      return TwilioSandbox.error(
        404, code: 20404,
        "The requested resource /Organizations/\(organization)/Accounts was not found")
    }
    let size: Int
    switch pageSize(request, default: 50, maximum: 100) {
    case .success(let value): size = value
    case .failure(let error): return error.response
    }
    let tokens = PageTokens(seed: data.seed, route: .twilioAccounts)
    var offset = 0
    if let token = request.parameter("PageToken") {
      do throws(PageTokens.Failure) {
        offset = try tokens.offset(of: token, filters: "")
      } catch {
        return TwilioSandbox.error(400, code: 20001, "Invalid PageToken")
      }
    }
    let end = min(data.accountCount, offset + size)
    var json = JSONBuilder(capacity: 256 * max(1, end - offset) + 1024)
    json.beginObject()
    json.key("content")
    json.beginArray()
    if offset < end {
      for index in offset..<end {
        json.record(.twilioAccounts, index, cache: records, write: data.writeTwilioAccount)
      }
    }
    json.endArray()
    let url = origin(of: request) + request.path
    twilioMeta(
      into: &json, key: "content", url: url, baseQuery: [], page: offset / size, pageSize: size,
      nextToken: end < data.accountCount ? tokens.token(offset: end, filters: "") : nil,
      hasPrevious: offset > 0)
    json.endObject()
    return .json(200, json)
  }

  /// `GET /v2/Organizations/Roles` (IAM host). `Search` matches `friendly_name` or `sid`
  /// (case-insensitive substring); `RoleProductGroup` is exact; `ResourceTypes` lists types
  /// of which a role must support at least one (any-of), and roles without resource types
  /// never match it; `Expand` must be `true` or `false` and changes nothing here, because
  /// the policy is always included (as in the documented example without `Expand`).
  fileprivate func twilioRoles(_ request: SandboxRequest) async -> SandboxResponse {
    guard request.method == "GET" else {
      return TwilioSandbox.error(405, code: 20004, "Method not allowed")
    }
    if let failure = await twilioAuthFailure(request) { return failure }
    let size: Int
    switch pageSize(request, default: 50, maximum: 1000) {
    case .success(let value): size = value
    case .failure(let error): return error.response
    }
    let search = request.parameter("Search") ?? ""
    let group = request.parameter("RoleProductGroup") ?? ""
    let typesText = request.parameter("ResourceTypes") ?? ""
    let expand = request.parameter("Expand")
    if let expand, !["true", "false"].contains(expand.lowercased()) {
      return TwilioSandbox.error(400, code: 20001, "Expand must be true or false")
    }
    let types = Set(
      typesText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        .filter { !$0.isEmpty })
    let needle = search.lowercased()
    let groupNeedle = group.lowercased()
    var filterQuery: [(String, String)] = []
    if !search.isEmpty { filterQuery.append(("Search", search)) }
    if !group.isEmpty { filterQuery.append(("RoleProductGroup", group)) }
    if !typesText.isEmpty { filterQuery.append(("ResourceTypes", typesText)) }
    if let expand { filterQuery.append(("Expand", expand)) }
    let filters = filterQuery.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{1F}")
    let tokens = PageTokens(seed: data.seed, route: .twilioRoles)
    var offset = 0
    if let token = request.parameter("PageToken") {
      do throws(PageTokens.Failure) {
        offset = try tokens.offset(of: token, filters: filters)
      } catch .filtersChanged {
        return TwilioSandbox.error(
          400, code: 20001, "PageToken does not match the filters of this request")
      } catch {
        return TwilioSandbox.error(400, code: 20001, "Invalid PageToken")
      }
    }
    // Indexed once per filter (all roles: no index at all) and each role's JSON made once:
    // a page costs the same whatever the number of roles.
    let matches: IndexList
    if needle.isEmpty, groupNeedle.isEmpty, types.isEmpty {
      matches = .all(data.roleCount)
    } else {
      let data = self.data
      matches = .some(
        await cache.indices(for: "twilio-roles:" + filters) {
          (0..<data.roleCount).filter { index in
            let role = data.role(index)
            if !needle.isEmpty, !role.friendlyName.lowercased().contains(needle),
              !role.sid.lowercased().contains(needle)
            {
              return false
            }
            if !groupNeedle.isEmpty, role.productGroup != groupNeedle { return false }
            if !types.isEmpty {
              guard let roleTypes = role.resourceTypes, !types.isDisjoint(with: roleTypes) else {
                return false
              }
            }
            return true
          }
        })
    }
    let end = min(matches.count, offset + size)
    var json = JSONBuilder(capacity: 3000 * max(1, end - offset) + 1024)
    json.beginObject()
    json.key("roles")
    json.beginArray()
    if offset < end {
      for position in offset..<end {
        json.record(.twilioRoles, matches[position], cache: records) { index, json in
          data.role(index).write(into: &json)
        }
      }
    }
    json.endArray()
    twilioMeta(
      into: &json, key: "roles", url: origin(of: request) + request.path,
      baseQuery: filterQuery, page: offset / size, pageSize: size,
      nextToken: end < matches.count ? tokens.token(offset: end, filters: filters) : nil,
      hasPrevious: offset > 0)
    json.endObject()
    return .json(200, json)
  }
}

/// An error answer carried through a `Result`.
struct SandboxResponseError: Error {
  var response: SandboxResponse
  init(_ response: SandboxResponse) { self.response = response }
}

// MARK: Account records

extension SandboxData {
  var twilioOrganizationSID: String {
    "OR" + IDText.recordHex(seed: seed, stream: .organization, index: 1)
  }

  func twilioAccountSID(_ index: Int) -> String {
    "AC"
      + IDText.recordHex(
        seed: seed, stream: .twilioAccounts, index: identity(.twilioAccounts, index))
  }

  func writeTwilioAccount(_ index: Int, into json: inout JSONBuilder) {
    let change = laterChange(.twilioAccounts, index)
    let index = identity(.twilioAccounts, index)
    let h = Mix.hash(seed, .twilioAccounts, index, 0x57)
    let statuses = [
      "active", "active", "active", "active", "suspended", "pending_closure", "closed",
    ]
    json.beginObject()
    json.field("account_sid", twilioAccountSID(index))
    json.field("friendly_name", displayName(.twilioAccounts, index, change))
    json.field("status", change == .closed ? "closed" : statuses[Int(h % UInt64(statuses.count))])
    json.field("owner_sid", "US" + IDText.hex16(Mix.splitmix(h)) + IDText.hex16(h))
    json.field("date_created", Timestamp.iso8601(date(.twilioAccounts, index, salt: 1)))
    json.endObject()
  }
}

// MARK: Role records

/// One generated Twilio role, before it is written as JSON (filters need its fields).
struct SandboxRole: Sendable {
  var sid: String
  var friendlyName: String
  var externalDescription: String
  var productGroup: String
  var productGroupName: String
  var lowestLevel: String
  var allow: [String]
  var deny: [String]?
  var resourceTypes: [String]?
  var dateCreated: String
  var dateUpdated: String

  func write(into json: inout JSONBuilder) {
    json.beginObject()
    json.field("sid", sid)
    json.field("friendly_name", friendlyName)
    json.field("external_description", externalDescription)
    json.field("product_group", productGroup)
    json.field("lowest_level", lowestLevel)
    json.key("role_product_group")
    json.beginObject()
    json.field("product_group", productGroup)
    json.field("friendly_name", productGroupName)
    json.endObject()
    json.key("policy")
    json.beginObject()
    json.key("allow")
    json.stringArray(allow)
    json.key("deny")
    json.stringArray(deny)
    json.field("format", int: 1)
    json.endObject()
    json.key("resource_types")
    json.stringArray(resourceTypes)
    json.field("date_created", dateCreated)
    json.field("date_updated", dateUpdated)
    json.endObject()
  }
}

extension SandboxData {
  private struct ProductGroup {
    var id: String
    var name: String
    var resources: [String]
  }

  private static let groups = [
    ProductGroup(
      id: "billing", name: "Billing",
      resources: [
        "invoices", "billing-profile", "payment-methods", "receipts", "usage-records",
        "invoice.statements",
      ]),
    ProductGroup(
      id: "messaging", name: "Messaging",
      resources: ["services", "messages", "senders", "a2p-brands", "campaigns", "short-codes"]),
    ProductGroup(
      id: "voice", name: "Voice",
      resources: ["calls", "recordings", "conferences", "sip-domains", "trunks", "queues"]),
    ProductGroup(
      id: "iam", name: "Identity and Access",
      resources: ["users", "role-assignments", "oauth-apps", "api-keys", "sso-settings"]),
    ProductGroup(
      id: "numbers", name: "Phone Numbers",
      resources: ["incoming-numbers", "regulatory-bundles", "addresses", "hosted-numbers"]),
    ProductGroup(
      id: "verify", name: "Verify",
      resources: ["services", "verifications", "templates", "rate-limits"]),
    ProductGroup(
      id: "flex", name: "Flex",
      resources: ["workspaces", "workers", "task-queues", "insights", "plugins"]),
    ProductGroup(id: "studio", name: "Studio", resources: ["flows", "executions", "revisions"]),
    ProductGroup(
      id: "conversations", name: "Conversations",
      resources: ["services", "conversations", "participants", "webhooks"]),
    ProductGroup(id: "video", name: "Video", resources: ["rooms", "compositions", "recordings"]),
  ]

  private static let tiers = [
    "Viewer", "Admin", "Editor", "Operator", "Auditor", "Manager", "Analyst", "Support Agent",
    "Developer", "Owner",
  ]
  private static let actions = ["read", "list", "create", "update", "delete"]
  private static let resourceTypeNames = [
    "account", "subaccount", "messaging-service", "phone-number", "flex-workspace",
    "verify-service",
  ]
  private static let levels = ["ORGANIZATION", "ACCOUNT", "SUB_ACCOUNT"]

  /// The actions a tier is granted on its own product group's resources.
  private static func tierActions(_ tier: String) -> [String] {
    switch tier {
    case "Viewer", "Auditor", "Analyst": return ["read", "list"]
    case "Editor", "Developer": return ["read", "list", "create", "update"]
    case "Operator", "Support Agent": return ["read", "list", "update"]
    default: return actions
    }
  }

  /// `/twilio/billing/invoices/read` → `/Twilio/Billing/invoices/READ`.
  private static func mixedCase(_ permission: String) -> String {
    var segments = permission.split(separator: "/", omittingEmptySubsequences: false).map(
      String.init)
    for i in segments.indices where !segments[i].isEmpty && segments[i] != "*" {
      if i <= 2 {
        segments[i] = segments[i].prefix(1).uppercased() + segments[i].dropFirst()
      } else if i == segments.count - 1 {
        segments[i] = segments[i].uppercased()
      }
    }
    return segments.joined(separator: "/")
  }

  func role(_ index: Int) -> SandboxRole {
    let groups = Self.groups
    let group = groups[index % groups.count]
    let tier = Self.tiers[(index / groups.count) % Self.tiers.count]
    let round = index / (groups.count * Self.tiers.count)
    let h = Mix.hash(seed, .twilioRoles, index, 0x66)
    var name = "\(group.name) \(tier)"
    if round > 0 { name += " (custom \(round))" }

    var allow: [String] = []
    var seen = Set<String>()
    func add(_ permission: String) {
      if seen.insert(permission).inserted { allow.append(permission) }
    }
    switch tier {
    case "Owner":
      add("/twilio/\(group.id)/*")
      if h % 3 == 0 { add("/twilio/*") }
    case "Admin", "Manager":
      for resource in group.resources { add("/twilio/\(group.id)/\(resource)/*") }
    case "Auditor":
      // Overlaps every group's entries without covering or being covered by them.
      add("/twilio/*/read")
    case "Operator":
      add("/twilio/\(group.id)/users/*")
    default: break
    }
    for resource in group.resources {
      for action in Self.tierActions(tier) { add("/twilio/\(group.id)/\(resource)/\(action)") }
    }
    // Cross-group read access up to a size of 10–80 permissions, as real roles have.
    let target = 10 + Int(h % 71)
    var step = 0
    while allow.count < target, step < 400 {
      let other = groups[Int(Mix.hash(seed, .twilioRoles, index, UInt64(step) + 1000) % 10)]
      let resource = other.resources[step % other.resources.count]
      let action = step % 9 == 8 ? "*" : Self.actions[step / 3 % 2]
      add("/twilio/\(other.id)/\(resource)/\(action)")
      step += 1
    }

    // Custom roles are written by hand, in any case: /Twilio/Billing/invoices/READ.
    if round > 0, h % 4 == 1 { allow = allow.map(Self.mixedCase) }

    var deny: [String]?
    switch (h >> 8) % 10 {
    case 0, 1:
      deny = [
        "/twilio/billing/payment-methods/*", "/twilio/\(group.id)/\(group.resources[0])/delete",
      ]
    case 2:
      deny = ["/twilio/iam/api-keys/create", "/twilio/iam/api-keys/delete"]
    case 3 where tier == "Owner" || tier == "Admin":
      deny = ["/twilio/iam/*"]
    case 4 where index % 4 == 0:
      deny = []
    default:
      deny = nil
    }

    // Two special roles of the first round, for audits to find:
    // the identity Owner holds everything but may delete nothing;
    if round == 0, tier == "Owner", group.id == "iam" {
      allow = ["*"]
      deny = ["/twilio/*/delete"]
    }
    // each Analyst grants exactly what the Viewer of its group grants, written otherwise
    // (other case, other order, one entry that another already covers).
    if round == 0, tier == "Analyst" {
      let viewer = role(index % groups.count)
      allow = viewer.allow.reversed().map(Self.mixedCase)
      if let first = viewer.allow.first { allow.append(first) }
      deny = viewer.deny?.map(Self.mixedCase)
    }

    var resourceTypes: [String]?
    if (h >> 16) % 5 < 2 {
      let count = 1 + Int((h >> 20) % 3)
      let start = Int((h >> 24) % UInt64(Self.resourceTypeNames.count))
      resourceTypes = (0..<count).map {
        Self.resourceTypeNames[(start + $0) % Self.resourceTypeNames.count]
      }
    }

    let created = 1_700_000_000 + Int64((h >> 28) % 40_000_000)
    let description =
      tier == "Viewer" || tier == "Auditor"
      ? "View-only access to \(group.name.lowercased()) resources within the organization"
      : "\(tier) access to \(group.name.lowercased()) resources (\(allow.count) permissions)"
    var role = SandboxRole(
      sid: "IX" + IDText.recordHex(seed: seed, stream: .twilioRoles, index: index),
      friendlyName: name,
      externalDescription: description,
      productGroup: group.id,
      productGroupName: group.name,
      lowestLevel: Self.levels[Int((h >> 32) % 3)],
      allow: allow,
      deny: deny,
      resourceTypes: resourceTypes,
      dateCreated: Timestamp.iso8601(created),
      dateUpdated: Timestamp.iso8601(created + Int64((h >> 40) % 9_000_000)))
    widened(&role, index: index)
    return role
  }

  /// Later, every seventeenth role (from the third) also allows everything of identity
  /// and access: the kind of widening an audit must catch.
  func widened(_ role: inout SandboxRole, index: Int) {
    guard epoch == .later, index % 17 == 2 else { return }
    role.allow.append("/twilio/iam/*")
    role.dateUpdated = "2026-11-30T09:00:00Z"
  }
}
