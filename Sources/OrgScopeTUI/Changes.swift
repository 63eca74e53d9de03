import OrgScopeCore

/// `--since FILE`: the records of an earlier snapshot, to mark what changed since. Plain
/// data, read once before the TUI starts; the marks are worked out for the rows on screen.
public struct Baseline: Sendable {
  /// When the snapshot was taken, for display (`2026-12-02 11:40 UTC`).
  public var takenAt: String
  /// Its records per source, in the order they were listed.
  public var records: [SourceID: [Record]]
  private var positions: [SourceID: [String: Int]]

  /// Records of the snapshot that the live source no longer has, once all of it is loaded
  /// (set per tab by `App.noteChanges`).
  public var removedCount: Int?

  /// People (`twilio-users`, by sid) whose role assignments changed since the snapshot,
  /// with their assignments then and now (`PeopleDirectory.assignmentChanges`): marked as
  /// changed even when their record is not. Worked out when the users tab has loaded the
  /// people (`App.peopleLoaded`), from `peopleThen`.
  public var assignments: [String: RecordDiff.Field] = [:]

  /// The snapshot's people with their assignments, and the names its roles and accounts had.
  public struct PeopleThen: Sendable {
    public var directory: PeopleDirectory
    public var roleNames: [String: String]
    public var scopeNames: [String: String]

    public init(
      directory: PeopleDirectory, roleNames: [String: String], scopeNames: [String: String]
    ) {
      self.directory = directory
      self.roleNames = roleNames
      self.scopeNames = scopeNames
    }
  }

  /// Set when the snapshot holds role assignments.
  public var peopleThen: PeopleThen?

  /// Compares the people loaded now with `peopleThen` (names as then, else as now).
  mutating func compare(_ now: PeopleData) {
    guard let then = peopleThen else { return }
    let roleNames = then.roleNames.merging(now.roles.map { ($0.id, $0.name) }) { then, _ in then }
    assignments = now.directory.assignmentChanges(
      since: then.directory, roleNames: roleNames,
      scopeNames: then.scopeNames.merging(now.accounts) { then, _ in then })
  }

  public init(takenAt: String, records: [SourceID: [Record]]) {
    self.takenAt = takenAt
    self.records = records
    positions = records.mapValues { list in
      var byID: [String: Int] = [:]
      for (position, record) in list.enumerated() where byID[record.id] == nil {
        byID[record.id] = position
      }
      return byID
    }
  }

  /// Whether the snapshot holds `source` at all (a source it lacks marks nothing).
  public func covers(_ source: SourceID) -> Bool { records[source] != nil }

  /// The record `id` of `source` as the snapshot had it.
  public func old(_ source: SourceID, id: String) -> Record? {
    guard let position = positions[source]?[id] else { return nil }
    return records[source]?[position]
  }

  /// `+` for a record the snapshot did not have, `~` for one that changed, nil otherwise.
  public func mark(_ source: SourceID, _ record: Record) -> ChangeMark? {
    guard covers(source) else { return nil }
    guard let old = old(source, id: record.id) else { return .added }
    let held = source == TwilioUsersProvider.sourceID ? assignments[record.id] : nil
    if old.fields == record.fields && old.name == record.name && held == nil { return nil }
    var diff = RecordDiff(old: old, new: record, provider: source.descriptor.offlineProvider())
    if let held {
      var merged = diff ?? RecordDiff(fields: [])
      merged.fields.append(held)
      diff = merged
    }
    return diff.map(ChangeMark.changed)
  }

  /// The snapshot's records of `source` that `current` (every live record) no longer has.
  public func removed(_ source: SourceID, current: [Record]) -> [Record] {
    guard let list = records[source] else { return [] }
    let ids = Set(current.map(\.id))
    return list.filter { !ids.contains($0.id) }
  }
}

/// How a live record differs from the `--since` snapshot.
public enum ChangeMark: Sendable, Hashable {
  case added
  case changed(RecordDiff)

  /// The list's mark: `+` or `~`.
  public var symbol: String {
    switch self {
    case .added: return "+"
    case .changed: return "~"
    }
  }
}

/// `c`: the list narrowed to what changed since the snapshot: changed and added records in
/// list order as they load, then (once every page is loaded) those removed, from the file.
public struct ChangeList: Sendable {
  public var records: [Record] = []
  /// `records[removedFrom...]` are the removed ones.
  public var removedFrom: Int?
  /// The listing it was built from, and how many of its records were looked at.
  public var generation: Int
  public var scanned = 0

  public init(generation: Int) { self.generation = generation }

  public func isRemoved(_ row: Int) -> Bool { removedFrom.map { row >= $0 } ?? false }
}

