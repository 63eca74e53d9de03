import Foundation
import OrgScopeCore
import OrgScopeSnapshot
import SQLiteNIO
import Testing

/// A scratch folder for one test.
func scratchFolder() throws -> String {
  let folder = NSTemporaryDirectory() + "orgscope-snapshot-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  return folder
}

func record(_ id: String, _ name: String, _ extra: KeyValuePairs<String, JSONValue> = [:])
  -> Record
{
  var fields = JSONObject(["id": .string(id), "name": .string(name)])
  for (key, value) in extra { fields[key] = value }
  return Record(id: id, name: name, fields: fields)
}

func role(_ id: String, allow: [String], deny: [String]) -> Record {
  Record(
    id: id, name: "Role \(id)",
    fields: JSONObject([
      "sid": .string(id), "friendly_name": .string("Role \(id)"),
      "policy": .object(
        JSONObject([
          "allow": .array(allow.map(JSONValue.string)), "deny": .array(deny.map(JSONValue.string)),
        ])),
    ]))
}

/// Rows of `sql` on the file, through the same library the product uses.
func rows(_ path: String, _ sql: String) async throws -> [SQLiteRow] {
  let connection = try await SQLiteConnection.open(storage: .file(path: path))
  let result = try await connection.query(sql, [])
  try await connection.close()
  return result
}

@Suite struct SnapshotStoreTests {
  let meta = [
    "taken_at": "2026-12-02T11:40:07Z", "orgscope_version": "0.1.0", "profile": "default",
    "count.cloudflare": "2", "count.twilio-roles": "1", "error.huawei": "Huawei Cloud: HTTP 500",
  ]

