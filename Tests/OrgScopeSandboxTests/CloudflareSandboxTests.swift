import Foundation
import OrgScopeSandbox
import Testing

@Suite struct CloudflareSandboxTests {
  let tokenAuth = [("Authorization", "Bearer \(SandboxCredentials.cloudflareAPIToken)")]
  private let keyAuth = [
    ("X-Auth-Email", SandboxCredentials.cloudflareEmail),
    ("X-Auth-Key", SandboxCredentials.cloudflareAPIKey),
  ]

  func accountsPath(_ sandbox: RunningSandbox) -> String {
    "/cloudflare/client/v4/organizations/\(sandbox.cloudflareOrganizationID)/accounts"
  }

  /// Every page of a listing; `query` is resent with each page token, as the API requires.
  private func list(
    _ client: SandboxClient, query: String, headers: [(String, String)]
  ) async throws -> (accounts: [[String: Any]], total: Int?) {
    var accounts: [[String: Any]] = []
    var pageToken: String?
    var total: Int?
    repeat {
      var path = accountsPath(client.sandbox) + "?" + query
      if let pageToken { path += "&page_token=\(pageToken)" }
      let reply = try await client.send(path, headers: headers)
      try #require(reply.status == 200, "\(reply.text)")
      let json = try #require(reply.json)
      #expect(json["success"] as? Bool == true)
      #expect((json["errors"] as? [Any])?.isEmpty == true)
      accounts += json.objects("result")
      let info = try #require(json.object("result_info"))
      total = info["total_size"] as? Int
      pageToken = info["next_page_token"] as? String
    } while pageToken != nil
    return (accounts, total)
  }

  @Test func accountsPageToTheEndWithEitherCredentialPair() async throws {
    try await withSandbox { _, client in
      for auth in [tokenAuth, keyAuth] {
        let (accounts, total) = try await list(client, query: "page_size=50", headers: auth)
        #expect(accounts.count == 237)
        #expect(total == 237)
        #expect(Set(accounts.compactMap { $0["id"] as? String }).count == 237)
      }
      let (small, _) = try await list(client, query: "", headers: tokenAuth)
      #expect(small.count == 237)
    }
  }

