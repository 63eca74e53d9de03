import OrgScopeCore

/// The field filter (`w`): `status=suspended` over every field.
extension App {
  static func whereKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index) else {
      state.focus = .list
      return []
    }
    switch key {
    case .enter:
      let text = state.tabs[index].whereText
      if text.allSatisfy({ $0 == " " }) {
        state.focus = .list
        return setFieldFilter(&state, index, nil)
      }
      do {
        let filter = try FieldFilter(parsing: text)
        state.focus = .list
        return setFieldFilter(&state, index, filter)
      } catch {
        state.tabs[index].whereError = error.description
        return []
      }
    case .escape:
      state.focus = .list
      state.tabs[index].whereText = ""
      return setFieldFilter(&state, index, nil)
    case .backspace, .ctrl("h"):
      if !state.tabs[index].whereText.isEmpty { state.tabs[index].whereText.removeLast() }
      state.tabs[index].whereError = nil
    case .ctrl("u"):
      state.tabs[index].whereText = ""
    case .character(let character):
      guard character.unicodeScalars.allSatisfy(Sanitizer.keeps) else { return [] }
      state.tabs[index].whereText.append(character)
      state.tabs[index].whereError = nil
    default:
      break
    }
    return []
  }

  /// Filters the tab's records by `filter` (nil: no field filter); pages keep loading in the
  /// background to find more, as the local search does.
  static func setFieldFilter(_ state: inout AppState, _ index: Int, _ filter: FieldFilter?)
    -> [Command]
  {
    state.tabs[index].fieldFilter = filter
    state.tabs[index].whereError = nil
    if filter == nil { state.tabs[index].whereText = "" }
    refilter(&state.tabs[index], refiningFrom: nil)
    state.tabs[index].cursor = 0
    state.tabs[index].top = 0
    state.tabs[index].detailScroll = 0
    return ensureLoading(&state, index)
  }
}
