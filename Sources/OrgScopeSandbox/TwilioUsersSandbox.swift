import Foundation
import OrgScopeCore

/// Twilio's people: SCIM users (`GET /Organizations/{OrganizationSid}/scim/Users`, one
/// ListResponse as `application/scim+json`, errors as `ScimError`) and role assignments
/// (`GET /Organizations/{OrganizationSid}/RoleAssignments`, by `Identity` and/or `Scope`,
/// paged like the accounts; neither is refused with Twilio error 25203), on the preview IAM
/// host, consistent with the sandbox's Twilio accounts and roles.
struct TwilioUsersSandbox: SandboxProvider {
  let endpoints = [
    SandboxEndpoint(
      .twilioUsers, "/Organizations/{OrganizationSid}/scim/Users", prefix: "twilio-preview-iam"
    ) { api, call in
      await api.scimUsers(call.request, organization: call.captured[0])
    },
    SandboxEndpoint(
      .twilioRoleAssignments, "/Organizations/{OrganizationSid}/RoleAssignments",
      prefix: "twilio-preview-iam"
    ) { api, call in
      await api.roleAssignments(call.request, organization: call.captured[0])
    },
  ]
  // The prefix is the accounts' (TwilioSandbox answers unknown paths below it).
  let legacyPrefixes: [String] = []

  func errorBody(status: Int, message: String, requestID: String) -> SandboxResponse {
    Self.scimError(status, message, code: status == 429 ? 20429 : nil)
  }

  func notFound(_ message: String, requestID: String) -> SandboxResponse {
    Self.scimError(404, message)
  }

  /// The Twilio variables are the accounts tab's (`TwilioSandbox`).
  func environment(baseURL: String, data: SandboxData, options: SandboxOptions)
    -> [SandboxVariable]
  { [] }

  /// `ScimError`: `{schemas, detail, status (a string), scimType?, code?, moreInfo?}`.
  static func scimError(_ status: Int, _ detail: String, scimType: String? = nil, code: Int? = nil)
    -> SandboxResponse
  {
    var json = JSONBuilder(capacity: 256)
    json.beginObject()
    json.key("schemas")
    json.stringArray(["urn:ietf:params:scim:api:messages:2.0:Error"])
    json.field("detail", detail)
    json.field("status", String(status))
    if let scimType { json.field("scimType", scimType) }
    if let code {
      json.field("code", int: code)
      json.field("moreInfo", "https://www.twilio.com/docs/errors/\(code)")
    }
    json.endObject()
    return scim(status, json)
  }

  static func scim(_ status: Int, _ json: JSONBuilder) -> SandboxResponse {
    SandboxResponse(
      status: status, headers: [Header("Content-Type", "application/scim+json")],
      body: json.bytes)
  }

  /// Users one SCIM answer lists at most; `totalResults` still counts them all.
  static let maxResults = 5_000
}

extension SandboxRoute {
  public static let twilioUsers = SandboxRoute(
    "twilio-users", source: .twilioUsers, listKey: "Resources")
  /// Role assignments serve no tab of their own.
  public static let twilioRoleAssignments = SandboxRoute(
    "twilio-role-assignments", source: nil, listKey: "content")
}

extension Mix.Stream {
  static let twilioUsers = Mix.Stream(rawValue: 0x7477_7573)
  static let twilioAssignments = Mix.Stream(rawValue: 0x7477_6173)
}

extension RunningSandbox {
  /// The users served, by sid, in the sandbox's order (for tests).
  public var twilioUserSIDs: [String] {
    data.twilioUsers(count: options.users).map(\.sid)
  }
}

// MARK: The endpoints

