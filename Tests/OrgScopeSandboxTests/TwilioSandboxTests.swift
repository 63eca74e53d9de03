import Foundation
import NIOHTTP1
import OrgScopeSandbox
import Testing

@Suite struct TwilioSandboxTests {
  @Test func tokenEndpointIssuesBearerTokensForTheDemoClient() async throws {
    try await withSandbox { _, client in
      let reply = try await client.send(
        .POST, "/twilio-oauth/v2/token",
        headers: [("Content-Type", "application/x-www-form-urlencoded")],
        body: "grant_type=client_credentials&client_id=\(SandboxCredentials.twilioClientID)"
          + "&client_secret=\(SandboxCredentials.twilioClientSecret)")
      #expect(reply.status == 200)
      let json = try #require(reply.json)
      #expect((json["access_token"] as? String)?.isEmpty == false)
      #expect(json["expires_in"] as? Int == 3600)
      #expect((json["token_type"] as? String)?.lowercased() == "bearer")
    }
  }

  @Test func tokenEndpointRefusesWrongClientWithTwilioErrorBody() async throws {
    try await withSandbox { _, client in
      let wrong = try await client.send(
        .POST, "/twilio-oauth/v2/token",
        headers: [("Content-Type", "application/x-www-form-urlencoded")],
        body: "grant_type=client_credentials&client_id=\(SandboxCredentials.twilioClientID)"
          + "&client_secret=nope")
      #expect(wrong.status == 401)
      let json = try #require(wrong.json)
      #expect(json["code"] as? Int == 20003)
      #expect(json["status"] as? Int == 401)
      #expect(json["message"] is String)
      #expect(json["more_info"] is String)

      let noGrant = try await client.send(
        .POST, "/twilio-oauth/v2/token", body: "client_id=x&client_secret=y")
      #expect(noGrant.status == 400)
    }
  }

  @Test func accountsPageToTheEndFollowingNextPageURL() async throws {
    try await withSandbox { sandbox, client in
      let token = try await client.twilioToken()
      var next: String? =
        "/twilio-preview-iam/Organizations/\(sandbox.twilioOrganizationSID)/Accounts?PageSize=50"
      var sids: [String] = []
      var pages = 0
      while let path = next {
        let reply = try await client.send(path, headers: [("Authorization", "Bearer \(token)")])
        #expect(reply.status == 200)
        let json = try #require(reply.json)
        let meta = try #require(json.object("meta"))
        #expect(meta["key"] as? String == "content")
        #expect(meta["page_size"] as? Int == 50)
        for account in json.objects("content") {
          let sid = try #require(account["account_sid"] as? String)
          #expect(sid.hasPrefix("AC") && sid.count == 34)
          #expect((account["owner_sid"] as? String)?.hasPrefix("US") == true)
          #expect(account["friendly_name"] is String)
          #expect(account["status"] is String)
          #expect(account["date_created"] is String)
          sids.append(sid)
        }
        pages += 1
        if let url = meta["next_page_url"] as? String {
          next = try pathAndQuery(url, of: sandbox)
          #expect(url.contains("PageSize=50") && url.contains("PageToken="))
        } else {
          #expect(meta["next_page_url"] is NSNull)
          next = nil
        }
      }
      #expect(pages == 5)
      #expect(sids.count == 237)
      #expect(Set(sids).count == 237)
    }
  }

  @Test func accountsRequireBearerKnownOrganizationAndValidPageSize() async throws {
    try await withSandbox { sandbox, client in
      let path = "/twilio-preview-iam/Organizations/\(sandbox.twilioOrganizationSID)/Accounts"
      let anonymous = try await client.send(path)
      #expect(anonymous.status == 401)
      #expect(anonymous.json?["code"] as? Int == 20003)

      let forged = try await client.send(path, headers: [("Authorization", "Bearer forged")])
      #expect(forged.status == 401)

      let token = try await client.twilioToken()
      let auth = [("Authorization", "Bearer \(token)")]
      let otherOrg = try await client.send(
        "/twilio-preview-iam/Organizations/OR00000000000000000000000000000000/Accounts",
        headers: auth)
      #expect(otherOrg.status == 404)
      #expect(otherOrg.json?["code"] as? Int == 20404)
      #expect(otherOrg.json?["status"] as? Int == 404)

      #expect(try await client.send(path + "?PageSize=101", headers: auth).status == 400)
      #expect(try await client.send(path + "?PageSize=0", headers: auth).status == 400)
      #expect(try await client.send(path + "?PageSize=100", headers: auth).status == 200)
      let ready = [("Authorization", "Bearer \(SandboxCredentials.twilioAccessToken)")]
      #expect(try await client.send(path, headers: ready).status == 200)
    }
  }

