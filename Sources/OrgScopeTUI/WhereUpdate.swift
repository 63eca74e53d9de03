import OrgScopeCore

/// The field filter (`w`): `status=suspended` over every field.
extension App {
  static func whereKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index) else {
      state.focus = .list
      return []
    }
    var field = state.tabs[index].whereField
    switch promptKey(state, &field, key) {
    case .action(.accept):
      let text = state.tabs[index].whereText
      if text.allSatisfy({ $0 == " " }) {
        state.focus = .list
        return setFieldFilter(&state, index, nil)
      }
      do {
        let filter = try FieldFilter(parsing: text)
        if let missing = missingFields(filter, in: state.tabs[index]) {
          // Before the last page a later record may still have the field: Enter again
          // filters anyway. With every record loaded it is a misspelling: edit it.
          state.tabs[index].whereError =
            missing.description + (missing.partial ? " (Enter again filters anyway)" : "")
          if !missing.partial || state.tabs[index].whereWarned != text {
            state.tabs[index].whereWarned = text
            return []
          }
        }
        state.focus = .list
        return setFieldFilter(&state, index, filter)
      } catch {
        state.tabs[index].whereError = error.description
        return []
      }
    case .action(.cancel):
      state.focus = .list
      state.tabs[index].whereText = ""
      return setFieldFilter(&state, index, nil)
    case .action, .edited(.ignored):
      break
    case .edited(.moved):
      state.tabs[index].whereField = field
    case .edited(.changed):
      // The error stays until the text changes: it says what to edit.
      state.tabs[index].whereField = field
      state.tabs[index].whereError = nil
      state.tabs[index].whereWarned = nil
    }
    return []
  }

  /// The filter's fields that no loaded record has (nil before the first page).
  static func missingFields(_ filter: FieldFilter, in tab: SourceTab) -> MissingFields? {
    guard let listing = tab.listing else { return nil }
    var census = FieldFilter.Census(filter)
    census.add(listing.records)
    return census.missing(partial: !listing.exhausted)
  }

  /// Filters the tab's records by `filter` (nil: no field filter); pages keep loading in the
  /// background to find more, as the local search does.
  static func setFieldFilter(_ state: inout AppState, _ index: Int, _ filter: FieldFilter?)
    -> [Command]
  {
    state.tabs[index].fieldFilter = filter
    state.tabs[index].whereMissing = nil
    state.tabs[index].whereError = nil
    state.tabs[index].whereWarned = nil
    if filter == nil { state.tabs[index].whereText = "" }
    refilter(&state.tabs[index], refiningFrom: nil)
    state.tabs[index].cursor = 0
    state.tabs[index].top = 0
    state.tabs[index].detailScroll = 0
    return ensureLoading(&state, index)
  }
}
