import Foundation
import OrgScopeCore
import OrgScopeSandbox
import SQLiteNIO
import Testing

@testable import OrgScopeSnapshot

/// Issue 21, item 6: the people's role assignments in a snapshot (the `assignments` table),
/// read back defensively, answered offline, and compared between two dates.
@Suite struct SnapshotPeopleTests {
  static let org = "OR00000000000000000000000000000000"
  static let acme = "AC11111111111111111111111111111111"

  static func user(_ n: Int, active: Bool = true) -> Record {
    let name = "user\(n)@example.com"
    return Record(
      id: "US\(n)", name: "User \(n)",
      fields: JSONObject([
        "id": .string("US\(n)"), "userName": .string(name), "displayName": .string("User \(n)"),
        "emails": .array([.object(JSONObject(["value": .string(name)]))]), "active": .bool(active),
      ]))
  }

  static func held(_ sid: String, _ user: Int, _ role: String, _ scope: String = org)
    -> RoleAssignment
  {
    RoleAssignment(sid: sid, roleSID: role, scope: scope, identity: "US\(user)")
  }

  static let roles = [
    role("IXall", allow: ["/twilio/*"], deny: []),
    role("IXbill", allow: ["/twilio/billing/*"], deny: []),
    role("IXnodel", allow: ["*"], deny: ["/twilio/*/delete"]),
    role("IXread", allow: ["/twilio/*/read"], deny: []),
  ]

  static let account = Record(
    id: acme, name: "Acme Berlin",
    fields: JSONObject(["sid": .string(acme), "friendly_name": .string("Acme Berlin")]))

  /// An in-memory snapshot of people, roles and one account.
  static func snapshot(
    users: [Record], assignments: [RoleAssignment]?, roles: [Record] = roles,
    takenAt: String = "2026-12-02T11:40:07Z"
  ) -> Snapshot {
    var meta = [SnapshotSchema.Key.takenAt: takenAt]
    for source in [SourceID.twilioUsers, .twilioRoles, .twilioAccounts] {
      meta[SnapshotSchema.Key.count(source.rawValue)] = "1"
    }
    return Snapshot(
      path: "s.db", meta: meta,
      records: [.twilioUsers: users, .twilioRoles: roles, .twilioAccounts: [account]],
      assignments: assignments)
  }

  @Test func assignmentsAreStoredAndReadBackWithThePeopleTheyBelongTo() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/people.db"
    let writer = try await SnapshotWriter.create(path: path, replace: false)
    let users = [Self.user(1), Self.user(2, active: false), Self.user(3)]
    let assignments = [
      Self.held("IY1", 1, "IXall"), Self.held("IY2", 2, "IXbill", Self.acme),
      Self.held("IY3", 2, "IXnodel"),
      // A NUL inside a sid stays in it: two assignments, not one.
      Self.held("IY\0a", 3, "IXread"), Self.held("IY\0b", 3, "IXmissing", Self.acme),
    ]
    try await writer.insert(users, source: .twilioUsers)
    try await writer.insert(Self.roles, source: .twilioRoles)
    try await writer.insert([Self.account], source: .twilioAccounts)
    try await writer.insert(assignments)
    // A sid seen before is not stored twice.
    try await writer.insert([Self.held("IY1", 3, "IXall")])
    #expect(await writer.assignmentCount == 5)
    _ = try await writer.finish(meta: [
      "taken_at": "2026-12-02T11:40:07Z", "count.twilio-users": "3", "count.twilio-roles": "4",
      "count.twilio-accounts": "1", "count.assignments": "5",
      "schema_version": String(SnapshotSchema.version),
    ])

