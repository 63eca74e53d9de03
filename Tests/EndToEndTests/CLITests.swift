import Foundation
import OrgScopeCore
import OrgScopeSandbox
import Testing

/// `orgscope list` and `orgscope roles`, run as the built binary against the sandbox.
@Suite(.serialized) struct CLITests {
  func ids(_ ndjson: String, key: String) throws -> [String] {
    try ndjson.split(separator: "\n").map { line in
      let value = try JSONParser.parse(Array(line.utf8))
      return value.object?[key]?.string ?? ""
    }
  }

  @Test func listsEverySourceToTheEndExactlyOnce() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let idKeys: [SourceID: String] = [
      .twilioAccounts: "account_sid", .twilioRoles: "sid", .cloudflare: "id", .sendgrid: "id",
      .huawei: "id",
    ]
    for source in SourceID.allCases {
      let result = try fixture.run(["list", source.rawValue, "--format", "ndjson"])
      #expect(result.status == 0, "\(source): \(result.stderr)")
      let list = try ids(result.stdout, key: idKeys[source]!)
      let expected = source == .twilioRoles ? 150 : 1200
      #expect(list.count == expected, "\(source)")
      #expect(Set(list).count == list.count, "\(source) repeats a record")
      #expect(!list.contains(""), "\(source)")
      for secret in fixture.secrets {
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
      }
    }
  }

  @Test func cloudflareSearchReturnsExactlyTheServerMatches() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let all = try fixture.run(["list", "cloudflare", "--format", "ndjson"])
    let records = try all.stdout.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
    for (needle, match) in [("an", "contains"), ("s", "starts-with"), ("ltd", "ends-with")] {
      let expected = records.filter { record in
        let name = (record.object?["name"]?.string ?? "").lowercased()
        switch match {
        case "contains": return name.contains(needle)
        case "starts-with": return name.hasPrefix(needle)
        default: return name.hasSuffix(needle)
        }
      }.compactMap { $0.object?["id"]?.string }
      let result = try fixture.run([
        "list", "cloudflare", "--search", needle, "--match", match, "--format", "ndjson",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      let got = try ids(result.stdout, key: "id")
      #expect(Set(got) == Set(expected), "\(match) \(needle)")
      #expect(got.count == expected.count)
      #expect(!expected.isEmpty, "the sandbox should have names matching \(match) \(needle)")
    }
    let searched = await fixture.sandbox.requestLog.filter {
      $0.path.contains("/cloudflare/") && $0.rawQuery.contains("name.contains=an")
    }
    #expect(!searched.isEmpty, "the search must go to the server as name.contains")
  }

  @Test func localSearchFiltersSourcesWithoutServerSearch() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let all = try fixture.run(["list", "huawei", "--format", "ndjson"])
    let names = try all.stdout.split(separator: "\n").compactMap {
      try JSONParser.parse(Array($0.utf8)).object?["name"]?.string
    }
    let needle = String(names[7].prefix(4)).lowercased()
    let expected = names.filter { $0.lowercased().contains(needle) }
    let result = try fixture.run(["list", "huawei", "--search", needle, "--format", "ndjson"])
    #expect(result.status == 0)
    #expect(try ids(result.stdout, key: "name").sorted() == expected.sorted())
    let limited = try fixture.run(["list", "huawei", "--max", "5", "--format", "ndjson"])
    #expect(limited.stdout.split(separator: "\n").count == 5)
  }

  @Test func tableFitsTheTerminalWidth() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    for width in [60, 80, 132] {
      let result = try fixture.run(
        ["list", "cloudflare", "--max", "300"], extra: ["COLUMNS": String(width)])
      #expect(result.status == 0)
      let lines = result.stdout.split(separator: "\n")
      #expect(lines.count == 301)
      for line in lines { #expect(DisplayWidth.of(line) <= width, "\(line)") }
      #expect(!result.stdout.contains("\u{1B}"), "escape sequences must never reach the terminal")
    }
  }

  @Test func csvNeutralisesFormulasAndJSONIsAnArray() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let csv = try fixture.run(["list", "sendgrid", "--max", "50", "--format", "csv"])
    #expect(csv.status == 0)
    #expect(csv.stdout.hasPrefix("id,"))
    #expect(csv.stdout.split(separator: "\r\n").count == 51)
    let json = try fixture.run(["list", "twilio-roles", "--max", "3", "--format", "json"])
    #expect(try JSONParser.parse(Array(json.stdout.utf8)).array?.count == 3)
  }

  @Test func wrongCredentialsExitOneWithOneLineAndNoSecret() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let cases: [(SourceID, [String: String])] = [
      (.cloudflare, ["CLOUDFLARE_API_TOKEN": "wrong-token-123456"]),
      (.sendgrid, ["SENDGRID_API_KEY": "SG.wrong-key-123456"]),
      (.huawei, ["HUAWEICLOUD_SDK_SK": "wrong-secret-123456"]),
      (.twilioAccounts, ["TWILIO_CLIENT_SECRET": "wrong-secret-654321"]),
    ]
    for (source, env) in cases {
      let result = try fixture.run(["list", source.rawValue], extra: env)
      #expect(result.status == 1, "\(source): \(result.stderr)")
      let lines = result.stderr.split(separator: "\n")
      #expect(lines.count == 1, "\(source): \(result.stderr)")
      #expect(result.stderr.contains(source.providerName))
      #expect(result.stderr.contains("HTTP 40"))
      for value in env.values { #expect(!result.stderr.contains(value)) }
      for secret in fixture.secrets { #expect(!result.stderr.contains(secret)) }
    }
  }

  @Test func unknownOrganizationIsA404Line() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let result = try fixture.run(
      ["list", "twilio-accounts"],
      extra: ["TWILIO_ORGANIZATION_SID": "OR" + String(repeating: "0", count: 32)])
    #expect(result.status == 1)
    #expect(result.stderr.contains("Twilio: HTTP 404"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test func faultsGiveOneClearLineOrSucceedAfterRetry() async throws {
    let fixture = try await SandboxFixture.start(
      SandboxOptions(
        accounts: 300, roles: 20,
        faults: [
          try SandboxFault(parsing: "cloudflare:html500"),
          try SandboxFault(parsing: "sendgrid:truncated"),
          try SandboxFault(parsing: "huawei:429:1:once"),
        ]))
    defer { Task { await fixture.stop() } }
    let html = try fixture.run(["list", "cloudflare"])
    #expect(html.status == 1)
    #expect(html.stderr.contains("Cloudflare: HTTP 500"), "\(html.stderr)")
    #expect(!html.stderr.contains("<html"), "no HTML page dumped: \(html.stderr)")
    #expect(html.stderr.split(separator: "\n").count == 1)
    let truncated = try fixture.run(["list", "sendgrid"])
    #expect(truncated.status == 1)
    #expect(truncated.stderr.contains("SendGrid"))
    #expect(truncated.stderr.split(separator: "\n").count == 1)
    let limited = try fixture.run(["list", "huawei", "--format", "ndjson"])
    #expect(limited.status == 0, "\(limited.stderr)")
    #expect(limited.stdout.split(separator: "\n").count == 300)
  }

  @Test func usageAndConfigurationErrorsExitTwo() async throws {
    let home = NSTemporaryDirectory() + "orgscope-e2e-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    let env = Binary.baseEnvironment(home: home)
    let unknown = try Binary.run(["list", "nowhere"], environment: env)
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("unknown source"))
    let missing = try Binary.run(["list", "cloudflare"], environment: env)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("CLOUDFLARE_API_TOKEN"))
    let badFlag = try Binary.run(["list", "sendgrid", "--parent-id", "ou-1"], environment: env)
    #expect(badFlag.status == 2)
    let version = try Binary.run(["--version"], environment: env)
    #expect(version.status == 0)
  }

  @Test func roleAuditOnTheCommandLineMatchesTheLibrary() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let all = try fixture.run(["list", "twilio-roles", "--format", "ndjson"])
    let roles = try all.stdout.split(separator: "\n").compactMap { line -> RolePolicy? in
      guard let object = try JSONParser.parse(Array(line.utf8)).object,
        let policy = object["policy"]?.object
      else {
        return nil
      }
      return RolePolicy(
        id: object["sid"]?.string ?? "", name: object["friendly_name"]?.string ?? "",
        allow: policy["allow"]?.array?.compactMap(\.string) ?? [],
        deny: policy["deny"]?.array?.compactMap(\.string) ?? [])
    }
    #expect(roles.count == 150)
    let permission = "/twilio/billing/*"
    let expected = RoleAudit.grants(permission, in: roles)
    let result = try fixture.run(["roles", "grants", permission, "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try JSONParser.parse(Array(result.stdout.utf8))
    let granted = json.object?["granted"]?.array?.compactMap { $0.object?["sid"]?.string }
    #expect(granted == expected.granted.map(\.role.id))
    #expect(!expected.granted.isEmpty)
    let diff = try fixture.run(["roles", "diff", roles[0].id, roles[1].id, "--format", "json"])
    #expect(diff.status == 0, "\(diff.stderr)")
    let diffJSON = try JSONParser.parse(Array(diff.stdout.utf8))
    let onlyA = diffJSON.object?["allow_only_a"]?.array?.compactMap(\.string)
    #expect(onlyA == RoleAudit.diff(roles[0], roles[1]).onlyA)
  }
}
