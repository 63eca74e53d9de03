import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeSnapshot
import Testing

/// Takes a snapshot of a sandbox (every source, to the end) through the same paging engine
/// as `list`, into a file, and reads it back.
func takeSnapshot(of options: SandboxOptions, to path: String) async throws -> Snapshot {
  let sandbox = try await Sandbox.start(options)
  let transport = HTTPClientTransport(environment: sandbox.environment)
  do {
    let clients = Configuration(values: sandbox.environment).makeSources(transport: transport)
      .compactMap(\.client)
    #expect(clients.count == SourceID.allCases.count)
    let writer = try await SnapshotWriter.create(path: path, replace: false)
    let fetched = await SnapshotTaking.fetch(
      clients, sink: { source, records in try await writer.insert(records, source: source) },
      assignments: { try await writer.insert($0) })
    var meta = ["taken_at": SnapshotTaking.timestamp(Date())]
    for (source, outcome) in fetched.outcomes {
      meta["count." + source.rawValue] = String(try outcome.get())
    }
    meta["count.assignments"] = String(try #require(try fetched.assignments?.get()))
    _ = try await writer.finish(meta: meta)
  } catch {
    await transport.shutdown()
    await sandbox.stop()
    throw error
  }
  await transport.shutdown()
  await sandbox.stop()
  return try await SnapshotReader.read(path: path)
}

@Suite(.serialized) struct SnapshotDiffTests {
  @Test func theLaterSandboxShowsAccountsClosedRenamedRemovedAddedAndARoleWidened() async throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let old = try await takeSnapshot(
      of: SandboxOptions(accounts: 400, roles: 40), to: folder + "/old.db")
    let new = try await takeSnapshot(
      of: SandboxOptions(accounts: 400, roles: 40, epoch: .later), to: folder + "/new.db")
    #expect(old.records[.cloudflare]?.count == 400)
    #expect(old.records[.twilioRoles]?.count == 40)
    let diff = SnapshotDiff(old: old, new: new)
    // Every source of accounts (the roles are checked below).
    for source in SourceID.allCases where !source.descriptor.capabilities.policies {
      let summary = try #require(diff.summaries.first { $0.source == source })
      #expect(summary.added > summary.removed, "\(source): \(summary.line)")
      #expect(summary.removed > 0, "\(source): \(summary.line)")
      #expect(summary.changed + summary.renamed > 0, "\(source): \(summary.line)")
      #expect(
        new.records[source]!.count == old.records[source]!.count + summary.added - summary.removed)
    }
    #expect(diff.summaries.first { $0.source == .cloudflare }!.renamed > 0)
    // A Twilio account closed: its status, old and new.
    let closed = diff.changed.filter {
      $0.source == .twilioAccounts && $0.diff.field("status")?.new == .string("closed")
    }
    #expect(!closed.isEmpty)
    #expect(closed.allSatisfy { $0.diff.fields.count == 1 && $0.diff.fields[0].old != nil })
    // Cloudflare's nested settings are compared by dotted path.
    #expect(
      diff.changed.contains {
        $0.source == .cloudflare && $0.diff.field("settings.enforce_twofactor") != nil
      })
    // A widened role: the allow entry it gained, nothing removed.
    let widened = diff.changed.filter { $0.source == .twilioRoles }
    #expect(!widened.isEmpty)
    #expect(
      widened.allSatisfy { $0.diff.allowAdded == ["/twilio/iam/*"] && $0.diff.allowRemoved.isEmpty }
    )
    #expect(
      diff.summaries.first { $0.source == .twilioRoles }?.line
        == "twilio-roles: 0 added, 0 renamed, \(widened.count) changed, 0 removed")

    // JSON: the shape scripts rely on.
    let json = try #require(diff.json.object)
    #expect(json.keys == ["old", "new", "summary", "added", "removed", "changed", "assignments"])
    let firstChange = try #require(json["changed"]?.array?.first?.object)
    #expect(Array(firstChange.keys.prefix(3)) == ["source", "id", "name"])
    let field = try #require(firstChange["fields"]?.array?.first?.object)
    #expect(field.keys == ["path", "old", "new"])
    #expect(json["added"]?.array?.first?.object?.keys == ["source", "id", "name"])
    // The files' meta as `snapshot list --format json` writes it: counts are numbers.
    let oldMeta = try #require(json["old"]?.object)
    let count = try #require(oldMeta["count.twilio-accounts"])
    guard case .number = count else {
      Issue.record("count.twilio-accounts is \(count), not a number")
      return
    }
    // CSV: one row per added/removed record and per changed field.
    let csvRows = diff.csv.split(separator: "\r\n")
    let fieldRows = diff.changed.reduce(0) {
      $0 + $1.diff.fields.count + $1.diff.allowAdded.count + $1.diff.allowRemoved.count
        + $1.diff.denyAdded.count + $1.diff.denyRemoved.count
    }
    #expect(
      csvRows.count
        == 1 + diff.added.count + diff.removed.count + fieldRows + diff.assignmentsAdded.count
        + diff.assignmentsRemoved.count)
    // The people: assignments added and removed, people joined and left, and the fourth
    // user gains a broad role organization-wide.
    #expect(!diff.assignmentsAdded.isEmpty && !diff.assignmentsRemoved.isEmpty)
    let people = try #require(diff.summaries.first { $0.source == .twilioUsers })
    #expect(people.added > 0 && people.removed > 0, "\(people.line)")
    let fourth = try #require(old.records[.twilioUsers]?[3].id)
    #expect(
      diff.assignmentsAdded.contains {
        $0.assignment.identity == fourth && $0.assignment.isOrganizationWide
      })
    // The table leads with a summary line per source.
    let table = diff.table().split(separator: "\n")
    #expect(table[1].hasPrefix("twilio-accounts: "))
    #expect(table[2].hasPrefix("twilio-roles: "))

    // The same snapshot against itself: nothing changed.
    let same = SnapshotDiff(old: old, new: old)
    #expect(same.added.isEmpty && same.removed.isEmpty && same.changed.isEmpty)
  }

  @Test func offlinePagesAnswerAQueryAsTheServerWould() async throws {
    let records = ["Beta", "alpha", "", "Gamma alpha"].enumerated().map {
      record("id\($0.offset)", $0.element)
    }
    let pages = SnapshotPages(
      source: .cloudflare, records: records, pageSize: 2)
    let client = SourceClient.offline(
      provider: CloudflareProvider(organizationID: ""), pages: pages)
    func names(_ query: Query) async throws -> [String] {
      var all: [String] = []
      for try await page in client.pages(query: query) { all += page.records.map(\.name) }
      return all
    }
    #expect(try await names(Query()) == ["Beta", "alpha", "", "Gamma alpha"])
    #expect(try await names(Query(search: "ALPHA")) == ["alpha", "Gamma alpha"])
    #expect(try await names(Query(search: "al", match: .startsWith)) == ["alpha"])
    #expect(try await names(Query(sortByName: .asc)) == ["alpha", "Beta", "Gamma alpha", ""])
    #expect(try await names(Query(sortByName: .desc)) == ["", "Gamma alpha", "Beta", "alpha"])
    let first = try await client.fetchPage(query: Query(), cursor: nil)
    #expect(first.records.count == 2 && first.total == 4 && first.next == .token("2"))
  }
}
