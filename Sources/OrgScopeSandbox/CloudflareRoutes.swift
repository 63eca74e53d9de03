import OrgScopeCore

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
      return ProviderError.cloudflare(401, code: 10000, "Authentication error")
    }
    let email = request.header("X-Auth-Email")
    let key = request.header("X-Auth-Key")
    if email == nil, key == nil {
      return ProviderError.cloudflare(
        400, code: 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
    }
    if email?.lowercased() == SandboxCredentials.cloudflareEmail,
      key == SandboxCredentials.cloudflareAPIKey
    {
      return nil
    }
    return ProviderError.cloudflare(401, code: 10000, "Authentication error")
  }

  /// `GET /cloudflare/client/v4/organizations/{organization_id}/accounts`.
  func cloudflareAccounts(_ request: SandboxRequest, organization: String) async
    -> SandboxResponse
  {
    guard request.method == "GET" else {
      return ProviderError.cloudflare(405, code: 10405, "Method not allowed")
    }
    if let failure = cloudflareAuthFailure(request) { return failure }
    guard organization == data.cloudflareOrganizationID else {
      return ProviderError.cloudflare(
        404, code: 7003,
        "Could not route to /organizations/\(organization)/accounts, perhaps your object "
          + "identifier is invalid?")
    }
    var size = 10
    if let text = request.parameter("page_size") {
      guard let value = Int(text), (1...50).contains(value) else {
        return ProviderError.cloudflare(400, code: 1004, "page_size must be between 1 and 50")
      }
      size = value
    }
    let orderBy = request.parameter("order_by")
    if let orderBy, orderBy != "account_name" {
      return ProviderError.cloudflare(
        400, code: 1004, "order_by must be 'account_name', not '\(orderBy)'")
    }
    let direction = request.parameter("direction")
    if let direction, direction != "asc", direction != "desc" {
      return ProviderError.cloudflare(400, code: 1004, "direction must be 'asc' or 'desc'")
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
        return ProviderError.cloudflare(
          400, code: 1004,
          "page_token does not match this request: filters used to retrieve the list must "
            + "remain in subsequent requests with a page token")
      } catch {
        return ProviderError.cloudflare(400, code: 1004, "Invalid page_token")
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

/// Record indices of a listing: all of them in id order, or a filtered/sorted list.
enum IndexList {
  case all(Int)
  case some([Int])

  var count: Int {
    switch self {
    case .all(let count): return count
    case .some(let list): return list.count
    }
  }

  subscript(position: Int) -> Int {
    switch self {
    case .all: return position
    case .some(let list): return list[position]
    }
  }
}

/// Filtered and sorted index lists by filter key: paging through a search of 100,000
/// accounts scans the names once, not once per page.
actor IndexCache {
  private var entries: [String: [Int]] = [:]
  private var order: [String] = []
  private let capacity = 32

  func indices(for key: String, compute: @Sendable () -> [Int]) -> [Int] {
    if let hit = entries[key] { return hit }
    let value = compute()
    entries[key] = value
    order.append(key)
    if order.count > capacity { entries[order.removeFirst()] = nil }
    return value
  }
}