extension Baseline {
  /// The detail pane's section on what changed: each changed field with its old value,
  /// a role's entries added and removed; for a removed record, that it is gone.
  func section(for record: Record, source: SourceID, removed: Bool) -> DetailSection? {
    if removed {
      return DetailSection(
        title: "Removed since \(takenAt)",
        lines: [
          DetailLine(
            key: "-", value: "no longer listed; shown as the snapshot had it", style: .deny)
        ])
    }
    switch mark(source, record) {
    case nil: return nil
    case .added?:
      return DetailSection(
        title: "Added since \(takenAt)",
        lines: [DetailLine(key: "+", value: "not in the snapshot", style: .allow)])
    case .changed(let diff)?:
      var lines: [DetailLine] = []
      for field in diff.fields where !(field.path.hasPrefix("policy.") && diff.hasEntries) {
        lines.append(DetailLine(key: field.path, value: "was " + Self.text(field.old)))
      }
      lines += diff.allowAdded.map { DetailLine(key: "+ allow", value: $0, style: .allow) }
      lines += diff.allowRemoved.map { DetailLine(key: "- allow", value: $0, style: .dim) }
      lines += diff.denyAdded.map { DetailLine(key: "+ deny", value: $0, style: .deny) }
      lines += diff.denyRemoved.map { DetailLine(key: "- deny", value: $0, style: .dim) }
      return DetailSection(title: "Changed since \(takenAt)", lines: lines)
    }
  }

  static func text(_ value: JSONValue?) -> String {
    guard let value else { return "(absent)" }
    switch value {
    case .null: return "null"
    case .string(let text): return JSONWriter.quoted(text)
    default: return JSONWriter.compact(value)
    }
  }
}

extension RecordDiff {
  var hasEntries: Bool {
    !(allowAdded.isEmpty && allowRemoved.isEmpty && denyAdded.isEmpty && denyRemoved.isEmpty)
  }
}

extension App {
  /// `c`: only what changed since the `--since` snapshot, or everything again. Turning it
  /// on loads every page (any key stops it), since the removed records can only be told
  /// once the whole source is known.
  static func toggleChanges(_ state: inout AppState) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index), state.tabs[index].provider != nil else { return [] }
    guard state.tabs[index].since?.covers(state.tabs[index].source) == true else {
      state.status = StatusMessage(
        level: .warn,
        text: state.tabs[index].since == nil
          ? "c shows what changed: start with --since SNAPSHOT"
          : "the --since snapshot does not hold \(state.tabs[index].source.title)")
      return []
    }
    func top() {
      state.tabs[index].cursor = 0
      state.tabs[index].top = 0
      state.tabs[index].detailScroll = 0
    }
    if state.tabs[index].changes != nil {
      state.tabs[index].changes = nil
      top()
      state.status = StatusMessage(level: .info, text: "all records")
      return []
    }
    guard let listing = state.tabs[index].listing else { return [] }
    guard state.tabs[index].query == Query(), state.tabs[index].fieldFilter == nil else {
      state.status = StatusMessage(
        level: .warn,
        text: "c needs every record to tell what was removed: clear the search and filters first"
      )
      return []
    }
    top()
    state.tabs[index].changes = ChangeList(generation: listing.generation)
    noteChanges(&state, index)
    state.status = StatusMessage(level: .info, text: "changes only (c: all records)")
    return listing.exhausted ? [] : goToEnd(&state, index, then: .last)
  }

  /// After a page: extends the changes-only list with the new records, adds the removed
  /// ones once every page is in, and counts the removed for the tab bar.
  static func noteChanges(_ state: inout AppState, _ index: Int) {
    guard state.tabs.indices.contains(index), let since = state.tabs[index].since,
      let listing = state.tabs[index].listing
    else { return }
    let source = state.tabs[index].source
    let plain = state.tabs[index].query == Query() && state.tabs[index].fieldFilter == nil
    if listing.exhausted, plain, since.removedCount == nil {
      state.tabs[index].since?.removedCount = since.removed(source, current: listing.records).count
    }
    guard var changes = state.tabs[index].changes else { return }
    // Another listing (a server search, a reload): back to every record, since the
    // removed ones could no longer be told from those the new query leaves out.
    guard changes.generation == listing.generation else {
      state.tabs[index].changes = nil
      return
    }
    if changes.removedFrom == nil {
      for record in listing.records[changes.scanned...] where since.mark(source, record) != nil {
        changes.records.append(record)
      }
      changes.scanned = listing.records.count
      if listing.exhausted {
        changes.removedFrom = changes.records.count
        changes.records += since.removed(source, current: listing.records)
        // Loading to the end moved the cursor to the last record: start at the top.
        state.tabs[index].cursor = 0
        state.tabs[index].top = 0
      }
    }
    state.tabs[index].changes = changes
  }
}

extension Canvas {
  /// The `--since` mark of list row `row`: `+` added, `~` changed, `-` removed.
  func changeMark(_ tab: SourceTab, row: Int, record: Record) -> (String, ThemeSlot)? {
    guard let since = tab.since else { return nil }
    if tab.changes?.isRemoved(row) == true { return ("-", .policyDeny) }
    switch since.mark(tab.source, record) {
    case .added?: return ("+", .policyAllow)
    case .changed?: return ("~", .statusWarn)
    case nil: return nil
    }
  }

  /// The tab of a source that the snapshot being browsed does not hold.
  mutating func drawAbsent(_ source: SourceID, hint: String, area: Rect) {
    var y = area.y + 1
    for line in ["\(source.title): \(hint)."] {
      for piece in DetailLayout.wrap(pictured(line), width: max(1, area.width - 4))
      where y < area.y + area.height {
        text(piece, x: area.x + 2, y: y, width: area.width - 4, .statusWarn)
        y += 1
      }
    }
  }
}
