import OrgScopeCore

extension App {
  /// Rows a wheel step moves.
  static let wheelRows = 3

  /// A click selects a tab, a row, or the detail pane; the wheel scrolls what is under it.
  /// While a prompt or a dialog has the keyboard the mouse does nothing there (but scrolls
  /// the help and the raw view).
  static func mouse(_ state: inout AppState, _ event: MouseEvent) -> [Command] {
    let step = event.kind == .wheelUp ? -wheelRows : wheelRows
    switch state.focus {
    case .help:
      if event.kind == .press {
        state.focus = .list
      } else {
        state.helpScroll = max(0, state.helpScroll + step)
      }
      return []
    case .raw:
      guard event.kind != .press else { return [] }
      return handleKey(&state, step < 0 ? .up : .down, times: wheelRows)
    case .list, .detail: break
    default: return []
    }
    let layout = Layout(state)
    if event.y == 0 {
      guard event.kind == .press else { return [] }
      let spans = TabBarLayout(state).spans()
      guard let index = spans.firstIndex(where: { event.x >= $0.x && event.x < $0.x + $0.width })
      else { return [] }
      return showTab(&state, index)
    }
    let tab = state.active
    guard state.tabs.indices.contains(tab) else { return [] }
    if contains(layout.detail, event), state.tabs[tab].selected != nil {
      if event.kind == .press {
        state.focus = .detail
        return []
      }
      state.focus = .detail
      return scrollDetail(&state, step)
    }
    guard contains(layout.list, event) else { return [] }
    state.focus = .list
    if event.kind != .press { return move(&state, step) }
    let row = state.tabs[tab].top + (event.y - layout.list.y - 1)
    guard event.y > layout.list.y, row < state.tabs[tab].rowCount else { return [] }
    return move(&state, row - state.tabs[tab].cursor)
  }

  private static func contains(_ rect: Rect, _ event: MouseEvent) -> Bool {
    event.x >= rect.x && event.x < rect.x + rect.width && event.y >= rect.y
      && event.y < rect.y + rect.height
  }

  /// The same key `times` times, as if typed (a wheel step is three arrow presses).
  private static func handleKey(_ state: inout AppState, _ key: Key, times: Int) -> [Command] {
    var commands: [Command] = []
    for _ in 0..<max(0, times) { commands += handleKey(&state, key) }
    return commands
  }
}