extension SandboxAPI {
  /// `GET /Organizations/{OrganizationSid}/scim/Users[?filter=userName eq "…"]`.
  fileprivate func scimUsers(_ request: SandboxRequest, organization: String) async
    -> SandboxResponse
  {
    guard request.method == "GET" else {
      return TwilioUsersSandbox.scimError(405, "Method not allowed")
    }
    if let failure = await twilioAuthFailure(request) {
      let message =
        (try? JSONParser.parse(failure.bytes))?.object?["message"]?.string ?? "Unauthorized"
      return TwilioUsersSandbox.scimError(failure.status, message, code: 20003)
    }
    guard organization == data.twilioOrganizationSID else {
      return TwilioUsersSandbox.scimError(
        404, "The requested resource /Organizations/\(organization)/scim/Users was not found")
    }
    var users = data.twilioUsers(count: options.users)
    if let filter = request.parameter("filter") {
      guard let wanted = Self.userNameFilter(filter) else {
        return TwilioUsersSandbox.scimError(
          400, "Unsupported filter: only userName eq \"…\" is supported",
          scimType: "invalidFilter")
      }
      users = users.filter { $0.userName.lowercased() == wanted.lowercased() }
    }
    let listed = users.prefix(TwilioUsersSandbox.maxResults)
    var json = JSONBuilder(capacity: 700 * listed.count + 256)
    json.beginObject()
    json.key("schemas")
    json.stringArray(["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
    json.field("totalResults", int: users.count)
    json.key("Resources")
    json.beginArray()
    for user in listed { user.write(into: &json) }
    json.endArray()
    json.endObject()
    return TwilioUsersSandbox.scim(200, json)
  }

  /// The value of `userName eq "value"` (attribute and operator in any case), nil for any
  /// other filter.
  static func userNameFilter(_ filter: String) -> String? {
    let parts = filter.split(separator: " ", maxSplits: 2)
    guard parts.count == 3, parts[0].lowercased() == "username", parts[1].lowercased() == "eq",
      parts[2].count >= 2, parts[2].hasPrefix("\""), parts[2].hasSuffix("\"")
    else { return nil }
    return String(parts[2].dropFirst().dropLast())
  }

  /// `GET /Organizations/{OrganizationSid}/RoleAssignments?Identity=US…&Scope=…`.
  fileprivate func roleAssignments(_ request: SandboxRequest, organization: String) async
    -> SandboxResponse
  {
    guard request.method == "GET" else {
      return TwilioSandbox.error(405, code: 20004, "Method not allowed")
    }
    if let failure = await twilioAuthFailure(request) { return failure }
    guard organization == data.twilioOrganizationSID else {
      return TwilioSandbox.error(
        404, code: 20404,
        "The requested resource /Organizations/\(organization)/RoleAssignments was not found")
    }
    let identity = request.parameter("Identity")
    let scope = request.parameter("Scope")
    for (name, value) in [("Identity", identity), ("Scope", scope)] {
      if let value, !Self.isSid(value) {
        return TwilioSandbox.error(400, code: 20001, "Invalid \(name): \(value)")
      }
    }
    guard identity != nil || scope != nil else {
      return TwilioSandbox.error(
        400, code: 25203, "Listing role assignments requires query parameters")
    }
    let size: Int
    switch pageSize(request, default: 100, maximum: 100) {
    case .success(let value): size = value
    case .failure(let error): return error.response
    }
    var matches: [SandboxAssignment] = []
    // One user is found by its sid alone: a thousand users' lists cost a thousand users.
    let candidates =
      identity.map { sid in data.twilioUser(sid: sid, count: options.users).map { [$0] } ?? [] }
      ?? data.twilioUsers(count: options.users)
    for user in candidates {
      for assignment in data.twilioAssignments(of: user, users: options.users)
      where scope == nil || assignment.scope == scope {
        matches.append(assignment)
      }
    }
    var filterQuery: [(String, String)] = []
    if let identity { filterQuery.append(("Identity", identity)) }
    if let scope { filterQuery.append(("Scope", scope)) }
    let filters = filterQuery.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{1F}")
    let tokens = PageTokens(seed: data.seed, route: .twilioRoleAssignments)
    var offset = 0
    if let token = request.parameter("PageToken") {
      do throws(PageTokens.Failure) {
        offset = try tokens.offset(of: token, filters: filters)
      } catch {
        return TwilioSandbox.error(400, code: 20001, "Invalid PageToken")
      }
    }
    let end = min(matches.count, offset + size)
    var json = JSONBuilder(capacity: 200 * max(1, end - offset) + 1024)
    json.beginObject()
    json.key("content")
    json.beginArray()
    if offset < end {
      for assignment in matches[offset..<end] { assignment.write(into: &json) }
    }
    json.endArray()
    twilioMeta(
      into: &json, key: "content", url: origin(of: request) + request.path,
      baseQuery: filterQuery, page: offset / size, pageSize: size,
      nextToken: end < matches.count ? tokens.token(offset: end, filters: filters) : nil,
      hasPrevious: offset > 0)
    json.endObject()
    return .json(200, json)
  }

  /// `^[A-Z]{2}[0-9a-fA-F]{32}$`.
  static func isSid(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 34 else { return false }
    return bytes[0..<2].allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
      && bytes[2...].allSatisfy {
        ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66)
      }
  }
}

extension SandboxResponse {
  /// The body, when it is whole bytes.
  fileprivate var bytes: [UInt8] {
    if case .bytes(let bytes) = body { return bytes }
    return []
  }
}

// MARK: People

/// One generated SCIM user.
struct SandboxUser: Sendable {
  var index: Int
  var sid: String
  var userName: String
  var displayName: String
  var givenName: String
  var familyName: String
  var active: Bool
  var locale: String
  var timezone: String
  var created: Int64

