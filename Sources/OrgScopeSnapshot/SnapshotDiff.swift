import Foundation
import OrgScopeCore

/// What changed between two snapshots: per source, the records added, removed and changed
/// (with their changed fields and, for roles, the allow and deny entries added and
/// removed). Sources missing from either side are named, not compared.
public struct SnapshotDiff: Sendable {
  public struct Entry: Sendable, Hashable {
    public var source: SourceID
    public var id: String
    public var name: String
  }

  public struct Change: Sendable, Hashable {
    public var source: SourceID
    public var id: String
    /// The name now (`oldName` before, when it changed).
    public var name: String
    public var oldName: String
    public var diff: RecordDiff

    public var renamed: Bool { name != oldName }
  }

  public struct Summary: Sendable, Hashable {
    public var source: SourceID
    public var added = 0
    public var removed = 0
    public var renamed = 0
    /// Changed in another way than (or besides) the name.
    public var changed = 0
    /// Why the source was not compared ("not in the old snapshot: …").
    public var skipped: String?

    public var line: String {
      if let skipped { return "\(source.rawValue): \(skipped)" }
      return
        "\(source.rawValue): \(added.formatted) added, \(renamed.formatted) renamed, \(changed.formatted) changed, \(removed.formatted) removed"
    }
  }

  /// A role assignment added or removed, with the names it had on its side.
  public struct Assignment: Sendable, Hashable {
    public var assignment: RoleAssignment
    /// The user's user name (their sid when neither side lists them).
    public var userName: String
    /// The role's name (its sid when that side has no such role).
    public var role: String
    /// "the organization", or the account's name.
    public var scopeName: String
  }

  public var old: [String: String]
  public var new: [String: String]
  public var summaries: [Summary] = []
  public var added: [Entry] = []
  public var removed: [Entry] = []
  public var changed: [Change] = []
  /// Role assignments added and removed (an assignment whose role, scope or user changed
  /// under the same sid is both); empty when they were not compared.
  public var assignmentsAdded: [Assignment] = []
  public var assignmentsRemoved: [Assignment] = []
  /// Whether both sides had role assignments to compare; `assignmentsSkipped` says why not
  /// (nil when neither side holds people at all).
  public var assignmentsCompared = false
  public var assignmentsSkipped: String?

  /// "assignments: 3 added, 2 removed", or why they were not compared; nil when neither
  /// side holds people.
  public var assignmentsLine: String? {
    if let skipped = assignmentsSkipped { return "assignments: \(skipped)" }
    guard assignmentsCompared else { return nil }
    return
      "assignments: \(assignmentsAdded.count.formatted) added, \(assignmentsRemoved.count.formatted) removed"
  }

  public init(old: Snapshot, new: Snapshot) {
    self.old = old.meta
    self.new = new.meta
    for source in SourceID.allCases {
      var summary = Summary(source: source)
      let before = old.sources.contains(source)
      let after = new.sources.contains(source)
      if !before && !after { continue }
      if !before || !after {
        let side = before ? "new" : "old"
        let reason = (before ? new : old).absence(of: source) ?? "not in this snapshot"
        summary.skipped =
          "not compared: \(reason.replacingOccurrences(of: "this snapshot", with: "the \(side) snapshot"))"
        summaries.append(summary)
        continue
      }
      let provider = source.descriptor.offlineProvider()
      let oldRecords = old.records[source] ?? []
      let newRecords = new.records[source] ?? []
      var oldByID: [String: Record] = [:]
      for record in oldRecords where oldByID[record.id] == nil { oldByID[record.id] = record }
      var newIDs = Set<String>()
      for record in newRecords where newIDs.insert(record.id).inserted {
        guard let previous = oldByID[record.id] else {
          added.append(Entry(source: source, id: record.id, name: record.name))
          summary.added += 1
          continue
        }
        guard let diff = RecordDiff(old: previous, new: record, provider: provider) else {
          continue
        }
        let change = Change(
          source: source, id: record.id, name: record.name, oldName: previous.name, diff: diff)
        if change.renamed { summary.renamed += 1 }
        if !change.renamed || diff.fields.count > 1 { summary.changed += 1 }
        changed.append(change)
      }
      var removedIDs = Set<String>()
      for record in oldRecords where !newIDs.contains(record.id) {
        guard removedIDs.insert(record.id).inserted else { continue }
        removed.append(Entry(source: source, id: record.id, name: record.name))
        summary.removed += 1
      }
      summaries.append(summary)
    }
    compareAssignments(old: old, new: new)
  }

  /// The role assignments of both sides, compared as whole (sid, user, role, scope) rows.
  private mutating func compareAssignments(old: Snapshot, new: Snapshot) {
    let users = TwilioUsersProvider.sourceID
    guard old.sources.contains(users) || new.sources.contains(users) else { return }
    var sides: [PeopleDirectory] = []
    for (side, snapshot) in [("old", old), ("new", new)] {
      do {
        guard let directory = try snapshot.peopleDirectory() else {
          assignmentsSkipped =
            "not compared: the \(side) snapshot has no role assignments (taken before orgscope stored them)"
          return
        }
        sides.append(directory)
      } catch {
        assignmentsSkipped =
          "not compared: \(Sanitizer.clean("\(error)").replacingOccurrences(of: "this snapshot", with: "the \(side) snapshot"))"
        return
      }
    }
    assignmentsCompared = true
    func named(_ list: [RoleAssignment], _ snapshot: Snapshot, _ other: Snapshot) -> [Assignment] {
      var userNames: [String: String] = [:]
      var roleNames: [String: String] = [:]
      var accounts: [String: String] = other.accountNames
      for (sid, name) in snapshot.accountNames { accounts[sid] = name }
      for side in [other, snapshot] {
        for record in side.records[users] ?? [] {
          userNames[record.id] = Person(record: record).userName
        }
        for source in ProviderRegistry.policySources {
          for record in side.records[source] ?? [] { roleNames[record.id] = record.name }
        }
      }
      return list.map {
        Assignment(
          assignment: $0, userName: userNames[$0.identity] ?? $0.identity,
          role: roleNames[$0.roleSID] ?? $0.roleSID,
          scopeName: PeopleAudit.scopeName($0.scope, names: accounts))
      }
    }
    let before = Set(sides[0].assignments)
    let after = Set(sides[1].assignments)
    var seen = Set<RoleAssignment>()
    assignmentsAdded = named(
      sides[1].assignments.filter { !before.contains($0) && seen.insert($0).inserted }, new, old)
    seen = []
    assignmentsRemoved = named(
      sides[0].assignments.filter { !after.contains($0) && seen.insert($0).inserted }, old, new)
  }
}
