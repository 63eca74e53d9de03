import OrgScopeCore

/// Moving the cursor and scrolling the panes.
extension App {
  static func move(_ state: inout AppState, _ delta: Int) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index) else { return [] }
    let count = state.tabs[index].rowCount
    let old = state.tabs[index].cursor
    let target = max(0, min(max(0, count - 1), old.addingReportingOverflow(delta).partialValue))
    state.tabs[index].cursor = target
    if target != old { state.tabs[index].detailScroll = 0 }
    scrollIntoView(&state, index)
    return ensureLoading(&state, index)
  }

  static func scrollIntoView(_ state: inout AppState, _ index: Int) {
    let rows = Layout(state).listRows
    var tab = state.tabs[index]
    tab.cursor = max(0, min(tab.cursor, max(0, tab.rowCount - 1)))
    if tab.cursor < tab.top { tab.top = tab.cursor }
    if tab.cursor >= tab.top + rows { tab.top = tab.cursor - rows + 1 }
    tab.top = max(0, min(tab.top, max(0, tab.rowCount - rows + 1)))
    state.tabs[index] = tab
  }

  static func scrollDetail(_ state: inout AppState, _ delta: Int) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index), let record = state.tabs[index].selected else {
      return []
    }
    let layout = Layout(state)
    let total = DetailLayout.rows(
      for: record, in: state.tabs[index], width: layout.detail.width - 1, unicode: state.unicode,
      state: state
    ).count
    let maximum = max(0, total - layout.detailRows)
    let old = state.tabs[index].detailScroll
    state.tabs[index].detailScroll = max(
      0, min(maximum, old.addingReportingOverflow(delta).partialValue))
    return []
  }
}