  func write(into json: inout JSONBuilder) {
    json.beginObject()
    json.key("schemas")
    json.stringArray(["urn:ietf:params:scim:schemas:core:2.0:User"])
    json.field("id", sid)
    json.field("externalId", "ext-\(index)")
    json.field("userName", userName)
    json.field("displayName", displayName)
    json.key("name")
    json.beginObject()
    json.field("givenName", givenName)
    json.field("familyName", familyName)
    json.endObject()
    json.key("emails")
    json.beginArray()
    json.beginObject()
    json.field("primary", bool: true)
    json.field("value", userName)
    json.field("type", "work")
    json.endObject()
    json.endArray()
    json.field("active", bool: active)
    json.field("locale", locale)
    json.field("timezone", timezone)
    json.key("meta")
    json.beginObject()
    json.field("resourceType", "User")
    json.field("created", Timestamp.iso8601(created))
    json.field("lastModified", Timestamp.iso8601(created + 86_400 * Int64(index % 300)))
    json.field("version", "W/\"\(IDText.hex16(UInt64(created)).suffix(8))\"")
    json.endObject()
    json.endObject()
  }
}

/// One generated role assignment.
struct SandboxAssignment: Sendable, Hashable {
  var sid: String
  var roleSID: String
  var scope: String
  var identity: String

  func write(into json: inout JSONBuilder) {
    json.beginObject()
    json.field("sid", sid)
    json.field("role_sid", roleSID)
    json.field("scope", scope)
    json.field("identity", identity)
    json.endObject()
  }
}

extension SandboxData {
  private static let givenNames = [
    "Ana", "Ben", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi",
    "Lena", "Mateo", "Noor", "Olga", "Priya", "Quentin", "Rosa", "Sven", "Tomás", "Uma", "Wei",
    "Yara", "Zoë",
  ]
  private static let familyNames = [
    "Silva", "Okafor", "Müller", "Nakamura", "Kowalski", "García", "Haddad", "Johansson", "Kim",
    "Novak", "O'Brien", "Petrov", "Rossi", "Singh", "Tanaka", "Weber", "Yılmaz", "Zhang",
  ]
  private static let wideNames = ["山田 太郎", "김 민준", "王 芳", "佐藤 花子"]
  private static let timezones = [
    "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London", "America/Sao_Paulo",
  ]

  /// Users of the initial epoch that the later one no longer has (they left).
  private func leftLater(_ index: Int) -> Bool {
    epoch == .later && index >= 6 && Mix.hash(seed, .twilioUsers, index, 0x1E) % 23 == 0
  }

  /// Users of the initial epoch that the later one has deactivated.
  private func deactivatedLater(_ index: Int) -> Bool {
    epoch == .later && index >= 6 && Mix.hash(seed, .twilioUsers, index, 0xDE) % 19 == 0
  }

  /// Generator indices of `count` users: the later epoch's joined ones too.
  private func userTotal(_ count: Int) -> Int {
    count + (epoch == .later && count > 0 ? max(2, count / 10) : 0)
  }

  /// The users served, in order: `count` of them (the later epoch: some left, some joined).
  func twilioUsers(count: Int) -> [SandboxUser] {
    (0..<userTotal(count)).filter { !leftLater($0) }.map { twilioUser($0) }
  }

  /// The user served with this sid, if there is one.
  func twilioUser(sid: String, count: Int) -> SandboxUser? {
    guard sid.hasPrefix("US"),
      let index = IDText.index(ofRecordHex: sid.dropFirst(2), seed: seed, stream: .twilioUsers),
      index < userTotal(count), !leftLater(index)
    else { return nil }
    return twilioUser(index)
  }

  func twilioUserSID(_ index: Int) -> String {
    "US" + IDText.recordHex(seed: seed, stream: .twilioUsers, index: index)
  }

