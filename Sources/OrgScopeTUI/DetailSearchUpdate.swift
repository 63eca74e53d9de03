import OrgScopeCore

/// Searching the detail pane (`/` there).
extension App {
  static func detailSearchKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index) else {
      state.focus = .list
      return []
    }
    var field = state.tabs[index].detailSearchField
    switch promptKey(state, &field, key) {
    case .action(.accept):
      state.focus = .detail
    case .action(.cancel):
      state.focus = .detail
      state.tabs[index].detailSearch = ""
    case .action, .edited(.ignored):
      break
    case .edited(.moved):
      state.tabs[index].detailSearchField = field
    case .edited(.changed):
      state.tabs[index].detailSearchField = field
      findInDetail(&state, forward: true, from: 0)
    }
    return []
  }

  /// The detail rows that hold the search text (ASCII case ignored).
  static func detailMatches(_ state: AppState) -> [Int] {
    guard let tab = state.activeTab, let record = tab.selected, !tab.detailSearch.isEmpty
    else { return [] }
    let needle = tab.detailSearch.lowercased()
    let rows = DetailLayout.rows(
      for: record, in: tab, width: Layout(state).detail.width - 1, unicode: state.unicode,
      state: state)
    return rows.indices.filter { rows[$0].map(\.text).joined().lowercased().contains(needle) }
  }

  /// Scrolls the detail pane so that the next (or previous) match is the top row, counting
  /// from the current top plus `offset`, wrapping around.
  static func findInDetail(_ state: inout AppState, forward: Bool, from offset: Int) {
    let index = state.active
    let matches = detailMatches(state)
    guard state.tabs.indices.contains(index), !matches.isEmpty else { return }
    let start = state.tabs[index].detailScroll + offset
    let target =
      forward
      ? (matches.first { $0 >= start } ?? matches[0])
      : (matches.last { $0 <= start } ?? matches[matches.count - 1])
    let layout = Layout(state)
    let total =
      state.tabs[index].selected.map {
        DetailLayout.rows(
          for: $0, in: state.tabs[index], width: layout.detail.width - 1, unicode: state.unicode,
          state: state
        ).count
      } ?? 0
    state.tabs[index].detailScroll = max(0, min(target, total - layout.detailRows))
  }
}
