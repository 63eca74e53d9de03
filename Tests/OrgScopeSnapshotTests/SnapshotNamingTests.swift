import Foundation
import OrgScopeCore
import Testing

@testable import OrgScopeSnapshot

/// What `latest` names, and the order warning of a diff.
@Suite struct SnapshotNamingTests {
  func take(_ path: String, profile: String, at time: String) async throws {
    let writer = try await SnapshotWriter.create(path: path, replace: false)
    try await writer.insert([record("a1", "Acme")], source: .cloudflare)
    _ = try await writer.finish(meta: [
      "taken_at": time, "profile": profile, "schema_version": String(SnapshotSchema.version),
      "count.cloudflare": "1",
    ])
  }

  @Test func theNewestOfAProfileIsByTimeTakenNotByName() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect(await SnapshotFolder.newest(in: folder, profile: "default") == nil)
    try await take(folder + "/b.db", profile: "default", at: "2026-12-02T11:40:07Z")
    try await take(folder + "/a.db", profile: "default", at: "2026-12-03T09:00:00Z")
    try await take(folder + "/c.db", profile: "prod", at: "2026-12-04T09:00:00Z")
    // A file that is no snapshot is passed over.
    #expect(FileManager.default.createFile(atPath: folder + "/z.db", contents: Data("x".utf8)))
    #expect(await SnapshotFolder.newest(in: folder, profile: "default") == folder + "/a.db")
    #expect(await SnapshotFolder.newest(in: folder, profile: "prod") == folder + "/c.db")
    #expect(await SnapshotFolder.newest(in: folder, profile: "demo") == nil)
    #expect(await SnapshotFolder.newest(in: folder + "/missing", profile: "default") == nil)
  }

  @Test func aDiffWhoseOldIsNewerSaysSoAndAnUnreadableTimeSaysNothing() {
    func snapshot(_ time: String) -> Snapshot {
      Snapshot(path: time, meta: ["taken_at": time], records: [:])
    }
    let earlier = snapshot("2026-12-02T11:40:07Z")
    let later = snapshot("2026-12-05T08:00:00Z")
    #expect(earlier.laterThan(later) == nil)
    #expect(earlier.laterThan(earlier) == nil)
    #expect(
      later.laterThan(earlier)
        == "warning: OLD (taken 2026-12-05 08:00 UTC) is newer than NEW (taken 2026-12-02 11:40 UTC): what is listed as added was removed since, and the other way round"
    )
    #expect(snapshot("yesterday").laterThan(earlier) == nil)
    #expect(later.laterThan(snapshot("")) == nil)
  }

  @Test func theListingsJSONCountsAreNumbers() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await take(folder + "/a.db", profile: "default", at: "2026-12-03T09:00:00Z")
    let entry = await SnapshotFolder.list(folder).json.array?.first?.object
    #expect(entry?["count.cloudflare"] == .number("1"))
    #expect(entry?["taken_at"] == .string("2026-12-03T09:00:00Z"))
    #expect(entry?["schema_version"] == .string(String(SnapshotSchema.version)))
  }
}
