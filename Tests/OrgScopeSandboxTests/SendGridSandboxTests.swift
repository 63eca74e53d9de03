import Foundation
import OrgScopeSandbox
import Testing

@Suite struct SendGridSandboxTests {
  private let auth = [("Authorization", "Bearer \(SandboxCredentials.sendGridAPIKey)")]

  @Test func accountsPageToTheEndByOffsetOfLastID() async throws {
    try await withSandbox { _, client in
      for limit in [10, 100, 79] {
        var ids: [String] = []
        var offset: String?
        while true {
          var path = "/sendgrid/v3/partners/accounts?limit=\(limit)"
          if let offset { path += "&offset=\(offset)" }
          let reply = try await client.send(path, headers: auth)
          try #require(reply.status == 200, "\(reply.text)")
          let json = try #require(reply.json)
          let accounts = json.objects("accounts")
          for account in accounts {
            #expect(account["created_at"] is String)
            ids.append(try #require(account["id"] as? String))
          }
          let last = json.object("pages")?["last"] as? String
          if accounts.count < limit || last == nil { break }
          #expect(last == ids.last)
          offset = last
        }
        #expect(ids.count == 237)
        #expect(Set(ids).count == 237)
        #expect(ids.allSatisfy { $0.hasPrefix("sg") })
      }
    }
  }

  @Test func someAccountsHaveOnlyTheRequiredFields() async throws {
    try await withSandbox { _, client in
      let reply = try await client.send("/sendgrid/v3/partners/accounts?limit=100", headers: auth)
      let accounts = try #require(reply.json).objects("accounts")
      #expect(accounts.contains { $0["email"] == nil })
      #expect(accounts.contains { $0["email"] is String })
    }
  }

  @Test func limitOverOneHundredAndUnknownOffsetAreRefused() async throws {
    try await withSandbox { _, client in
      let over = try await client.send("/sendgrid/v3/partners/accounts?limit=101", headers: auth)
      #expect(over.status == 400)
      let error = try #require(over.json?.objects("errors").first)
      #expect(error["field"] as? String == "limit")
      #expect(error["error_id"] is String)
      #expect(error["message"] is String)
      let unknown = try await client.send(
        "/sendgrid/v3/partners/accounts?offset=sg123", headers: auth)
      #expect(unknown.status == 400)
    }
  }

  @Test func wrongKeyGetsSendGridErrorBody() async throws {
    try await withSandbox { _, client in
      let reply = try await client.send(
        "/sendgrid/v3/partners/accounts", headers: [("Authorization", "Bearer SG.wrong")])
      #expect(reply.status == 401)
      let error = try #require(reply.json?.objects("errors").first)
      #expect(error["message"] as? String == "Failed to authenticate user")
      #expect(error["error_id"] as? String == "10-40100")
    }
  }
}
