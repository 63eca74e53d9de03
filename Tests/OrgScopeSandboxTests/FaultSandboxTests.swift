import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OrgScopeSandbox
import Testing

@Suite struct FaultSandboxTests {
  private let sendGridAuth = [("Authorization", "Bearer \(SandboxCredentials.sendGridAPIKey)")]
  private let sendGridPath = "/sendgrid/v3/partners/accounts"

  private func options(_ faults: String...) throws -> SandboxOptions {
    SandboxOptions(
      accounts: 50, roles: 20, faults: try faults.map { try SandboxFault(parsing: $0) })
  }

  @Test func faultsParseRouteKindArgumentAndMode() throws {
    let retry = try SandboxFault(parsing: "huawei:429:2")
    #expect(retry.routes == [.huawei])
    #expect(retry.kind == .tooManyRequests(retryAfterSeconds: 2))
    #expect(retry.once)
    #expect(try SandboxFault(parsing: "huawei:429:1:always").once == false)
    #expect(try SandboxFault(parsing: "twilio-roles:slow:800").kind == .slow(milliseconds: 800))
    #expect(try SandboxFault(parsing: "cloudflare:html500").once == false)
    #expect(try SandboxFault(parsing: "cloudflare:html500:once").once)
    #expect(try SandboxFault(parsing: "all:stall").routes.count == SandboxRoute.allCases.count)
    #expect(try SandboxFault(parsing: "twilio-token:truncated").routes == [.twilioToken])
    #expect(throws: SandboxError.self) { try SandboxFault(parsing: "nowhere:html500") }
    #expect(throws: SandboxError.self) { try SandboxFault(parsing: "sendgrid:explode") }
    #expect(throws: SandboxError.self) { try SandboxFault(parsing: "sendgrid:slow:soon") }
    #expect(throws: SandboxError.self) { try SandboxFault(parsing: "sendgrid") }
  }

  @Test func html500AnswersAnHTMLPage() async throws {
    try await withSandbox(try options("sendgrid:html500")) { _, client in
      for _ in 0..<2 {
        let reply = try await client.send(sendGridPath, headers: sendGridAuth)
        #expect(reply.status == 500)
        #expect(reply.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
        #expect(reply.text.contains("<html>"))
      }
    }
  }

  @Test func truncatedAnswersCutJSONWithStatus200() async throws {
    try await withSandbox(try options("sendgrid:truncated")) { _, client in
      let reply = try await client.send(sendGridPath, headers: sendGridAuth)
      #expect(reply.status == 200)
      #expect(!reply.body.isEmpty)
      #expect(reply.json == nil)
      #expect(reply.text.hasPrefix("{\"accounts\":["))
    }
  }

  @Test func tooManyRequestsOnceThenNormalAnswers() async throws {
    try await withSandbox(try options("huawei:429:2")) { _, client in
      let first = try await client.huawei("/huawei/v1/organizations/accounts")
      #expect(first.status == 429)
      #expect(first.headers.first(name: "Retry-After") == "2")
      #expect(first.json?["error_code"] is String)
      #expect(first.headers.first(name: "X-Request-Id") != nil)
      let second = try await client.huawei("/huawei/v1/organizations/accounts")
      #expect(second.status == 200)
    }
  }

  @Test func slowAnswersStillArriveWhole() async throws {
    try await withSandbox(try options("sendgrid:slow:200")) { _, client in
      let reply = try await client.send(sendGridPath, headers: sendGridAuth)
      #expect(reply.status == 200)
      #expect(reply.json?.objects("accounts").count == 10)
    }
  }

  @Test func stallNeverAnswersUntilTheClientGivesUp() async throws {
    let sandbox = try await Sandbox.start(try options("cloudflare:stall"))
    var client = SandboxClient(sandbox)
    client.readTimeout = .milliseconds(700)
    await #expect(throws: (any Error).self) {
      _ = try await client.send(
        "/cloudflare/client/v4/organizations/\(sandbox.cloudflareOrganizationID)/accounts")
    }
    // Other routes keep working while one stalls, and stop() ends the stalled handler.
    // (A loaded CI machine may take longer than the stall's short timeout to answer.)
    client.readTimeout = .seconds(30)
    #expect(try await client.send(sendGridPath, headers: sendGridAuth).status == 200)
    await sandbox.stop()
  }

  @Test func oversizedAnswersStreamMoreThan64MiB() async throws {
    try await withSandbox(try options("sendgrid:oversized")) { sandbox, _ in
      var request = HTTPClientRequest(url: sandbox.baseURL + sendGridPath)
      request.headers.add(
        name: "Authorization", value: "Bearer \(SandboxCredentials.sendGridAPIKey)")
      let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
      #expect(response.status.code == 200)
      var total = 0
      for try await chunk in response.body { total += chunk.readableBytes }
      #expect(total > 64 * 1024 * 1024)
    }
  }

  @Test func failRateOneAnswers503InTheProviderFormat() async throws {
    try await withSandbox(SandboxOptions(accounts: 5, roles: 5, failRate: 1)) { sandbox, client in
      let reply = try await client.send(
        "/cloudflare/client/v4/organizations/\(sandbox.cloudflareOrganizationID)/accounts",
        headers: [("Authorization", "Bearer \(SandboxCredentials.cloudflareAPIToken)")])
      #expect(reply.status == 503)
      #expect(reply.json?["success"] as? Bool == false)
    }
  }

  @Test func tokenEndpointFaultsApplyToTheTokenRouteOnly() async throws {
    try await withSandbox(try options("twilio-token:html500:once")) { _, client in
      let failed = try await client.send(.POST, "/twilio-oauth/v2/token", body: "")
      #expect(failed.status == 500)
      #expect(!(try await client.twilioToken()).isEmpty)
    }
  }
}
