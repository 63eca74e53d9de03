import Foundation
import OrgScopeCore
import OrgScopeSandbox
import Testing

/// `orgscope roles grants|diff|matrix`, run as the built binary against the sandbox's roles.
@Suite(.serialized) struct RoleAuditCLITests {
  static func roles(_ fixture: SandboxFixture) async throws -> [RolePolicy] {
    let all = try await fixture.run(["list", "twilio-roles", "--format", "ndjson"])
    return try all.stdout.split(separator: "\n").compactMap { line -> RolePolicy? in
      guard let object = try JSONParser.parse(Array(line.utf8)).object,
        let policy = object["policy"]?.object
      else { return nil }
      return RolePolicy(
        id: object["sid"]?.string ?? "", name: object["friendly_name"]?.string ?? "",
        allow: policy["allow"]?.array?.compactMap(\.string) ?? [],
        deny: policy["deny"]?.array?.compactMap(\.string) ?? [])
    }
  }

  static func json(_ result: Binary.Result) throws -> JSONValue {
    #expect(result.status == 0, "\(result.stderr)")
    return try JSONParser.parse(Array(result.stdout.utf8))
  }

  @Test func grantsAnswersEveryFormatAndAgreesWithTheLibrary() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let roles = try await Self.roles(fixture)
    #expect(roles.count == 150)
    for query in ["/twilio/*/delete", "*account*", "/twilio/iam/users/delete", "/TWILIO/billing/*"]
    {
      let expected = RoleAudit.grants(Glob(query), in: roles)
      let json = try Self.json(await fixture.run(["roles", "grants", query, "--format", "json"]))
      let object = try #require(json.object)
      #expect(object["query"]?.string == query)
      let granted = try #require(object["granted"]?.array)
      #expect(granted.compactMap { $0.object?["sid"]?.string } == expected.granted.map(\.role.id))
      #expect(
        granted.compactMap { $0.object?["coverage"]?.string }
          == expected.granted.map(\.coverage.rawValue))
      let overridden = try #require(object["overridden"]?.array)
      #expect(
        overridden.compactMap { $0.object?["sid"]?.string } == expected.overridden.map(\.role.id))
      // Every granting role has an allow entry that shares a permission with the query,
      // and every role with such an entry is listed.
      let q = Glob(query)
      let reaching = Set(
        roles.filter { $0.allow.contains { (try? GlobSearch.meet(Glob($0), q)) == true } }.map(\.id)
      )
      #expect(
        Set(expected.granted.map(\.role.id) + expected.overridden.map(\.role.id)) == reaching)

      let ndjson = try await fixture.run(["roles", "grants", query, "--format", "ndjson"])
      let lines = ndjson.stdout.split(separator: "\n")
      #expect(lines.count == expected.granted.count + expected.overridden.count)
      let kinds = try lines.map { try JSONParser.parse(Array($0.utf8)).object?["kind"]?.string }
      #expect(kinds.filter { $0 == "granted" }.count == expected.granted.count)

      let csv = try await fixture.run(["roles", "grants", query, "--format", "csv"])
      #expect(csv.stdout.hasPrefix("kind,sid,friendly_name,coverage,allow,deny\r\n"))

      let table = try await fixture.run(["roles", "grants", query])
      #expect(table.stdout.hasPrefix("Who can \(query): \(expected.summary)\n"))
    }
    // The identity Owner holds "*" but denies /twilio/*/delete: overridden for deletes.
    let deletes = RoleAudit.grants(Glob("/twilio/*/delete"), in: roles)
    #expect(deletes.overridden.contains { $0.role.allow == ["*"] })
    #expect(deletes.granted.contains { $0.coverage == .some })
  }

  @Test func anEmptyOrMalformedQueryIsAUsageError() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    for query in ["", "/twilio/ billing", "/twilio/\u{1B}[2J"] {
      let result = try await fixture.run(["roles", "grants", query])
      #expect(result.status == 2, "\(query.debugDescription): \(result.stderr)")
      #expect(result.stderr.contains("permission pattern"))
      #expect(!result.stderr.contains("\u{1B}"))
      #expect(result.stdout.isEmpty)
    }
  }

  /// `--source` picks whose role policies are audited, among the sources that have them;
  /// the default is the first (Twilio roles), and any other source is a usage error.
  @Test func sourceNamesWhosePoliciesAreAudited() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let policySource = try #require(ProviderRegistry.policySources.first)
    let query = "/twilio/*/delete"
    let implicit = try await fixture.run(["roles", "grants", query, "--format", "json"])
    let named = try await fixture.run([
      "roles", "grants", query, "--format", "json", "--source", policySource.rawValue,
    ])
    #expect(named.status == 0, "\(named.stderr)")
    #expect(named.stdout == implicit.stdout)
    let accounts = try #require(SourceID.allCases.first { !$0.descriptor.capabilities.policies })
    let refused = try await fixture.run(["roles", "grants", query, "--source", accounts.rawValue])
    #expect(refused.status == 2, "\(refused.stderr)")
    #expect(refused.stderr.contains(policySource.rawValue), "\(refused.stderr)")
    #expect(refused.stdout.isEmpty)
  }

  @Test func diffGivesTheExactRelationFirst() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    // The sandbox writes each Analyst as its group's Viewer in other words.
    let equal = try Self.json(
      await fixture.run(["roles", "diff", "Billing Analyst", "Billing Viewer", "--format", "json"]))
    #expect(equal.object?["relation"]?.string == "equal")
    #expect(equal.object?["differences"]?.array?.isEmpty == true)
    #expect(equal.object?["a"]?.object?["friendly_name"]?.string == "Billing Analyst")

    let within = try Self.json(
      await fixture.run(["roles", "diff", "Billing Viewer", "Billing Owner", "--format", "json"]))
    let relation = within.object?["relation"]?.string
    #expect(relation == "a_within_b" || relation == "incomparable")
    for difference in within.object?["differences"]?.array ?? [] {
      #expect(difference.object?["a"]?.string != difference.object?["b"]?.string)
    }

    let table = try await fixture.run(["roles", "diff", "Billing Viewer", "Voice Admin"])
    #expect(table.status == 0)
    let first = table.stdout.split(separator: "\n").first.map(String.init) ?? ""
    #expect(
      first == "\"Billing Viewer\" and \"Voice Admin\" each grant something the other does not")
    // In a pipe no line is cut, whatever COLUMNS says.
    let narrow = try await fixture.run(
      ["roles", "diff", "Billing Viewer", "Voice Admin"], extra: ["COLUMNS": "20"])
    #expect(narrow.stdout == table.stdout)
    #expect(!narrow.stdout.contains("…"))

    let unknown = try await fixture.run(["roles", "diff", "Billing Viewer", "No Such Role"])
    #expect(unknown.status == 2)
  }

  @Test func matrixCellsAgreeWithGrants() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let roles = try await Self.roles(fixture)
    let json = try Self.json(
      await fixture.run(["roles", "matrix", "--filter", "iam/users", "--format", "json"]))
    let columns = try #require(json.object?["roles"]?.array).compactMap {
      $0.object?["sid"]?.string
    }
    #expect(columns == roles.map(\.id))
    let rows = try #require(json.object?["permissions"]?.array)
    #expect(!rows.isEmpty)
    for row in rows {
      let object = try #require(row.object)
      let permission = try #require(object["permission"]?.string)
      #expect(permission.contains("iam/users"))
      let cells = try #require(object["cells"]?.array).compactMap(\.string)
      #expect(cells.count == roles.count)
      #expect(object["granted_by"]?.int == cells.filter { $0 == "all" }.count)
      let grants = RoleAudit.grants(Glob(permission), in: roles)
      let all = Set(grants.granted.filter { $0.coverage == .all }.map(\.role.id))
      let some = Set(grants.granted.filter { $0.coverage == .some }.map(\.role.id))
      #expect(Set(zip(columns, cells).filter { $0.1 == "all" }.map(\.0)) == all, "\(permission)")
      #expect(Set(zip(columns, cells).filter { $0.1 == "some" }.map(\.0)) == some, "\(permission)")
    }
    let picked = try Self.json(
      await fixture.run([
        "roles", "matrix", "--roles", "Billing Viewer,\(roles[3].id)", "--format", "json",
      ]))
    #expect(picked.object?["roles"]?.array?.count == 2)
    let csv = try await fixture.run([
      "roles", "matrix", "--roles", "Billing Viewer", "--format", "csv",
    ])
    #expect(csv.stdout.hasPrefix("permission,granted_by,partly_by,Billing Viewer (IX"))
    let table = try await fixture.run(["roles", "matrix"], extra: ["COLUMNS": "80"])
    #expect(table.stdout.contains("   all   some  permission"))
  }

  @Test func demoWorksForEveryCommand() async throws {
    let home = try Binary.scratchHome()
    defer { try? FileManager.default.removeItem(atPath: home) }
    // No credentials at all, and a real-looking one that must not be used.
    var env = Binary.baseEnvironment(home: home)
    env["CLOUDFLARE_API_TOKEN"] = "real-token-that-must-not-be-sent-anywhere"
    let grants = try await Binary.run(
      ["roles", "grants", "/twilio/*/delete", "--demo"], environment: env)
    #expect(grants.status == 0, "\(grants.stderr)")
    #expect(grants.stdout.hasPrefix("Who can /twilio/*/delete: "))
    let list = try await Binary.run(
      ["list", "cloudflare", "--demo", "--max", "5", "--format", "ndjson"], environment: env)
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.split(separator: "\n").count == 5)
    let matrix = try await Binary.run(
      ["roles", "matrix", "--demo", "--filter", "billing", "--format", "csv"], environment: env)
    #expect(matrix.status == 0, "\(matrix.stderr)")
    let diff = try await Binary.run(
      ["roles", "diff", "--demo", "Voice Analyst", "Voice Viewer"], environment: env)
    #expect(diff.stdout.contains("grant exactly the same permissions"), "\(diff.stdout)")
  }
}
