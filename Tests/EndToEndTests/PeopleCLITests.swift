import Foundation
import OrgScopeCore
import OrgScopeSandbox
import Testing

/// Issue 21: `list twilio-users`, `who-can` and `users show`, run as the built binary against
/// the sandbox's people.
@Suite(.serialized) struct PeopleCLITests {
  static var options: SandboxOptions { SandboxOptions(accounts: 300, roles: 150) }

  static func object(_ result: Binary.Result) throws -> JSONObject {
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONParser.parse(Array(result.stdout.utf8)).object)
  }

  @Test func whoCanNamesPeopleRolesScopesAndWhatContestsThem() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let sids = fixture.sandbox.twilioUserSIDs
    let json = try Self.object(
      await fixture.run(["who-can", "/twilio/*/delete", "--format", "json"]))
    #expect(json["query"]?.string == "/twilio/*/delete")
    #expect(json["account"]?.isNull == true)
    let users = (json["users"]?.array ?? []).compactMap { $0.object }
    #expect(users.count > 20)
    // The second user: Billing Owner everywhere, and the identity Owner (whose deny list
    // takes every delete) in an account.
    let second = try #require(users.first { $0["sid"]?.string == sids[1] })
    #expect(second["coverage"]?.string == "some")
    let contest = try #require(second["contested_by"]?.array?.first?.object)
    #expect(contest["deny"]?.array?.first?.string == "/twilio/*/delete")
    let via = try #require(second["via"]?.array?.first?.object)
    #expect(via["scope_name"]?.string == "the organization")
    // The fourth: only the identity Owner, in an account: held back by its own deny list.
    let overridden = (json["overridden"]?.array ?? []).compactMap { $0.object }
    #expect(overridden.contains { $0["sid"]?.string == sids[3] })
    #expect(json["missing_roles"]?.array?.count == 1)
    let summary = try #require(json["summary"]?.object)
    #expect(summary["users"]?.displayText == "150")

    let table = try await fixture.run(["who-can", "/twilio/*/delete"])
    #expect(table.status == 0, "\(table.stderr)")
    let first = table.stdout.split(separator: "\n").first ?? ""
    #expect(first.hasPrefix("Who can /twilio/*/delete: "), "\(first)")
    #expect(first.contains("people can do all of it"), "\(first)")
    #expect(table.stdout.contains("[contested]") && table.stdout.contains("[inactive]"))
    #expect(
      table.stdout.contains("name a role that does not exist")
        || table.stdout.contains("names a role that does not exist"))

    let ndjson = try await fixture.run(["who-can", "/twilio/*/delete", "--format", "ndjson"])
    let kinds = ndjson.stdout.split(separator: "\n").compactMap {
      (try? JSONParser.parse(Array($0.utf8)))?.object?["kind"]?.string
    }
    #expect(kinds.count { $0 == "granted" } == users.count)
    #expect(kinds.last == "summary")
    for secret in fixture.secrets {
      #expect(!(table.stdout + ndjson.stdout + table.stderr).contains(secret))
    }
  }

  @Test func anAccountByNameAsksAboutThatAccountOnly() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let accounts = try await fixture.run(["list", "twilio-accounts", "--format", "ndjson"])
    let first = try #require(
      accounts.stdout.split(separator: "\n").first.flatMap {
        try JSONParser.parse(Array($0.utf8)).object
      })
    let sid = try #require(first["account_sid"]?.string)
    let name = try #require(first["friendly_name"]?.string)
    let anywhere = try Self.object(await fixture.run(["who-can", "/twilio/*", "--format", "json"]))
    let there = try Self.object(
      await fixture.run(["who-can", "/twilio/*", "--account", name, "--format", "json"]))
    #expect(there["account"]?.string == sid)
    let all = anywhere["users"]?.array?.count ?? 0
    let some = there["users"]?.array?.count ?? 0
    #expect(some > 0 && some < all, "\(some) of \(all)")
    for user in there["users"]?.array ?? [] {
      for via in user.object?["via"]?.array ?? [] {
        let scope = via.object?["scope"]?.string ?? ""
        #expect(scope == sid || scope.hasPrefix("OR"))
      }
    }
    let unknown = try await fixture.run(["who-can", "/twilio/*", "--account", "No Such Account"])
    #expect(unknown.status == 2)
  }

  @Test func usersShowListsAssignmentsByScopeWithWhatEachRoleAllows() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let sids = fixture.sandbox.twilioUserSIDs
    let json = try Self.object(await fixture.run(["users", "show", sids[1], "--format", "json"]))
    #expect(json["sid"]?.string == sids[1])
    let scopes = (json["assignments"]?.array ?? []).compactMap { $0.object }
    #expect(scopes.first?["scope_name"]?.string == "the organization")
    #expect(scopes.count == 2)
    let email = try #require(json["user_name"]?.string)
    let table = try await fixture.run(["users", "show", email.uppercased()])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("In the organization"))
    #expect(table.stdout.contains("deny  /twilio/*/delete"), "\(table.stdout)")
    let missing = try await fixture.run(["users", "show", sids[2]])
    #expect(missing.stdout.contains("no such role"))
    let nobody = try await fixture.run(["users", "show", "nobody@example.com"])
    #expect(nobody.status == 2)
  }

  @Test func whoCanAndUsersShowAreDisplaySafe() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let sids = fixture.sandbox.twilioUserSIDs
    var runs: [[String]] = OutputFormat.allCases.map {
      ["who-can", "*", "--format", $0.rawValue]
    }
    runs += OutputFormat.allCases.map { ["list", "twilio-users", "--format", $0.rawValue] }
    runs += [["users", "show", sids[4]], ["users", "show", sids[4], "--format", "json"]]
    var sawHostile = false
    for arguments in runs {
      let result = try await fixture.run(arguments)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      let unsafe = result.stdout.unicodeScalars.first { scalar in
        scalar != "\n" && scalar != "\r" && scalar != "\t" && !Sanitizer.keeps(scalar)
      }
      #expect(unsafe == nil, "\(arguments): U+\(String(unsafe?.value ?? 0, radix: 16))")
      sawHostile =
        sawHostile || result.stdout.contains(#"\u001b"#) || result.stdout.contains(#"\x1b"#)
        || result.stdout.contains("]0;pwned")
    }
    #expect(sawHostile, "the sandbox's people should hold hostile names")
    let ndjson = try await fixture.run(["list", "twilio-users", "--format", "ndjson"])
    #expect(ndjson.stdout.split(separator: "\n").count == 150)
  }
}