  @Test func expiredTokensAreRefusedSoRenewalCanBeTested() async throws {
    let clock = SandboxClock()
    let now: @Sendable () -> Date = { clock.now }
    try await withSandbox(SandboxOptions(accounts: 5, roles: 5, tokenLifetimeSeconds: 3), now: now)
    {
      sandbox, client in
      let token = try await client.twilioToken()
      let path = "/twilio-preview-iam/Organizations/\(sandbox.twilioOrganizationSID)/Accounts"
      let auth = [("Authorization", "Bearer \(token)")]
      clock.advance(2.9)
      #expect(try await client.send(path, headers: auth).status == 200)
      clock.advance(0.2)
      let expired = try await client.send(path, headers: auth)
      #expect(expired.status == 401)
      #expect((expired.json?["message"] as? String)?.contains("expired") == true)
      let renewed = try await client.twilioToken()
      #expect(renewed != token)
      #expect(
        try await client.send(path, headers: [("Authorization", "Bearer \(renewed)")]).status
          == 200)
    }
  }

  private func allRoles(
    _ client: SandboxClient, query: String, token: String
  ) async throws -> [[String: Any]] {
    var next: String? = "/twilio-iam/v2/Organizations/Roles?" + query
    var roles: [[String: Any]] = []
    while let path = next {
      let reply = try await client.send(path, headers: [("Authorization", "Bearer \(token)")])
      try #require(reply.status == 200, "\(reply.text)")
      let json = try #require(reply.json)
      #expect(json.object("meta")?["key"] as? String == "roles")
      roles += json.objects("roles")
      next = try (json.object("meta")?["next_page_url"] as? String).map {
        try pathAndQuery($0, of: client.sandbox)
      }
    }
    return roles
  }

  @Test func rolesPageToTheEndWithLongPoliciesSomeDeniesAndWildcards() async throws {
    try await withSandbox { _, client in
      let token = try await client.twilioToken()
      let roles = try await allRoles(client, query: "PageSize=37", token: token)
      #expect(roles.count == 130)
      let sids = roles.compactMap { $0["sid"] as? String }
      #expect(Set(sids).count == 130)
      #expect(sids.allSatisfy { $0.hasPrefix("IX") && $0.count == 34 })
      let names = roles.compactMap { $0["friendly_name"] as? String }
      #expect(names.contains("Billing Viewer"))
      #expect(names.contains("Messaging Admin"))
      var denies = 0
      var wildcards = 0
      var everything = 0
      var mixedCase = 0
      for role in roles {
        let policy = try #require(role.object("policy"))
        let allow = try #require(policy["allow"] as? [String])
        if allow == ["*"] {
          // The identity Owner: everything but deletes.
          #expect(policy["deny"] as? [String] == ["/twilio/*/delete"])
          everything += 1
        } else {
          #expect((10...81).contains(allow.count))
          #expect(allow.allSatisfy { $0.lowercased().hasPrefix("/twilio/") })
        }
        if allow.contains(where: { $0 != $0.lowercased() }) { mixedCase += 1 }
        if policy["deny"] is [String] { denies += 1 } else { #expect(policy["deny"] is NSNull) }
        if allow.contains(where: { $0.hasSuffix("/*") }) { wildcards += 1 }
        #expect(policy["format"] as? Int == 1)
        let level = try #require(role["lowest_level"] as? String)
        #expect(["ORGANIZATION", "ACCOUNT", "SUB_ACCOUNT"].contains(level))
        #expect(
          role.object("role_product_group")?["product_group"] as? String
            == role["product_group"] as? String)
        #expect(role["resource_types"] is NSNull || role["resource_types"] is [String])
      }
      #expect(denies > 10)
      #expect(wildcards > 10)
      #expect(everything == 1)
      #expect(mixedCase >= 10)
    }
  }

  @Test func rolesSearchMatchesNameOrSidIgnoringCase() async throws {
    try await withSandbox { _, client in
      let token = try await client.twilioToken()
      let all = try await allRoles(client, query: "PageSize=1000", token: token)
      let billing = try await allRoles(client, query: "Search=bILLing&PageSize=4", token: token)
      let expected = all.filter {
        ($0["friendly_name"] as? String)?.lowercased().contains("billing") == true
      }
      #expect(!billing.isEmpty)
      #expect(
        billing.compactMap { $0["sid"] as? String } == expected.compactMap { $0["sid"] as? String })

      let sid = try #require(all[17]["sid"] as? String)
      let bySid = try await allRoles(client, query: "Search=\(sid.lowercased())", token: token)
      #expect(bySid.compactMap { $0["sid"] as? String } == [sid])
    }
  }

  @Test func rolesFilterByProductGroupAndAnyOfResourceTypes() async throws {
    try await withSandbox { _, client in
      let token = try await client.twilioToken()
      let all = try await allRoles(client, query: "PageSize=1000", token: token)
      let voice = try await allRoles(
        client, query: "RoleProductGroup=voice&PageSize=5", token: token)
      #expect(voice.count == all.filter { $0["product_group"] as? String == "voice" }.count)
      #expect(voice.allSatisfy { $0["product_group"] as? String == "voice" })

      let typed = try await allRoles(
        client, query: "ResourceTypes=account,phone-number&PageSize=7", token: token)
      let expected = all.filter { role in
        guard let types = role["resource_types"] as? [String] else { return false }
        return types.contains("account") || types.contains("phone-number")
      }
      #expect(!typed.isEmpty)
      #expect(typed.count == expected.count)
      #expect(
        try await client.send(
          "/twilio-iam/v2/Organizations/Roles?PageSize=1001",
          headers: [("Authorization", "Bearer \(token)")]
        ).status == 400)
    }
  }

  @Test func rolesPageTokenWithOtherFiltersIsRefused() async throws {
    try await withSandbox { _, client in
      let token = try await client.twilioToken()
      let auth = [("Authorization", "Bearer \(token)")]
      let first = try await client.send(
        "/twilio-iam/v2/Organizations/Roles?Search=admin&PageSize=2", headers: auth)
      let next = try #require(first.json?.object("meta")?["next_page_url"] as? String)
      let pageToken = try #require(next.split(separator: "PageToken=").last)
      let dropped = try await client.send(
        "/twilio-iam/v2/Organizations/Roles?PageSize=2&PageToken=\(pageToken)", headers: auth)
      #expect(dropped.status == 400)
      #expect(dropped.json?["code"] as? Int == 20001)
    }
  }
}
