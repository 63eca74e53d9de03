import Foundation
import OrgScopeCore

extension SandboxAPI {
  /// `POST /twilio-oauth/v2/token`: client credentials for a short-lived bearer token.
  func twilioToken(_ request: SandboxRequest) async -> SandboxResponse {
    guard request.method == "POST" else {
      return ProviderError.twilio(405, code: 20004, "Method not allowed")
    }
    let form = request.formFields()
    guard let grant = form["grant_type"], !grant.isEmpty else {
      return ProviderError.twilio(400, code: 20001, "Missing required parameter grant_type")
    }
    guard grant == "client_credentials" else {
      return ProviderError.twilio(400, code: 20001, "Unsupported grant_type '\(grant)'")
    }
    guard form["client_id"] == SandboxCredentials.twilioClientID,
      form["client_secret"] == SandboxCredentials.twilioClientSecret
    else {
      return ProviderError.twilio(401, code: 20003, "Invalid client credentials")
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
      return ProviderError.twilio(
        401, code: 20003, "Authentication Error - No credentials provided")
    }
    let token = String(header.dropFirst("Bearer ".count))
    if token == SandboxCredentials.twilioAccessToken { return nil }
    switch await state.check(token: token) {
    case .valid: return nil
    case .expired:
      return ProviderError.twilio(401, code: 20003, "Authentication Error - Token expired")
    case .unknown:
      return ProviderError.twilio(401, code: 20003, "Authentication Error - Invalid token")
    }
  }

  private func pageSize(
    _ request: SandboxRequest, default defaultSize: Int, maximum: Int
  ) -> Result<Int, SandboxResponseError> {
    guard let text = request.parameter("PageSize") else { return .success(defaultSize) }
    guard let size = Int(text), (1...maximum).contains(size) else {
      return .failure(
        SandboxResponseError(
          ProviderError.twilio(
            400, code: 20001, "PageSize must be an integer between 1 and \(maximum)")))
    }
    return .success(size)
  }

  private func twilioMeta(
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

  /// `GET /twilio-preview-iam/Organizations/{OrganizationSid}/Accounts`.
  func twilioAccounts(_ request: SandboxRequest, organization: String) async -> SandboxResponse {
    guard request.method == "GET" else {
      return ProviderError.twilio(405, code: 20004, "Method not allowed")
    }
    if let failure = await twilioAuthFailure(request) { return failure }
    guard organization == data.twilioOrganizationSID else {
      return ProviderError.twilio(
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
        return ProviderError.twilio(400, code: 20001, "Invalid PageToken")
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

  /// `GET /twilio-iam/v2/Organizations/Roles`. `Search` matches `friendly_name` or `sid`
  /// (case-insensitive substring); `RoleProductGroup` is exact; `ResourceTypes` lists types
  /// of which a role must support at least one (any-of), and roles without resource types
  /// never match it; `Expand` must be `true` or `false` and changes nothing here, because
  /// the policy is always included (as in the documented example without `Expand`).
  func twilioRoles(_ request: SandboxRequest) async -> SandboxResponse {
    guard request.method == "GET" else {
      return ProviderError.twilio(405, code: 20004, "Method not allowed")
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
      return ProviderError.twilio(400, code: 20001, "Expand must be true or false")
    }
    let types = Set(
      typesText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        .filter { !$0.isEmpty })
    let needle = search.lowercased()
    let groupNeedle = group.lowercased()
    var matches: [SandboxRole] = []
    for index in 0..<data.roleCount {
      let role = data.role(index)
      if !needle.isEmpty, !role.friendlyName.lowercased().contains(needle),
        !role.sid.lowercased().contains(needle)
      {
        continue
      }
      if !groupNeedle.isEmpty, role.productGroup != groupNeedle { continue }
      if !types.isEmpty {
        guard let roleTypes = role.resourceTypes, !types.isDisjoint(with: roleTypes) else {
          continue
        }
      }
      matches.append(role)
    }
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
        return ProviderError.twilio(
          400, code: 20001, "PageToken does not match the filters of this request")
      } catch {
        return ProviderError.twilio(400, code: 20001, "Invalid PageToken")
      }
    }
    let end = min(matches.count, offset + size)
    var json = JSONBuilder(capacity: 3000 * max(1, end - offset) + 1024)
    json.beginObject()
    json.key("roles")
    json.beginArray()
    if offset < end {
      for role in matches[offset..<end] { role.write(into: &json) }
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
