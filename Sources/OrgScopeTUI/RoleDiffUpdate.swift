import OrgScopeCore

/// Role diff (`m`, `d`): the marked role against the selected one, decided by the same code
/// as `orgscope roles diff MARKED SELECTED`, shown at the top of the detail pane.
extension App {
  /// `m`: marks the selected role; on the marked role, unmarks it.
  static func toggleMark(_ state: inout AppState) -> [Command] {
    let index = state.active
    guard let tab = state.activeTab, rolesOnly(&state, tab), let record = tab.selected else {
      return []
    }
    state.tabs[index].roleDiff = nil
    if tab.marked?.id == record.id {
      state.tabs[index].marked = nil
      state.status = StatusMessage(level: .info, text: "unmarked \(name(record))")
    } else {
      state.tabs[index].marked = record
      state.status = StatusMessage(
        level: .info, text: "marked \(name(record)): select another role and press d to compare")
    }
    return []
  }

  /// `d`: the verdict (equal, within, incomparable) and the entries whose coverage differs,
  /// A the marked role and B the selected one.
  static func diffWithMarked(_ state: inout AppState) -> [Command] {
    let index = state.active
    guard let tab = state.activeTab, rolesOnly(&state, tab), let record = tab.selected else {
      return []
    }
    guard let marked = tab.marked else {
      state.status = StatusMessage(
        level: .warn, text: "m marks a role first; then d compares the selected role with it")
      return []
    }
    guard marked.id != record.id else {
      state.status = StatusMessage(
        level: .warn, text: "\(name(record)) is the marked role: select another role to compare")
      return []
    }
    guard let provider = tab.provider, let a = provider.policy(of: marked),
      let b = provider.policy(of: record)
    else {
      state.status = StatusMessage(level: .warn, text: "\(name(record)) has no policy to compare")
      return []
    }
    let diff = RoleAudit.diff(a, b)
    state.tabs[index].roleDiff = diff
    state.tabs[index].detailScroll = 0
    state.focus = .detail
    // The verdict heads the detail pane; the status line says which role is A.
    state.status = StatusMessage(level: .info, text: "compared with the marked \(name(marked))")
    return []
  }

  /// `m` and `d` compare roles: elsewhere, say where they work.
  private static func rolesOnly(_ state: inout AppState, _ tab: SourceTab) -> Bool {
    guard tab.provider != nil else { return false }
    guard tab.capabilities.policies else {
      state.status = StatusMessage(
        level: .warn, text: "m and d compare two roles: they work on the roles tab")
      return false
    }
    return true
  }

  private static func name(_ record: Record) -> String {
    "\"\(record.name.isEmpty ? record.id : record.name)\""
  }
}

extension SourceTab {
  /// The diff to show for `record`: only on the role it was made for, while its A is still
  /// the marked role.
  func diffShown(for record: Record) -> RoleAudit.DiffResult? {
    guard let roleDiff, roleDiff.b.id == record.id, roleDiff.a.id == marked?.id else {
      return nil
    }
    return roleDiff
  }
}