    let schema = try await rows(path, "SELECT name, sql FROM sqlite_master ORDER BY name")
    let sql = Dictionary(
      uniqueKeysWithValues: schema.map {
        ($0.column("name")?.string ?? "", $0.column("sql")?.string ?? "")
      })
    #expect(
      sql["assignments"]
        == "CREATE TABLE assignments(sid TEXT PRIMARY KEY, identity TEXT, role_sid TEXT, scope TEXT)"
    )
    #expect(sql["assignments_by_identity"] != nil)

    let snapshot = try await SnapshotReader.read(path: path)
    #expect(snapshot.assignments == assignments)
    let directory = try #require(try snapshot.peopleDirectory())
    #expect(directory.people == users.map(Person.init(record:)))
    #expect(directory.assignments == assignments)
    #expect(try await SnapshotReader.peopleDirectory(path: path) == directory)
    #expect(try snapshot.rolePolicies(.twilioRoles).map(\.id) == Self.roles.map(\.id))
    #expect(snapshot.accountNames == [Self.acme: "Acme Berlin"])
    // The audit from the file is the audit of what was stored.
    let query = Glob("/twilio/*/delete")
    let policies = Self.roles.compactMap(TwilioRolesProvider().policy(of:))
    #expect(
      PeopleAudit.whoCan(query, people: directory, roles: try snapshot.rolePolicies(.twilioRoles))
        == PeopleAudit.whoCan(
          query,
          people: PeopleDirectory(
            people: users.map(Person.init(record:)), assignments: assignments),
          roles: policies))
    // A read of other sources leaves the assignments unread.
    #expect(try await SnapshotReader.read(path: path, sources: [.cloudflare]).assignments == nil)

    // A failed users source takes its assignments with it.
    let dropped = try await SnapshotWriter.create(path: folder + "/dropped.db", replace: false)
    try await dropped.insert(users, source: .twilioUsers)
    try await dropped.insert(assignments)
    try await dropped.discard(.twilioUsers)
    _ = try await dropped.finish(meta: ["taken_at": "2026-12-02T11:40:07Z"])
    let count = try await rows(folder + "/dropped.db", "SELECT COUNT(*) AS n FROM assignments")
    #expect(count.first?.column("n")?.integer == 0)
  }

  /// A file of schema version 2 (no `assignments` table) reads as before; the people
  /// questions say that it has no assignments and what to do.
  @Test func aFileWithoutTheAssignmentsTableSaysSoAndIsOtherwiseRead() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/v2.db"
    let user = Self.user(1)
    try await SnapshotHardeningTests.craft(
      path,
      [
        "CREATE TABLE records(source TEXT, id TEXT, name TEXT, json TEXT, PRIMARY KEY (source, id))",
        "CREATE TABLE permissions(source TEXT, role_id TEXT, effect TEXT, pattern TEXT)",
        "CREATE TABLE snapshot(key TEXT PRIMARY KEY, value TEXT)",
        "INSERT INTO snapshot VALUES ('taken_at', '2026-12-02T11:40:07Z'), ('schema_version', '2'), ('count.twilio-users', '1')",
        "INSERT INTO records VALUES ('twilio-users', 'US1', 'User 1', ?)",
      ], binds: [[], [], [], [], [.text(JSONWriter.compact(.object(user.fields)))]])
    let snapshot = try await SnapshotReader.read(path: path)
    #expect(snapshot.records[.twilioUsers] == [user])
    #expect(snapshot.assignments == nil)
    #expect(try snapshot.peopleDirectory() == nil)
    #expect(try await SnapshotReader.peopleDirectory(path: path) == nil)
    #expect(
      snapshot.noAssignments
        == "this snapshot has no role assignments (taken 2026-12-02 11:40 UTC, before orgscope stored them: schema version 2); take a new one"
    )
    #expect(throws: OrgScopeError.usage(snapshot.noAssignments)) {
      try snapshot.requirePeopleDirectory()
    }
  }

  @Test func aFailedAssignmentsFetchOrAMissingUsersSourceIsSaid() throws {
    var failed = Self.snapshot(users: [Self.user(1)], assignments: [])
    failed.meta["error.assignments"] = "role assignments: Twilio: HTTP 500"
    #expect {
      try failed.peopleDirectory()
    } throws: { error in
      "\(error)".contains("no role assignments: role assignments: Twilio: HTTP 500")
    }
    var noUsers = Self.snapshot(users: [], assignments: [])
    noUsers.meta["count.twilio-users"] = nil
    #expect {
      try noUsers.peopleDirectory()
    } throws: { error in
      "\(error)".contains("twilio-users: not in this snapshot")
    }
  }

  /// The defensive reader's rules hold for the new table: a plain table with exactly its
  /// columns, no generated column, bounded in rows and bytes.
  @Test func theAssignmentsTableIsReadDefensively() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let plain = SnapshotHardeningTests.plainTables
    let cases: [(String, [String], SnapshotReader.Limits, String)] = [
      (
        "view",
        plain + [
          "CREATE VIEW assignments(sid, identity, role_sid, scope) AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 1000) SELECT 'IY' || i, 'US1', 'IX1', 'OR1' FROM n"
        ], .init(), "it holds a view"
      ),
      (
        "generated",
        plain + [
          "CREATE TABLE assignments(sid TEXT PRIMARY KEY, identity TEXT, role_sid TEXT, scope TEXT GENERATED ALWAYS AS (printf('%.*c', 1000, 'x')))"
        ], .init(), "assignments has a generated column"
      ),
      (
        "columns",
        plain + ["CREATE TABLE assignments(sid TEXT PRIMARY KEY, identity TEXT, role_sid TEXT)"],
        .init(), "assignments does not have the columns"
      ),
      (
        "virtual",
        plain + ["CREATE VIRTUAL TABLE assignments USING fts5(sid, identity, role_sid, scope)"],
        .init(), "assignments is not a plain table"
      ),
      (
        "rows",
        plain + [
          "CREATE TABLE assignments(sid TEXT PRIMARY KEY, identity TEXT, role_sid TEXT, scope TEXT)",
          "INSERT INTO assignments VALUES ('IY1', 'US1', 'IX1', 'OR1'), ('IY2', 'US1', 'IX2', 'OR1')",
        ], .init(maxAssignments: 1), "more than 1 role assignments"
      ),
      (
        "bytes",
        plain + [
          "CREATE TABLE assignments(sid TEXT PRIMARY KEY, identity TEXT, role_sid TEXT, scope TEXT)",
          "INSERT INTO assignments VALUES ('IY1', 'US1', printf('%.*c', 5000, 'x'), 'OR1')",
        ], .init(maxValueBytes: 1000), "a role assignment is larger than 1000 bytes"
      ),
    ]
    for (name, statements, limits, expected) in cases {
      let path = folder + "/\(name).db"
      try await SnapshotHardeningTests.craft(path, statements)
      await #expect {
        _ = try await SnapshotReader.read(path: path, limits: limits)
      } throws: { error in
        "\(error)".contains(expected)
      }
    }
    // Within the bounds, the same file reads.
    let path = folder + "/rows.db"
    #expect(try await SnapshotReader.read(path: path).assignments?.count == 2)
  }

  @Test func aDiffListsTheAssignmentsAddedAndRemovedByName() throws {
    let old = Self.snapshot(
      users: [Self.user(1), Self.user(2)],
      assignments: [Self.held("IY1", 1, "IXall"), Self.held("IY2", 2, "IXbill", Self.acme)])
    let new = Self.snapshot(
      users: [Self.user(1), Self.user(2), Self.user(3)],
      assignments: [
        Self.held("IY1", 1, "IXall"), Self.held("IY3", 3, "IXnodel"),
        // Same sid, another scope: removed and added.
        Self.held("IY2", 2, "IXbill"),
      ])
    let diff = SnapshotDiff(old: old, new: new)
    #expect(diff.assignmentsCompared)
    #expect(diff.assignmentsAdded.map(\.assignment.sid) == ["IY3", "IY2"])
    #expect(diff.assignmentsRemoved.map(\.assignment.sid) == ["IY2"])
    let removed = try #require(diff.assignmentsRemoved.first)
    #expect(removed.userName == "user2@example.com" && removed.role == "Role IXbill")
    #expect(removed.scopeName == "Acme Berlin")
    #expect(diff.assignmentsLine == "assignments: 2 added, 1 removed")
    let table = diff.table()
    #expect(table.contains("assignments: 2 added, 1 removed\n"))
    #expect(
      table.contains(
        "\nassignments removed:\n  IY2  user2@example.com  Role IXbill  in Acme Berlin\n"))
    #expect(table.contains("  IY3  user3@example.com  Role IXnodel  in the organization\n"))
    let json = try #require(diff.json.object?["assignments"]?.object)
    #expect(json.keys == ["added", "removed"])
    #expect(
      json["added"]?.array?.first?.object?.keys == [
        "sid", "identity", "user_name", "role_sid", "role", "scope", "scope_name",
      ])
    let csv = diff.csv.split(separator: "\r\n")
    #expect(
      csv.contains(
        #"assignments,removed,IY2,user2@example.com,assignment,"{""identity"":""US2"",""role_sid"":""IXbill"",""scope"":""AC11111111111111111111111111111111""}","#
      ), "\(csv)")
    // The header, the user added, and the three assignments.
    #expect(csv.count == 1 + 1 + 3)

    // A side without assignments: not compared, and said why.
    let older = Self.snapshot(users: [Self.user(1)], assignments: nil)
    let skipped = SnapshotDiff(old: older, new: new)
    #expect(skipped.assignmentsAdded.isEmpty && !skipped.assignmentsCompared)
    #expect(
      skipped.assignmentsLine
        == "assignments: not compared: the old snapshot has no role assignments (taken before orgscope stored them)"
    )
    #expect(skipped.json.object?["assignments"]?.object?["skipped"] != nil)
    // Neither side has people: no line at all.
    let none = Snapshot(path: "x", meta: ["taken_at": "x"], records: [:])
    #expect(SnapshotDiff(old: none, new: none).assignmentsLine == nil)
  }

  /// Who gained and who lost: people who joined or left, assignments added or removed,
  /// roles widened or deleted all count; none and overridden are the same rank.
  @Test func aWhoCanDiffSaysWhoGainedAndWhoLost() throws {
    let old = Self.snapshot(
      users: (1...6).map { Self.user($0) },
      assignments: [
        Self.held("IY1", 1, "IXall"),  // 1 leaves
        Self.held("IY2", 2, "IXread"),  // 2's role is widened to deleting
        Self.held("IY3", 3, "IXbill"),  // 3's role is deleted
        Self.held("IY4", 4, "IXnodel"),  // 4 is held back; gains IXbill
        Self.held("IY5", 5, "IXall"),  // 5's assignment is removed, IXnodel added
        Self.held("IY6", 6, "IXbill"),  // 6 unchanged
      ])
    var widened = Self.roles
    widened[3] = role("IXread", allow: ["/twilio/*/read", "/twilio/*/delete"], deny: [])
    widened.remove(at: 1)
    widened.append(role("IXbill2", allow: ["/twilio/billing/*"], deny: []))
    let new = Self.snapshot(
      users: (2...7).map { Self.user($0) },
      assignments: [
        Self.held("IY2", 2, "IXread"), Self.held("IY3", 3, "IXbill"),
        Self.held("IY4", 4, "IXnodel"), Self.held("IY4b", 4, "IXbill2"),
        Self.held("IY5b", 5, "IXnodel"), Self.held("IY6", 6, "IXbill2"),
        Self.held("IY7", 7, "IXall"),  // 7 joins
      ], roles: widened)
    let diff = try WhoCanDiff(
      Glob("/twilio/*/delete"), old: old, new: new, policySource: .twilioRoles)
    func rows(_ list: [WhoCanDiff.Change]) -> [String] {
      list.map { "\($0.sid) \($0.before.rawValue)→\($0.after.rawValue)" }
    }
    #expect(rows(diff.gained) == ["US2 none→all", "US4 overridden→some", "US7 none→all"])
    #expect(rows(diff.lost) == ["US1 all→none", "US3 some→none", "US5 all→overridden"])
    #expect(diff.undecided.isEmpty)
    let json = try #require(diff.json.object)
    #expect(json.keys == ["query", "gained", "lost"])
    #expect(json["gained"]?.array?.first?.object?.keys == ["sid", "user_name", "before", "after"])
    #expect(diff.csv.hasPrefix("sid,user_name,change,before,after\r\n"))
    #expect(diff.csv.contains("US1,user1@example.com,lost,all,none\r\n"))
    let table = diff.table()
    #expect(table.hasPrefix("Who can /twilio/*/delete: 3 gained, 3 lost\n"), "\(table)")
    #expect(table.contains("  US4  user4@example.com  overridden → some\n"))
    // A side that cannot answer says which.
    let older = Self.snapshot(users: [Self.user(1)], assignments: nil)
    #expect {
      try WhoCanDiff(Glob("*"), old: older, new: new, policySource: .twilioRoles)
    } throws: { error in
      "\(error)".contains("the old snapshot: this snapshot has no role assignments")
    }
    // The same file on both sides: nobody gained or lost.
    let same = try WhoCanDiff(Glob("*"), old: new, new: new, policySource: .twilioRoles)
    #expect(same.gained.isEmpty && same.lost.isEmpty)
  }
}