  @Test func accountsCarryNullNamesNullableSettingsAndManagedBy() async throws {
    try await withSandbox(SandboxOptions(accounts: 400)) { _, client in
      let (accounts, _) = try await list(client, query: "page_size=50", headers: tokenAuth)
      #expect(accounts.contains { $0["name"] is NSNull })
      #expect(accounts.contains { $0["managed_by"] is [String: Any] })
      #expect(accounts.allSatisfy { $0["settings"] is [String: Any] })
      #expect(
        accounts.contains { ($0["settings"] as? [String: Any])?["api_access_enabled"] is NSNull })
      #expect(accounts.allSatisfy { ["standard", "enterprise"].contains($0["type"] as? String) })
    }
  }

  @Test func nameFiltersMatchCaseInsensitivelyAndExactly() async throws {
    try await withSandbox(SandboxOptions(accounts: 400)) { _, client in
      let (all, _) = try await list(client, query: "page_size=50", headers: tokenAuth)
      func names(_ accounts: [[String: Any]]) -> [String] {
        accounts.compactMap { $0["name"] as? String }
      }
      func expected(_ keep: (String) -> Bool) -> [String] {
        names(all).filter { keep($0.lowercased()) }
      }
      let contains = try await list(
        client, query: "name.contains=ACME&page_size=7", headers: tokenAuth)
      #expect(!contains.accounts.isEmpty)
      #expect(names(contains.accounts) == expected { $0.contains("acme") })
      #expect(contains.total == contains.accounts.count)

      let starts = try await list(client, query: "name.startsWith=glo", headers: tokenAuth)
      #expect(names(starts.accounts) == expected { $0.hasPrefix("glo") })

      let ends = try await list(client, query: "name.endsWith=z%C3%BCrich", headers: tokenAuth)
      #expect(!ends.accounts.isEmpty)
      #expect(names(ends.accounts) == expected { $0.hasSuffix("zürich") })

      let pubname = try await list(
        client, query: "account_pubname.contains=acme", headers: tokenAuth)
      #expect(names(pubname.accounts) == names(contains.accounts))
    }
  }

  @Test func bracketFilterFormIsIgnoredAsTheRealServerDoes() async throws {
    try await withSandbox { _, client in
      let bracket = try await list(
        client, query: "name%5Bcontains%5D=acme&page_size=50", headers: tokenAuth)
      #expect(bracket.accounts.count == 237)
      #expect(bracket.total == 237)
    }
  }

  @Test func pageTokenIsRefusedWhenFiltersAreNotResent() async throws {
    try await withSandbox { sandbox, client in
      let first = try await client.send(
        accountsPath(sandbox) + "?name.contains=a&page_size=5", headers: tokenAuth)
      let token = try #require(first.json?.object("result_info")?["next_page_token"] as? String)
      let dropped = try await client.send(
        accountsPath(sandbox) + "?page_size=5&page_token=\(token)", headers: tokenAuth)
      #expect(dropped.status == 400)
      #expect(dropped.json?["success"] as? Bool == false)
      let error = try #require(dropped.json?.objects("errors").first)
      #expect(error["code"] is Int)
      #expect((error["message"] as? String)?.contains("filters") == true)
      let resent = try await client.send(
        accountsPath(sandbox) + "?name.contains=a&page_size=5&page_token=\(token)",
        headers: tokenAuth)
      #expect(resent.status == 200)
    }
  }

  @Test func orderByAccountNameSortsBothDirections() async throws {
    try await withSandbox { _, client in
      let ascending = try await list(
        client, query: "order_by=account_name&page_size=50", headers: tokenAuth)
      let descending = try await list(
        client, query: "order_by=account_name&direction=desc&page_size=50", headers: tokenAuth)
      let names = ascending.accounts.compactMap { ($0["name"] as? String)?.lowercased() }
      #expect(names == names.sorted())
      #expect(ascending.accounts.count == 237)
      #expect(
        descending.accounts.compactMap { $0["id"] as? String }
          == ascending.accounts.compactMap { $0["id"] as? String }.reversed())
    }
  }

  @Test func wrongCredentialsUnknownOrganizationAndBadPageSizeAreErrors() async throws {
    try await withSandbox { sandbox, client in
      let wrong = try await client.send(
        accountsPath(sandbox), headers: [("Authorization", "Bearer wrong")])
      #expect(wrong.status == 401)
      #expect(wrong.json?["success"] as? Bool == false)
      #expect(wrong.json?["result"] is NSNull)
      #expect(wrong.json?.objects("errors").first?["code"] as? Int == 10000)
      let wrongKey = try await client.send(
        accountsPath(sandbox),
        headers: [("X-Auth-Email", SandboxCredentials.cloudflareEmail), ("X-Auth-Key", "no")])
      #expect(wrongKey.status == 401)
      #expect(try await client.send(accountsPath(sandbox)).status == 400)
      let other = try await client.send(
        "/cloudflare/client/v4/organizations/nope/accounts", headers: tokenAuth)
      #expect(other.status == 404)
      #expect(other.json?.objects("errors").first?["message"] is String)
      #expect(
        try await client.send(accountsPath(sandbox) + "?page_size=51", headers: tokenAuth).status
          == 400)
    }
  }
}

extension CloudflareSandboxTests {
  @Test func emptyFilterValueFiltersNothing() async throws {
    try await withSandbox { sandbox, client in
      let reply = try await client.send(
        accountsPath(sandbox) + "?name.contains=&page_size=5", headers: tokenAuth)
      #expect(reply.json?.object("result_info")?["total_size"] as? Int == 237)
    }
  }
}