  @Test func writesTheSchemaPrivatelyAndReadsEveryRecordBackInOrder() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/default-20261202T114007Z.db"
    let writer = try await SnapshotWriter.create(path: path, replace: false)
    let accounts = [
      record("b2", "Zürich Payments", ["settings": .object(JSONObject(["x": .number("1.50")]))]),
      record("a1", "東京支社"),
    ]
    try await writer.insert(accounts, source: .cloudflare)
    try await writer.insert(
      [
        role(
          "IX1", allow: ["/twilio/billing/*", "/twilio/iam/users/read"], deny: ["/twilio/*/delete"])
      ],
      source: .twilioRoles)
    #expect(try await writer.finish(meta: meta) == path)

    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    // Nothing else is left beside it (no temporary file, no journal).
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder) == [
        (path as NSString).lastPathComponent
      ])

    let schema = try await rows(path, "SELECT name, sql FROM sqlite_master ORDER BY name")
    let sql = Dictionary(
      uniqueKeysWithValues: schema.map {
        ($0.column("name")?.string ?? "", $0.column("sql")?.string ?? "")
      })
    #expect(
      sql["records"]
        == "CREATE TABLE records(source TEXT, id TEXT, name TEXT, json TEXT, PRIMARY KEY (source, id))"
    )
    #expect(
      sql["permissions"]
        == "CREATE TABLE permissions(source TEXT, role_id TEXT, effect TEXT, pattern TEXT)")
    #expect(sql["snapshot"] == "CREATE TABLE snapshot(key TEXT PRIMARY KEY, value TEXT)")
    #expect(sql["records_by_name"] != nil && sql["permissions_by_pattern"] != nil)

    let permissions = try await rows(
      path, "SELECT source, role_id, effect, pattern FROM permissions ORDER BY effect, pattern")
    #expect(
      permissions.map { row in
        ["source", "role_id", "effect", "pattern"].map { row.column($0)!.string! }
          .joined(separator: " ")
      } == [
        "twilio-roles IX1 allow /twilio/billing/*", "twilio-roles IX1 allow /twilio/iam/users/read",
        "twilio-roles IX1 deny /twilio/*/delete",
      ])
    let json = try await rows(
      path, "SELECT json FROM records WHERE source = 'cloudflare' ORDER BY rowid")
    #expect(
      json.map { $0.column("json")!.string! }
        == accounts.map { JSONWriter.compact(.object($0.fields)) })

    let snapshot = try await SnapshotReader.read(path: path)
    #expect(snapshot.records[.cloudflare] == accounts)
    #expect(snapshot.sources == [.twilioRoles, .cloudflare])
    #expect(snapshot.takenAtText == "2026-12-02 11:40 UTC")
    #expect(snapshot.absence(of: .huawei) == "not in this snapshot: Huawei Cloud: HTTP 500")
    #expect(snapshot.absence(of: .sendgrid)?.hasPrefix("not in this snapshot") == true)
  }

  @Test func anExistingFileIsKeptUnlessReplaced() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/taken.db"
    try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
    await #expect(throws: SnapshotError.exists(path)) {
      _ = try await SnapshotWriter.create(path: path, replace: false)
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
    let writer = try await SnapshotWriter.create(path: path, replace: true)
    try await writer.insert([record("a", "A")], source: .sendgrid)
    _ = try await writer.finish(meta: meta)
    #expect(try await SnapshotReader.read(path: path).records[.sendgrid]?.count == 1)
  }

  @Test func anAbandonedSnapshotLeavesNoFile() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let writer = try await SnapshotWriter.create(path: folder + "/x.db", replace: false)
    try await writer.insert([record("a", "A")], source: .sendgrid)
    #expect(FileManager.default.fileExists(atPath: writer.temporaryPath))
    await writer.abandon()
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  @Test func aFileThatIsNotASnapshotIsRefusedAndNotChanged() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/notes.db"
    try Data("not sqlite at all, just some text".utf8).write(to: URL(fileURLWithPath: path))
    await #expect(throws: SnapshotError.self) { _ = try await SnapshotReader.read(path: path) }
    await #expect(throws: SnapshotError.self) {
      _ = try await SnapshotReader.read(path: folder + "/missing.db")
    }
    // Reading is read-only: a missing file is not created.
    #expect(!FileManager.default.fileExists(atPath: folder + "/missing.db"))
    #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("not sqlite"))
  }

  @Test func aFailedSourceIsDroppedWhenDiscarded() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let writer = try await SnapshotWriter.create(path: folder + "/x.db", replace: false)
    try await writer.insert([record("a", "A")], source: .huawei)
    try await writer.insert([record("c", "C")], source: .cloudflare)
    try await writer.discard(.huawei)
    let path = try await writer.finish(meta: [
      "taken_at": "2026-12-02T11:40:07Z", "count.cloudflare": "1", "error.huawei": "boom",
    ])
    let counts = try await rows(path, "SELECT source, COUNT(*) AS n FROM records GROUP BY source")
    #expect(counts.map { $0.column("source")!.string! } == ["cloudflare"])
  }

  /// A file of schema version 1 (before `permissions.source`) is read as it was: its
  /// records, every source's pages, and the roles' policies. A newer version is refused.
  @Test func aVersionOneFileIsStillRead() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for version in [1, SnapshotSchema.version + 1] {
      let path = folder + "/v\(version).db"
      let connection = try await SQLiteConnection.open(storage: .file(path: path))
      for statement in [
        "CREATE TABLE records(source TEXT, id TEXT, name TEXT, json TEXT, PRIMARY KEY (source, id))",
        "CREATE TABLE permissions(role_id TEXT, effect TEXT, pattern TEXT)",
        "CREATE TABLE snapshot(key TEXT PRIMARY KEY, value TEXT)",
        "CREATE INDEX permissions_by_role ON permissions(role_id, effect)",
      ] {
        _ = try await connection.query(statement, [])
      }
      let roleRecord = role("IX1", allow: ["/twilio/billing/*"], deny: ["/twilio/*/delete"])
      let account = record("a1", "Acme")
      for (source, item) in [("twilio-roles", roleRecord), ("cloudflare", account)] {
        _ = try await connection.query(
          "INSERT INTO records VALUES (?, ?, ?, ?)",
          [
            .text(source), .text(item.id), .text(item.name),
            .text(JSONWriter.compact(.object(item.fields))),
          ])
      }
      _ = try await connection.query(
        "INSERT INTO permissions VALUES ('IX1', 'allow', '/twilio/billing/*')", [])
      for (key, value) in [
        ("taken_at", "2026-01-02T03:04:05Z"), ("schema_version", String(version)),
        ("count.twilio-roles", "1"), ("count.cloudflare", "1"),
      ] {
        _ = try await connection.query(
          "INSERT INTO snapshot VALUES (?, ?)", [.text(key), .text(value)])
      }
      try await connection.close()

      guard version == 1 else {
        await #expect(throws: SnapshotError.self) { _ = try await SnapshotReader.read(path: path) }
        continue
      }
      let snapshot = try await SnapshotReader.read(path: path)
      #expect(snapshot.sources == [.twilioRoles, .cloudflare])
      #expect(snapshot.records[.cloudflare] == [account])
      let setups = SnapshotSources.setups(snapshot)
      let roles = try #require(setups.first { $0.source == .twilioRoles }?.client)
      var policies: [RolePolicy] = []
      for try await page in roles.pages(query: Query()) {
        policies += page.records.compactMap(roles.provider.policy(of:))
      }
      #expect(
        policies == [
          RolePolicy(
            id: "IX1", name: "Role IX1", allow: ["/twilio/billing/*"], deny: ["/twilio/*/delete"])
        ])
    }
  }
}
