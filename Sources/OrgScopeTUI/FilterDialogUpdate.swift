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
    state.filterDialog = FilterDialog(draft: tab.query, fields: fields)
    state.focus = .filters
  }

  static func filterKey(_ state: inout AppState, _ key: Key) -> [Command] {
    guard var dialog = state.filterDialog, !dialog.fields.isEmpty else {
      state.focus = .list
      return []
    }
    let field = dialog.fields[min(dialog.selected, dialog.fields.count - 1)]
    defer { if state.focus == .filters { state.filterDialog = dialog } }
    switch key {
    case .escape:
      state.focus = .list
      state.filterDialog = nil
      return []
    case .enter:
      state.focus = .list
      state.filterDialog = nil
      state.status = StatusMessage(level: .info, text: "filters applied")
      var query = dialog.draft
      query.search = state.tabs[state.active].query.search
      return applyQuery(&state, state.active, query)
    case .down, .tab: dialog.selected = (dialog.selected + 1) % dialog.fields.count
    case .up, .backTab:
      dialog.selected = (dialog.selected + dialog.fields.count - 1) % dialog.fields.count
    case .left: cycle(&dialog.draft, field, by: -1)
    case .right: cycle(&dialog.draft, field, by: 1)
    case .character(" ") where !isTextField(field): cycle(&dialog.draft, field, by: 1)
    case .backspace:
      editText(&dialog.draft, field) { if !$0.isEmpty { $0.removeLast() } }
    case .character(let character):
      if isTextField(field), character.unicodeScalars.allSatisfy(Sanitizer.keeps) {
        editText(&dialog.draft, field) { $0.append(character) }
      } else if character == "j" {
        dialog.selected = (dialog.selected + 1) % dialog.fields.count
      } else if character == "k" {
        dialog.selected = (dialog.selected + dialog.fields.count - 1) % dialog.fields.count
      }
    default: break
    }
    return []
  }

  static func isTextField(_ field: FilterDialog.Field) -> Bool {
    if case .filter(_, _, let isFlag) = field { return !isFlag }
    return false
  }

  static func editText(
    _ query: inout Query, _ field: FilterDialog.Field, _ edit: (inout String) -> Void
  ) {
    guard case .filter(let name, _, false) = field else { return }
    var text = query.filters[name] ?? ""
    edit(&text)
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
