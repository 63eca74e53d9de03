import Foundation
import OrgScopeSandbox
import Testing

@Suite struct SandboxServerTests {
  @Test func environmentPublishesEveryVariableOrgscopeNeeds() async throws {
    try await withSandbox { sandbox, _ in
      let env = sandbox.environment
      // The form each official SDK takes: the real host's place, the real paths below it.
      #expect(env["ORGSCOPE_TWILIO_IAM_URL"] == sandbox.baseURL)
      #expect(env["ORGSCOPE_TWILIO_PREVIEW_IAM_URL"] == sandbox.baseURL)
      #expect(env["ORGSCOPE_TWILIO_OAUTH_URL"] == sandbox.baseURL)
      #expect(env["CLOUDFLARE_BASE_URL"] == sandbox.baseURL + "/client/v4")
      #expect(env["ORGSCOPE_SENDGRID_URL"] == sandbox.baseURL)
      #expect(env["ORGSCOPE_HUAWEI_URL"] == sandbox.baseURL)
      #expect(env["TWILIO_ORGANIZATION_SID"] == sandbox.twilioOrganizationSID)
      #expect(env["CLOUDFLARE_ORGANIZATION_ID"] == sandbox.cloudflareOrganizationID)
      for name in [
        "TWILIO_CLIENT_ID", "TWILIO_CLIENT_SECRET", "CLOUDFLARE_API_TOKEN", "SENDGRID_API_KEY",
        "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK",
      ] {
        #expect(env[name]?.isEmpty == false, "missing \(name)")
        #expect(sandbox.exportLines.contains("export \(name)='"))
      }
      #expect(sandbox.baseURL.hasPrefix("http://127.0.0.1:"))
      #expect(sandbox.port > 0)
    }
  }

  @Test func sameSeedGivesSameDataAndOtherSeedDiffers() async throws {
    func firstPage(seed: UInt64) async throws -> [UInt8] {
      try await withSandbox(SandboxOptions(accounts: 30, seed: seed)) { _, client in
        try await client.send(
          "/sendgrid/v3/partners/accounts?limit=30",
          headers: [("Authorization", "Bearer \(SandboxCredentials.sendGridAPIKey)")]
        ).body
      }
    }
    let one = try await firstPage(seed: 7)
    #expect(try await firstPage(seed: 7) == one)
    #expect(try await firstPage(seed: 8) != one)
  }

  @Test func namesIncludeNonASCIIWideEmojiAndHostileText() async throws {
    try await withSandbox(SandboxOptions(accounts: 300)) { sandbox, client in
      let token = try await client.twilioToken()
      let reply = try await client.send(
        "/twilio-preview-iam/Organizations/\(sandbox.twilioOrganizationSID)/Accounts?PageSize=100",
        headers: [("Authorization", "Bearer \(token)")])
      let names = try #require(reply.json).objects("content").compactMap {
        $0["friendly_name"] as? String
      }
      let scalars = names.flatMap(\.unicodeScalars)
      #expect(scalars.contains { $0.value == 0x1B }, "an escape sequence")
      #expect(scalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "a CJK name")
      #expect(scalars.contains { $0.properties.isEmojiPresentation }, "an emoji")
      #expect(names.contains { $0.contains("ü") || $0.contains("ã") }, "a non-ASCII name")
    }
  }

  @Test func requestLogRecordsMethodPathQueryAndHeaders() async throws {
    try await withSandbox { _, client in
      _ = try await client.send(
        "/sendgrid/v3/partners/accounts?limit=3&offset=", headers: [("X-Probe", "yes")])
      let log = await client.sandbox.requestLog
      let entry = try #require(log.last)
      #expect(entry.method == "GET")
      #expect(entry.path == "/sendgrid/v3/partners/accounts")
      #expect(entry.rawQuery == "limit=3&offset=")
      #expect(entry.parameter("limit") == "3")
      #expect(entry.header("x-probe") == "yes")
      #expect(entry.header("Host")?.hasPrefix("127.0.0.1:") == true)
      await client.sandbox.clearRequestLog()
      #expect(await client.sandbox.requestLog.isEmpty)
    }
  }

  @Test func unknownPathsGetTheProviderErrorFormat() async throws {
    try await withSandbox { _, client in
      let reply = try await client.send("/sendgrid/v3/nothing")
      #expect(reply.status == 404)
      #expect(reply.json?.objects("errors").first?["error_id"] is String)
      #expect(try await client.send("/elsewhere").status == 404)
    }
  }

  @Test func invalidOptionsAreRefusedAtStart() async throws {
    await #expect(throws: SandboxError.self) {
      _ = try await Sandbox.start(SandboxOptions(failRate: 2))
    }
    await #expect(throws: SandboxError.self) {
      _ = try await Sandbox.start(SandboxOptions(port: 70_000))
    }
  }

  @Test func aBusyPortIsAStartError() async throws {
    try await withSandbox { sandbox, _ in
      await #expect(throws: SandboxError.self) {
        let second = try await Sandbox.start(SandboxOptions(port: sandbox.port))
        await second.stop()
      }
    }
  }
}