/// `orgscope snapshot` of the sandbox's people: the assignments come from who-can's fan-out.
@Suite(.serialized) struct SnapshotPeopleTakingTests {
  static func take(_ options: SandboxOptions, to path: String) async throws -> (
    SnapshotTaking.Taken, PeopleDirectory
  ) {
    let sandbox = try await Sandbox.start(options)
    let transport = HTTPClientTransport(environment: sandbox.environment)
    do {
      let setups = Configuration(values: sandbox.environment).makeSources(transport: transport)
      let taken = try await SnapshotTaking.take(
        setups: setups, wanted: [.twilioUsers, .twilioRoles],
        meta: [SnapshotSchema.Key.takenAt: "2026-12-05T00:00:00Z"], path: path, replace: false,
        redact: { $0 })
      // Live, without the assignments' fault, as who-can fetches them.
      var clean = options
      clean.faults = []
      let live = try await Sandbox.start(clean)
      let liveTransport = HTTPClientTransport(environment: live.environment)
      let users = try #require(
        Configuration(values: live.environment).makeSources(transport: liveTransport).first {
          $0.source == .twilioUsers
        }?.client)
      let directory = try await PeopleDirectory.load(users: users)
      await liveTransport.shutdown()
      await live.stop()
      await transport.shutdown()
      await sandbox.stop()
      return (taken, directory)
    } catch {
      await transport.shutdown()
      await sandbox.stop()
      throw error
    }
  }

  @Test func theSnapshotHoldsWhatWhoCanFetches() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var options = SandboxOptions(accounts: 40, roles: 120)
    options.users = 30
    let (taken, live) = try await Self.take(options, to: folder + "/s.db")
    #expect(!taken.failed, "\(taken.errors)")
    let snapshot = try await SnapshotReader.read(path: taken.path)
    #expect(snapshot.meta["count.assignments"] == String(live.assignments.count))
    let directory = try #require(try snapshot.peopleDirectory())
    #expect(directory.people == live.people)
    #expect(directory.assignments == live.assignments)
  }

  @Test func aFailedAssignmentsFetchKeepsTheUsersAndSaysSo() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var options = SandboxOptions(accounts: 40, roles: 120)
    options.users = 30
    options.faults = [try SandboxFault(parsing: "twilio-role-assignments:html500")]
    let (taken, _) = try await Self.take(options, to: folder + "/s.db")
    #expect(taken.failed)
    #expect(taken.errors.first?.hasPrefix("role assignments: ") == true, "\(taken.errors)")
    let snapshot = try await SnapshotReader.read(path: taken.path)
    #expect(snapshot.records[.twilioUsers]?.count == 30)
    #expect(snapshot.assignments == [])
    #expect(snapshot.meta["error.assignments"] != nil)
    #expect(throws: OrgScopeError.self) { try snapshot.peopleDirectory() }
  }
}
