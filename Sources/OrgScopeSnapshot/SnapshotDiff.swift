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

  public var old: [String: String]
  public var new: [String: String]
  public var summaries: [Summary] = []
  public var added: [Entry] = []
  public var removed: [Entry] = []
  public var changed: [Change] = []

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
  }
}
