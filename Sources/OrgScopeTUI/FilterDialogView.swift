import OrgScopeCore

/// The filters dialog (`f`).
extension Canvas {
  static func fieldLabel(_ field: FilterDialog.Field) -> String {
    switch field {
    case .match: return "Match mode"
    case .filter(_, let label, _): return label
    case .sort: return "Sort by name"
    }
  }

  func fieldValue(_ field: FilterDialog.Field, _ query: Query) -> String {
    switch field {
    case .match: return "< \(query.match.rawValue) >"
    case .filter(let name, _, true): return query.isOn(name) ? "[x] on" : "[ ] off"
    case .filter(let name, _, false): return query.filters[name] ?? ""
    case .sort:
      switch query.sortByName {
      case .none: return "< server order >"
      case .asc: return "< A to Z >"
      case .desc: return "< Z to A >"
      }
    }
  }

  mutating func drawFilters() {
    guard let dialog = state.filterDialog, let tab = state.activeTab else { return }
    let inner = box(
      width: 62, height: dialog.fields.count + 5, title: "Filters: \(tab.source.title)")
    guard inner.height > 0 else { return }
    let labelWidth = min(24, inner.width / 2)
    for (index, field) in dialog.fields.enumerated() where index < inner.height {
      let y = inner.y + index
      let selected = index == dialog.selected
      let slot: ThemeSlot = selected ? .dialogSelected : .dialog
      if selected { fillRow(y, x: inner.x, width: inner.width, slot) }
      text(Self.fieldLabel(field), x: inner.x, y: y, width: labelWidth, slot)
      if selected, App.isTextField(field) {
        drawField(
          dialog.editor, x: inner.x + labelWidth, y: y, width: inner.width - labelWidth, slot)
        continue
      }
      text(
        fieldValue(field, dialog.draft), x: inner.x + labelWidth, y: y,
        width: inner.width - labelWidth, slot)
    }
    let help = "Up/Down move  Left/Right change  type to edit  Enter apply  Esc cancel"
    if inner.height > dialog.fields.count + 1 {
      for (offset, piece) in DetailLayout.wrap(help, width: inner.width).enumerated()
      where dialog.fields.count + 1 + offset < inner.height {
        text(
          piece, x: inner.x, y: inner.y + dialog.fields.count + 1 + offset, width: inner.width, .dim
        )
      }
    }
  }
}
