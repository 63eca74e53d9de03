import OrgScopeCore

/// A role's deny notes ("partly denied by …", "cuts …") can take long to decide for a hostile
/// role (issue 22): they are computed off the UI thread, once per role, and kept here; the
/// detail pane says "computing…" until they are in.
public struct NotesCache: Sendable {
  /// By role: its policy is the key, so a role that changed is computed again.
  var computed: [RolePolicy: [RoleAudit.EntryNote]] = [:]
  /// Oldest first: past `limit` the oldest are dropped.
  var order: [RolePolicy] = []
  /// The role whose notes are being computed: one at a time, the next asked when it ends.
  public internal(set) var computing: RolePolicy?

  static let limit = 256

  /// The notes of `role`: none to compute for a role without deny entries, nil while not
  /// computed.
  func notes(of role: RolePolicy) -> [RoleAudit.EntryNote]? {
    role.deny.isEmpty ? [] : computed[role]
  }

  mutating func store(_ notes: [RoleAudit.EntryNote], of role: RolePolicy) {
    if computed.updateValue(notes, forKey: role) == nil { order.append(role) }
    while order.count > Self.limit { computed[order.removeFirst()] = nil }
  }
}

extension App {
  /// The role the active tab's detail pane shows, when its notes are not computed.
  static func roleNeedingNotes(_ state: AppState) -> RolePolicy? {
    guard let tab = state.activeTab, tab.capabilities.policies, let record = tab.selected,
      let role = tab.provider?.policy(of: record), state.notes.notes(of: role) == nil
    else { return nil }
    return role
  }

  /// Asks for the shown role's notes, unless a role's are being computed (its answer asks
  /// for the next one shown then).
  static func requestNotes(_ state: inout AppState) -> [Command] {
    guard !state.quitting, state.notes.computing == nil, let role = roleNeedingNotes(state)
    else { return [] }
    state.notes.computing = role
    return [.roleNotes(role)]
  }

  static func notesComputed(
    _ state: inout AppState, _ role: RolePolicy, _ notes: [RoleAudit.EntryNote]
  ) {
    if state.notes.computing == role { state.notes.computing = nil }
    state.notes.store(notes, of: role)
  }
}
