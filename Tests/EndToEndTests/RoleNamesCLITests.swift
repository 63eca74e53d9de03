import Foundation
import OrgScopeCore
import OrgScopeSandbox
import Testing

/// Roles named by part of a name (`roles diff`, `roles matrix --roles`), one column per
/// chosen role, and the hint for a bare word (`roles grants billing`).
@Suite(.serialized) struct RoleNamesCLITests {
  @Test func aNameMatchingSeveralRolesListsThemAndExitsTwo() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let roles = try await RoleAuditCLITests.roles(fixture)
    let candidates = roles.filter { $0.name.lowercased().contains("billing") }
      .sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
    #expect(candidates.count > 1)
    let result = try await fixture.run(["roles", "diff", "Billing", "Voice Admin"])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(
      result.stderr.hasPrefix(
        "orgscope: usage: \"Billing\" names \(candidates.count) roles: \(candidates[0].id) \"\(candidates[0].name)\", "
      ), "\(result.stderr)")
    for role in candidates.prefix(10) { #expect(result.stderr.contains(role.id)) }

    // A part of a name that only one role has is that role.
    let unique = try #require(
      roles.lazy.compactMap { role -> (String, RolePolicy)? in
        let part = String(role.name.dropFirst(2))
        let matches = roles.filter { $0.name.lowercased().contains(part.lowercased()) }
        return matches.count == 1 ? (part, role) : nil
      }.first)
    let diff = try await fixture.run([
      "roles", "diff", unique.0, unique.1.id, "--format", "json",
    ])
    #expect(diff.status == 0, "\(diff.stderr)")
    let object = try JSONParser.parse(Array(diff.stdout.utf8)).object
    #expect(object?["a"]?.object?["sid"]?.string == unique.1.id)
    #expect(object?["relation"]?.string == "equal")

    let misspelt = try await fixture.run(["roles", "diff", "Biling Viewer", "Voice Admin"])
    #expect(misspelt.status == 2)
    #expect(
      misspelt.stderr.contains(#"no role "Biling Viewer"; did you mean "Billing Viewer"?"#),
      "\(misspelt.stderr)")
  }

  @Test func matrixWithChosenRolesHasOneColumnEachAndOnlyTheRowsTheyTouch() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let roles = try await RoleAuditCLITests.roles(fixture)
    let viewer = try #require(roles.first { $0.name == "Billing Viewer" })
    let voice = try #require(roles.first { $0.name == "Voice Admin" })
    var index = PolicyIndex(roles)
    let expected = RoleAudit.matrix(
      &index,
      chosen: [
        roles.firstIndex(of: viewer)!, roles.firstIndex(of: voice)!,
      ])
    #expect(!expected.rows.isEmpty)

    let table = try await fixture.run(["roles", "matrix", "--roles", "Billing Viewer,Voice Admin"])
    #expect(table.status == 0, "\(table.stderr)")
    let lines = table.stdout.split(separator: "\n").map(String.init)
    #expect(lines[0] == "\(expected.rows.count) entries × 2 roles")
    #expect(lines[1] == "Billing Viewer  Voice Admin  permission")
    // Every row is a chosen role's: none has "-" in both columns.
    let rows = lines.filter { $0.hasPrefix("all") || $0.hasPrefix("some") || $0.hasPrefix("-") }
    #expect(rows.count == expected.rows.count)
    let neither = "-" + String(repeating: " ", count: "Billing Viewer  ".count - 1) + "-"
    #expect(!rows.contains { $0.hasPrefix(neither) })

    // On a terminal the names are cut to leave the permissions room.
    let long = roles.max { $0.name.count < $1.name.count }!
    let narrow = try await Binary.runInTerminal(
      ["roles", "matrix", "--roles", "\(long.id),\(viewer.id),\(voice.id)"],
      environment: fixture.environment.merging(["COLUMNS": "50"]) { _, new in new })
    #expect(narrow.status == 0, "\(narrow.stderr)")
    for line in narrow.stdout.split(separator: "\n") {
      #expect(DisplayWidth.of(line) <= 50, "\(line)")
    }

    // JSON, NDJSON and CSV carry the same rows and columns.
    let json = try RoleAuditCLITests.json(
      await fixture.run([
        "roles", "matrix", "--roles", "Billing Viewer,Voice Admin", "--format", "json",
      ]))
    #expect(
      json.object?["roles"]?.array?.compactMap { $0.object?["sid"]?.string } == [
        viewer.id, voice.id,
      ])
    let permissions = json.object?["permissions"]?.array ?? []
    #expect(
      permissions.compactMap { $0.object?["permission"]?.string } == expected.rows.map(\.permission)
    )
    #expect(
      permissions.map { $0.object?["cells"]?.array?.compactMap(\.string) ?? [] }
        == expected.rows.map { $0.cells.map(\.rawValue) })
    let csv = try await fixture.run([
      "roles", "matrix", "--roles", "Billing Viewer,Voice Admin", "--format", "csv",
    ])
    #expect(csv.stdout.split(separator: "\r\n").count == expected.rows.count + 1)
    let ndjson = try await fixture.run([
      "roles", "matrix", "--roles", "Billing Viewer,Voice Admin", "--format", "ndjson",
    ])
    #expect(ndjson.stdout.split(separator: "\n").count == expected.rows.count)
  }

  @Test func aBareWordIsAnsweredAndStderrSaysHowToLookForIt() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let result = try await fixture.run(["roles", "grants", "billing"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("Who can billing: "))
    #expect(
      result.stderr
        == "orgscope: no permission is written like \"billing\"; try \"*billing*\" or \"/twilio/billing/*\"\n"
    )
    let json = try await fixture.run(["roles", "grants", "billing", "--format", "json"])
    #expect(json.stderr.contains("no permission is written like"))
    #expect((try? JSONParser.parse(Array(json.stdout.utf8))) != nil)
    let pattern = try await fixture.run(["roles", "grants", "*billing*"])
    #expect(pattern.status == 0)
    #expect(pattern.stderr.isEmpty)
  }
}
