import Foundation
import NIOHTTP1
import OrgScopeCore
import OrgScopeSandbox
import Testing

@Suite struct HuaweiSandboxTests {
  private func listAll(
    _ client: SandboxClient, query: String
  ) async throws -> [[String: Any]] {
    var accounts: [[String: Any]] = []
    var marker: String?
    repeat {
      var path = "/huawei/v1/organizations/accounts?" + query
      if let marker { path += "&marker=\(marker)" }
      let reply = try await client.huawei(path)
      try #require(reply.status == 200, "\(reply.text)")
      #expect(reply.headers.first(name: "X-Request-Id") != nil)
      let json = try #require(reply.json)
      let page = json.objects("accounts")
      accounts += page
      let info = try #require(json.object("page_info"))
      #expect(info["current_count"] as? Int == page.count)
      marker = info["next_marker"] as? String
      if marker == nil { #expect(info["next_marker"] is NSNull) }
    } while marker != nil
    return accounts
  }

  @Test func signedRequestsPageToTheEnd() async throws {
    try await withSandbox { _, client in
      let accounts = try await listAll(client, query: "limit=40")
      #expect(accounts.count == 237)
      #expect(Set(accounts.compactMap { $0["id"] as? String }).count == 237)
      for account in accounts {
        for key in ["id", "urn", "join_method", "joined_at", "name", "status"] {
          #expect(account[key] is String, "missing \(key)")
        }
      }
      let statuses = Set(accounts.compactMap { $0["status"] as? String })
      #expect(statuses.contains("active") && statuses.contains("ACTIVE"))
      let defaultLimit = try await listAll(client, query: "")
      #expect(defaultLimit.count == 237)
    }
  }

  @Test func parentIDsPartitionTheAccounts() async throws {
    try await withSandbox { sandbox, client in
      var seen: [String] = []
      for parent in [sandbox.huaweiRootID] + sandbox.huaweiOUIDs {
        let accounts = try await listAll(client, query: "parent_id=\(parent)&limit=13")
        #expect(!accounts.isEmpty)
        seen += accounts.compactMap { $0["id"] as? String }
      }
      #expect(seen.count == 237)
      #expect(Set(seen).count == 237)
      let missing = try await client.huawei(
        "/huawei/v1/organizations/accounts?parent_id=ou-zzzzzzzzzzzz")
      #expect(missing.status == 404)
      #expect((missing.json?["error_code"] as? String)?.hasPrefix("Organizations.") == true)
      #expect(missing.json?["error_msg"] is String)
      #expect(missing.headers.first(name: "X-Request-Id") != nil)
    }
  }

  @Test func contactInfoAddsFieldsWithLiteralNullCommaAndCapsLimit() async throws {
    try await withSandbox { _, client in
      let accounts = try await listAll(client, query: "with_register_contact_info=true&limit=200")
      #expect(accounts.count == 237)
      #expect(accounts.allSatisfy { $0.keys.contains("mobile_phone") })
      #expect(accounts.contains { $0["mobile_phone"] as? String == "null," })
      #expect(accounts.contains { $0["email"] is NSNull })
      let plain = try await listAll(client, query: "limit=2000")
      #expect(plain.allSatisfy { $0["mobile_phone"] == nil })
      let over = try await client.huawei(
        "/huawei/v1/organizations/accounts?with_register_contact_info=true&limit=201")
      #expect(over.status == 400)
      let tooMany = try await client.huawei("/huawei/v1/organizations/accounts?limit=2001")
      #expect(tooMany.status == 400)
    }
  }

  @Test func wrongSignatureOldDateAndMissingAuthAreRefused() async throws {
    try await withSandbox { sandbox, client in
      let wrongKey = try await client.huawei(
        "/huawei/v1/organizations/accounts?limit=5", secretKey: "not-the-secret")
      #expect(wrongKey.status == 401)
      #expect(wrongKey.json?["error_code"] as? String == "APIGW.0301")
      #expect(wrongKey.headers.first(name: "X-Request-Id") != nil)

      let old = try await client.huawei(
        "/huawei/v1/organizations/accounts", date: Date().addingTimeInterval(-16 * 60))
      #expect(old.status == 401)
      let recent = try await client.huawei(
        "/huawei/v1/organizations/accounts", date: Date().addingTimeInterval(-14 * 60))
      #expect(recent.status == 200)

      #expect(try await client.send("/huawei/v1/organizations/accounts").status == 401)

      // A signature for one query does not cover another.
      var spec = HTTPRequestSpec(url: sandbox.baseURL + "/huawei/v1/organizations/accounts?limit=5")
      try HuaweiSigner.sign(
        &spec, accessKey: SandboxCredentials.huaweiAccessKey,
        secretKey: SandboxCredentials.huaweiSecretKey, securityToken: nil, date: Date())
      let replayed = try await client.send(
        "/huawei/v1/organizations/accounts?limit=6",
        headers: spec.headers.map { ($0.name, $0.value) })
      #expect(replayed.status == 401)
    }
  }

  @Test func temporaryCredentialsNeedTheSecurityToken() async throws {
    try await withSandbox(SandboxOptions(accounts: 10, huaweiTemporaryCredentials: true)) {
      sandbox, client in
      #expect(
        sandbox.environment["HUAWEICLOUD_SDK_SECURITY_TOKEN"]
          == SandboxCredentials.huaweiSecurityToken)
      let without = try await client.huawei("/huawei/v1/organizations/accounts")
      #expect(without.status == 401)
      let with = try await client.huawei(
        "/huawei/v1/organizations/accounts",
        securityToken: SandboxCredentials.huaweiSecurityToken)
      #expect(with.status == 200)
    }
  }
}
