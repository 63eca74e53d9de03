import OrgScopeCore

/// The tab bar, drawn where `TabBarLayout` puts each label.
extension Canvas {
  /// Where the cursor is, for the list's header: `1,234 of 5,000`, `12 of ≥100`.
  func positionText(_ tab: SourceTab) -> String? {
    guard let listing = tab.listing, tab.rowCount > 0 else { return nil }
    let at = (tab.cursor + 1).formatted
    if listing.exhausted || tab.audit != nil { return "\(at) of \(tab.rowCount.formatted)" }
    if !tab.filtersLocally, let total = listing.total {
      return "\(at) of \(glyphs.approx)\(total.formatted)"
    }
    return "\(at) of \(glyphs.atLeast)\(tab.rowCount.formatted)"
  }

  mutating func drawTabBar() {
    fillRow(0, .tab)
    for (index, span) in TabBarLayout(state).spans().enumerated() {
      let slot: ThemeSlot = index == state.active ? .tabActive : .tab
      fillRow(0, x: span.x, width: span.width, slot)
      text(span.label, x: span.x, y: 0, width: span.width, slot)
    }
  }
}
