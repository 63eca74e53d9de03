import OrgScopeCore

/// The filters dialog: its fields come from the source's `FilterSpec`s.
extension App {
  static func openFilters(_ state: inout AppState) {
    guard let tab = state.activeTab else { return }
    guard tab.provider != nil else {
      state.status = StatusMessage(level: .warn, text: "\(tab.source.title) is not configured")
      return
    }
    var fields: [FilterDialog.Field] = [.match]
    for filter in tab.source.descriptor.filters {
      fields.append(.filter(name: filter.name, label: filter.label, isFlag: filter.isFlag))
    }
    if tab.capabilities.sort { fields.append(.sort) }
    var dialog = FilterDialog(draft: tab.query, fields: fields)
    select(&dialog, 0)
    state.filterDialog = dialog
    state.focus = .filters
  }

  static func filterKey(_ state: inout AppState, _ key: Key) -> [Command] {
    guard var dialog = state.filterDialog, !dialog.fields.isEmpty else {
      state.focus = .list
      return []
    }
    let field = dialog.fields[min(dialog.selected, dialog.fields.count - 1)]
    defer { if state.focus == .filters { state.filterDialog = dialog } }
    var action = state.keyMap.action(for: key, in: .filters, on: state.activeTab)
    if isTextField(field) {
      // A text field types every character and edits with the keys every prompt has; the
      // dialog keeps Enter, Esc and moving between fields.
      switch key {
      case .character, .paste: action = nil
      default: if action == .changeBack || action == .changeForward { action = nil }
      }
      if action == nil {
        if dialog.editor.handle(key) == .changed {
          editText(&dialog.draft, field, dialog.editor.text)
        }
        return []
      }
    }
    switch action {
    case .cancel:
      state.focus = .list
      state.filterDialog = nil
      return []
    case .accept:
      state.focus = .list
      state.filterDialog = nil
      state.status = StatusMessage(level: .info, text: "filters applied")
      var query = dialog.draft
      query.search = state.tabs[state.active].query.search
      return applyQuery(&state, state.active, query)
    case .nextField: select(&dialog, (dialog.selected + 1) % dialog.fields.count)
    case .previousField:
      select(&dialog, (dialog.selected + dialog.fields.count - 1) % dialog.fields.count)
    case .changeBack: cycle(&dialog.draft, field, by: -1)
    case .changeForward: cycle(&dialog.draft, field, by: 1)
    default: break
    }
    return []
  }

  /// Selects field `index`; a text field is edited from the end of its text.
  static func select(_ dialog: inout FilterDialog, _ index: Int) {
    dialog.selected = index
    if case .filter(let name, _, false) = dialog.fields[index] {
      dialog.editor = TextField(dialog.draft.filters[name] ?? "")
    }
  }

  static func isTextField(_ field: FilterDialog.Field) -> Bool {
    if case .filter(_, _, let isFlag) = field { return !isFlag }
    return false
  }

  static func editText(_ query: inout Query, _ field: FilterDialog.Field, _ text: String) {
    guard case .filter(let name, _, false) = field else { return }
    query.filters[name] = text.isEmpty ? nil : text
  }

  static func cycle(_ query: inout Query, _ field: FilterDialog.Field, by step: Int) {
    switch field {
    case .match:
      let all = MatchMode.allCases
      let index = all.firstIndex(of: query.match) ?? 0
      query.match = all[(index + step + all.count) % all.count]
    case .filter(let name, _, true):
      query.filters[name] = query.isOn(name) ? nil : "true"
    case .sort:
      let all: [SortDirection?] = [nil, .asc, .desc]
      let index = all.firstIndex(of: query.sortByName) ?? 0
      query.sortByName = all[(index + step + all.count) % all.count]
    default: break
    }
  }
}
