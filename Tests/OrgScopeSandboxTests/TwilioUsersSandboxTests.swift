import Foundation
import NIOHTTP1
import OrgScopeCore
import OrgScopeSandbox
import Testing

/// Issue 21: the sandbox serves SCIM users and role assignments as the official spec says,
/// consistent with its accounts and roles.
@Suite struct TwilioUsersSandboxTests {
  static let options: SandboxOptions = {
    var options = SandboxOptions(accounts: 60, roles: 300)
    options.users = 150
    return options
  }()

  @Test func usersAreOneSCIMListResponse() async throws {
    try await withSandbox(Self.options) { sandbox, client in
      let token = try await client.twilioToken()
      let org = sandbox.twilioOrganizationSID
      let reply = try await client.send(
        "/Organizations/\(org)/scim/Users", headers: [("Authorization", "Bearer \(token)")])
      #expect(reply.status == 200)
      #expect(reply.headers.first(name: "Content-Type") == "application/scim+json")
      let json = try #require(reply.json)
      #expect(json["totalResults"] as? Int == 150)
      #expect(
        json["schemas"] as? [String] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
      let users = json.objects("Resources")
      #expect(users.count == 150)
      #expect(users.map { $0["id"] as? String } == sandbox.twilioUserSIDs)
      for user in users {
        let sid = try #require(user["id"] as? String)
        #expect(sid.hasPrefix("US") && sid.count == 34)
        let userName = try #require(user["userName"] as? String)
        let emails = try #require(user["emails"] as? [[String: Any]])
        #expect(emails.first?["value"] as? String == userName)
        #expect(user["active"] is Bool)
        #expect(user.object("meta")?["resourceType"] as? String == "User")
      }
      #expect(users.contains { $0["active"] as? Bool == false })
      // Hostile display names, for the TUI and every output format to defuse.
      #expect(
        users.contains {
          let name = $0["displayName"] as? String ?? ""
          return Sanitizer.clean(name) != name
        })

      let one = try await client.send(
        "/Organizations/\(org)/scim/Users?filter="
          + PercentEncoding.encode("userName eq \"\(users[7]["userName"] as? String ?? "")\""),
        headers: [("Authorization", "Bearer \(token)")])
      #expect(one.json?["totalResults"] as? Int == 1)
    }
  }

  @Test func scimErrorsAreScimErrors() async throws {
    try await withSandbox(Self.options) { sandbox, client in
      let org = sandbox.twilioOrganizationSID
      let anonymous = try await client.send("/Organizations/\(org)/scim/Users")
      #expect(anonymous.status == 401)
      #expect(anonymous.headers.first(name: "Content-Type") == "application/scim+json")
      let json = try #require(anonymous.json)
      #expect(json["status"] as? String == "401")
      #expect(json["detail"] is String)
      #expect(json["schemas"] as? [String] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
      let token = try await client.twilioToken()
      let bad = try await client.send(
        "/Organizations/\(org)/scim/Users?filter=displayName%20co%20x",
        headers: [("Authorization", "Bearer \(token)")])
      #expect(bad.status == 400)
      #expect(bad.json?["scimType"] as? String == "invalidFilter")
    }
  }

  @Test func assignmentsNeedAnIdentityOrAScope() async throws {
    try await withSandbox(Self.options) { sandbox, client in
      let token = try await client.twilioToken()
      let path = "/Organizations/\(sandbox.twilioOrganizationSID)/RoleAssignments"
      let refused = try await client.send(path, headers: [("Authorization", "Bearer \(token)")])
      #expect(refused.status == 400)
      #expect(refused.json?["code"] as? Int == 25203)
      #expect(refused.json?["message"] as? String != nil)
      let wrong = try await client.send(
        path + "?Identity=nobody", headers: [("Authorization", "Bearer \(token)")])
      #expect(wrong.status == 400)
      let anonymous = try await client.send(path + "?Identity=\(sandbox.twilioUserSIDs[0])")
      #expect(anonymous.status == 401)
      #expect(anonymous.json?["code"] as? Int == 20003)
    }
  }

  /// Every assignment names an existing role and an account of the accounts list or the
  /// organization, but one that names a role that does not exist; some are
  /// organization-wide, some per account, and people hold several roles. By scope, the
  /// organization's list is paged.
  @Test func assignmentsAreConsistentWithAccountsAndRoles() async throws {
    try await withSandbox(Self.options) { sandbox, client in
      let token = try await client.twilioToken()
      let auth = [("Authorization", "Bearer \(token)")]
      let org = sandbox.twilioOrganizationSID
      let roles = try await client.send("/v2/Organizations/Roles?PageSize=1000", headers: auth)
      let roleSIDs = Set(roles.json?.objects("roles").compactMap { $0["sid"] as? String } ?? [])
      #expect(roleSIDs.count == 300)
      let accounts = try await client.send(
        "/Organizations/\(org)/Accounts?PageSize=100", headers: auth)
      let accountSIDs = Set(
        accounts.json?.objects("content").compactMap { $0["account_sid"] as? String } ?? [])
      var all: [[String: Any]] = []
      var perUser: [Int] = []
      for user in sandbox.twilioUserSIDs {
        let reply = try await client.send(
          "/Organizations/\(org)/RoleAssignments?Identity=\(user)", headers: auth)
        #expect(reply.status == 200)
        let content = reply.json?.objects("content") ?? []
        #expect(content.allSatisfy { $0["identity"] as? String == user })
        #expect(reply.json?.object("meta")?["key"] as? String == "content")
        perUser.append(content.count)
        all += content
      }
      let missing = all.filter { !roleSIDs.contains($0["role_sid"] as? String ?? "") }
      #expect(missing.count == 1)
      #expect(all.allSatisfy { ($0["sid"] as? String)?.hasPrefix("IY") == true })
      let scopes = all.compactMap { $0["scope"] as? String }
      #expect(scopes.allSatisfy { $0 == org || accountSIDs.contains($0) })
      let orgWide = scopes.count { $0 == org }
      #expect(orgWide > 20 && orgWide < all.count - 100)
      #expect(perUser.count { $0 >= 3 } > 40)

      // The organization's assignments, by scope, page by 100.
      var next: String? = "/Organizations/\(org)/RoleAssignments?Scope=\(org)"
      var paged = 0
      var pages = 0
      while let path = next {
        let reply = try await client.send(path, headers: auth)
        #expect(reply.status == 200)
        paged += reply.json?.objects("content").count ?? 0
        pages += 1
        next = try (reply.json?.object("meta")?["next_page_url"] as? String).map {
          try pathAndQuery($0, of: sandbox)
        }
      }
      #expect(paged == orgWide)
      #expect(pages == (orgWide + 99) / 100)
    }
  }

  @Test func laterSomePeopleLeaveAndSomeJoin() async throws {
    var later = Self.options
    later.epoch = .later
    let before = try await withSandbox(Self.options) { sandbox, _ in sandbox.twilioUserSIDs }
    let after = try await withSandbox(later) { sandbox, _ in sandbox.twilioUserSIDs }
    #expect(!Set(before).subtracting(after).isEmpty)
    #expect(!Set(after).subtracting(before).isEmpty)
  }
}