/// Issue 21, item 6: the people in a snapshot, answered offline as they are live.
extension PeopleCLITests {
  @Test(arguments: [SandboxEpoch.initial, .later])
  func whoCanAndUsersShowAnswerFromASnapshotAsTheyDoLive(epoch: SandboxEpoch) async throws {
    var options = Self.options
    options.epoch = epoch
    let fixture = try await SandboxFixture.start(options)
    defer { Task { await fixture.stop() } }
    let file = fixture.home + "/people.db"
    let taken = try await fixture.run(["snapshot", "-o", file])
    #expect(taken.status == 0, "\(taken.stderr)")
    // No credentials and no network for the offline answer: an empty environment.
    let offline = Binary.baseEnvironment(home: fixture.home)
    let sids = fixture.sandbox.twilioUserSIDs
    for arguments in [
      ["who-can", "/twilio/*/delete", "--format", "json"],
      ["who-can", "/twilio/billing/*", "--format", "csv"],
      ["who-can", "/twilio/*"],
      ["users", "show", sids[1], "--format", "json"],
      ["users", "show", sids[3]],
    ] {
      let live = try await fixture.run(arguments)
      let fromFile = try await Binary.run(arguments + ["--snapshot", file], environment: offline)
      #expect(live.status == 0 && fromFile.status == 0, "\(arguments): \(fromFile.stderr)")
      #expect(!live.stdout.isEmpty)
      #expect(fromFile.stdout == live.stdout, "\(arguments): the snapshot's answer differs")
    }
    // An account by name: the snapshot names the accounts as the live list does.
    let accounts = try await fixture.run(["list", "twilio-accounts", "--format", "ndjson"])
    let name = try #require(
      try accounts.stdout.split(separator: "\n").first.flatMap {
        try JSONParser.parse(Array($0.utf8)).object?["friendly_name"]?.string
      })
    let arguments = ["who-can", "/twilio/*", "--account", name, "--format", "json"]
    let live = try await fixture.run(arguments)
    let fromFile = try await Binary.run(arguments + ["--snapshot", file], environment: offline)
    #expect(fromFile.status == 0 && fromFile.stdout == live.stdout, "\(fromFile.stderr)")
  }

  /// A snapshot taken before assignments were stored (schema version 2: no `assignments`
  /// table) still reads; the people questions say what it lacks and what to do.
  @Test(.enabled(if: SnapshotCLITests.hasSQLite3))
  func anOldSnapshotWithoutAssignmentsStillReadsAndSaysWhatItLacks() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let file = fixture.home + "/old.db"
    let taken = try await fixture.run(["snapshot", "-o", file])
    #expect(taken.status == 0, "\(taken.stderr)")
    _ = try await Binary.run(
      [
        file,
        "DROP TABLE assignments; DELETE FROM snapshot WHERE key = 'count.assignments'; UPDATE snapshot SET value = '2' WHERE key = 'schema_version';",
      ], environment: ["PATH": "/usr/bin:/bin"], executable: SnapshotCLITests.sqlite3)
    let offline = Binary.baseEnvironment(home: fixture.home)
    let users = try await Binary.run(
      ["list", "twilio-users", "--snapshot", file, "--format", "ndjson"], environment: offline)
    #expect(users.status == 0 && users.stdout.split(separator: "\n").count == 150)
    let grants = try await Binary.run(
      ["roles", "grants", "/twilio/*/delete", "--snapshot", file], environment: offline)
    #expect(grants.status == 0, "\(grants.stderr)")
    for arguments in [
      ["who-can", "*", "--snapshot", file],
      ["users", "show", fixture.sandbox.twilioUserSIDs[0], "--snapshot", file],
    ] {
      let refused = try await Binary.run(arguments, environment: offline)
      #expect(refused.status == 2, "\(arguments)")
      #expect(
        refused.stderr.contains("this snapshot has no role assignments (taken ")
          && refused.stderr.contains("schema version 2); take a new one"), "\(refused.stderr)")
    }
  }
}