  func twilioUser(_ index: Int) -> SandboxUser {
    let h = Mix.hash(seed, .twilioUsers, index, 0x55)
    let given = Self.givenNames[Int(h % UInt64(Self.givenNames.count))]
    let family = Self.familyNames[Int((h >> 8) % UInt64(Self.familyNames.count))]
    var display = "\(given) \(family)"
    if index == 4 || (index > 6 && h % 50 == 7) {
      display = Self.hostileNames[Int((h >> 16) % UInt64(Self.hostileNames.count))]
    } else if index == 2 || (index > 6 && h % 25 == 3) {
      display = Self.wideNames[Int((h >> 16) % UInt64(Self.wideNames.count))]
    }
    let handle =
      (given + "." + family).folding(options: .diacriticInsensitive, locale: nil).lowercased()
      .unicodeScalars.filter {
        $0.isASCII && ($0.properties.isAlphabetic || $0 == ".")
      }.map(String.init).joined()
    return SandboxUser(
      index: index, sid: twilioUserSID(index), userName: "\(handle)\(index)@example.com",
      displayName: display, givenName: given, familyName: family,
      active: index != 5 && (index < 6 || h % 11 != 0) && !deactivatedLater(index),
      locale: index % 3 == 0 ? "de-DE" : "en-US",
      timezone: Self.timezones[Int((h >> 24) % UInt64(Self.timezones.count))],
      created: date(.twilioUsers, index, salt: 3))
  }

  /// The role of generator index `index` (clamped into the roles served), by sid.
  private func roleSID(_ index: Int) -> String {
    "IX" + IDText.recordHex(seed: seed, stream: .twilioRoles, index: min(index, roleCount - 1))
  }

  /// An account scope: one of the first accounts, so that several people share each.
  private func accountScope(_ pick: UInt64) -> String {
    accountCount == 0
      ? twilioOrganizationSID : twilioAccountSID(Int(pick % UInt64(min(accountCount, 40))))
  }

  /// A user's role assignments. The first users show each case an audit must handle: 0 holds
  /// the identity Owner (`*` but no delete) organization-wide; 1 holds the Billing Owner
  /// organization-wide and the identity Owner in an account, whose deny list meets what
  /// the other grants; 2 holds a role that does not exist; 3 holds only the identity Owner
  /// in an account (held back from deleting by its own deny list), and later gains the
  /// Billing Owner organization-wide; 5 is inactive. The rest hold two to four roles at
  /// random, a quarter of them organization-wide.
  func twilioAssignments(of user: SandboxUser, users: Int) -> [SandboxAssignment] {
    guard roleCount > 0 else { return [] }
    let index = user.index
    let organization = twilioOrganizationSID
    // Role generator indices: group + 10 × tier (`role(_:)`): iam is group 3, billing 0,
    // Owner tier 9, Admin tier 1.
    let iamOwner = 93
    let billingOwner = 90
    var held: [(role: String, scope: String)] = []
    switch index {
    case 0: held = [(roleSID(iamOwner), organization)]
    case 1: held = [(roleSID(billingOwner), organization), (roleSID(iamOwner), accountScope(0))]
    case 2:
      let missing =
        "IX" + IDText.recordHex(seed: seed, stream: .twilioRoles, index: roleCount + 1_000)
      held = [(missing, organization), (roleSID(1), accountScope(1))]
    case 3:
      held = [(roleSID(iamOwner), accountScope(1))]
      if epoch == .later { held.append((roleSID(billingOwner), organization)) }
    case 5: held = [(roleSID(11), organization)]
    default:
      let h = Mix.hash(seed, .twilioAssignments, index, 0xA5)
      var count = 2 + Int(h % 3)
      if epoch == .later, h % 13 == 3 { count -= 1 }
      if epoch == .later, h % 17 == 4 { count += 1 }
      for k in 0..<count {
        let pick = Mix.hash(seed, .twilioAssignments, index, UInt64(k) + 1)
        let role = roleSID(Int(pick % UInt64(roleCount)))
        let scope = (pick >> 20) % 4 == 0 ? organization : accountScope(pick >> 24)
        if !held.contains(where: { $0.role == role && $0.scope == scope }) {
          held.append((role, scope))
        }
      }
    }
    return held.enumerated().map { k, pair in
      SandboxAssignment(
        sid: "IY"
          + IDText.recordHex(seed: seed, stream: .twilioAssignments, index: index * 16 + k),
        roleSID: pair.role, scope: pair.scope, identity: user.sid)
    }
  }
}
