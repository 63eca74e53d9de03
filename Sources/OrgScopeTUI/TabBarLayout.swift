import OrgScopeCore

/// The tab bar's labels and where each goes on the top row: a pure function of the state,
/// which the view draws and `update` hit-tests a click against.
struct TabBarLayout {
  let state: AppState
  let glyphs: Glyphs
  let width: Int

  init(_ state: AppState) {
    self.state = state
    glyphs = Glyphs(unicode: state.unicode)
    width = Layout(state).width
  }

  /// The tab's count, honest about what is loaded: `4,210` (all loaded), `100 of ≈4,210`
  /// (the server said how many), `≥100` (more on the server, how many unknown); marked
  /// `▾` when a search or a filter narrows it; with a "who can" answer, `117 can · 13 denied`.
  func countText(_ tab: SourceTab, compact: Bool = false) -> String {
    if tab.provider == nil { return "not set" }
    guard let listing = tab.listing, tab.shown else { return "" }
    if listing.records.isEmpty {
      if listing.error != nil { return "!" }
      if !listing.exhausted { return glyphs.ellipsis }
    }
    // A "who can" answer: the verdicts, not one count of both kinds of row.
    if let audit = tab.audit {
      let held = audit.people == nil ? "denied" : "held"
      return "\(audit.canCount.formatted) can · \(audit.deniedCount.formatted) \(held)"
    }
    let mark = tab.isNarrowed ? glyphs.filtered : ""
    let shown = tab.rowCount.formatted
    if listing.exhausted { return mark + shown + removedText(tab) }
    if let total = listing.total {
      return "\(mark)\(shown)\(compact ? "/" : " of ")\(glyphs.approx)\(total.formatted)"
    }
    return "\(mark)\(glyphs.atLeast)\(shown)"
  }

  /// ` −3` after a fully loaded count when the `--since` snapshot had records this one lacks.
  func removedText(_ tab: SourceTab) -> String {
    guard let removed = tab.since?.removedCount, removed > 0 else { return "" }
    return " " + (state.unicode ? "−" : "-") + removed.formatted
  }

  /// Where each tab's label goes on the top row: also what a mouse click on it selects.
  func spans() -> [(x: Int, width: Int, label: String)] {
    let counts = state.tabs.map { countText($0) }
    let compactCount = state.activeTab.map { countText($0, compact: true) } ?? ""
    let activeLabel = state.activeTab.map {
      "\(state.active + 1) \($0.source.descriptor.shortTitle) \(compactCount)"
    }
    var candidates: [[String]] = [
      state.tabs.enumerated().map { "\($0 + 1) \($1.source.title) \(counts[$0])" },
      state.tabs.enumerated().map { "\($0 + 1) \($1.source.descriptor.shortTitle) \(counts[$0])" },
      state.tabs.enumerated().map { index, tab in
        index == state.active
          ? "\(index + 1) \(tab.source.descriptor.shortTitle) \(counts[index])"
          : "\(index + 1) \(tab.source.descriptor.shortTitle)"
      },
      state.tabs.enumerated().map { index, tab in
        index == state.active
          ? "\(index + 1) \(tab.source.descriptor.shortTitle) \(compactCount)"
          : "\(index + 1) \(tab.source.descriptor.shortTitle)"
      },
    ]
    // Narrower: the other tabs by the words that tell them apart (`accts`, `roles`), then
    // those cut to share the room left, then the active tab without its count (the status
    // line has it); their numbers alone only when even that fails.
    let shortActive = state.activeTab.map {
      "\(state.active + 1) \($0.source.descriptor.shortTitle)"
    }
    // Each other tab's number, the space after it and its padding.
    let numbers = state.tabs.indices.filter { $0 != state.active }.reduce(0) {
      $0 + String($1 + 1).count + 3
    }
    for active in [activeLabel, shortActive] {
      func others(_ name: (SourceTab) -> String) -> [String] {
        state.tabs.enumerated().map { index, tab in
          index == state.active ? active ?? "" : "\(index + 1) \(name(tab))"
        }
      }
      candidates.append(others(distinct))
      let activeWidth = active.map { DisplayWidth.of($0.trimmingTrailingSpace) + 2 } ?? 0
      let room = (width - activeWidth - numbers) / max(1, state.tabs.count - 1)
      if room >= 3 {
        candidates.append(
          others { DisplayWidth.truncate(distinct($0), to: room, ellipsis: glyphs.ellipsis) })
      }
    }
    candidates.append(
      state.tabs.indices.map { $0 == state.active ? activeLabel ?? "" : "\($0 + 1)" })
    let labels =
      candidates.first { labels in
        labels.reduce(0) { $0 + DisplayWidth.of($1.trimmingTrailingSpace) + 2 } <= width
      } ?? candidates[candidates.count - 1]
    let count = max(1, labels.count)
    let even = max(4, width / count)
    let fits = labels.reduce(0) { $0 + DisplayWidth.of($1.trimmingTrailingSpace) + 2 }
    var spans: [(x: Int, width: Int, label: String)] = []
    var x = 0
    for raw in labels where x < width {
      let label = " " + raw.trimmingTrailingSpace + " "
      let labelWidth = fits <= width ? DisplayWidth.of(label) : even
      spans.append((x, min(labelWidth, width - x), label))
      x += labelWidth
    }
    return spans
  }
}

extension TabBarLayout {
  /// The tab's short title without the words other tabs' titles share with it (`Twilio
  /// accts` beside `Twilio roles` is `accts`): what tells it apart at a glance.
  func distinct(_ tab: SourceTab) -> String {
    let title = tab.source.descriptor.shortTitle
    let shared = Set(
      state.tabs.filter { $0.source != tab.source }.flatMap {
        $0.source.descriptor.shortTitle.split(separator: " ")
      })
    let words = title.split(separator: " ").filter { !shared.contains($0) }
    return words.isEmpty ? title : words.joined(separator: " ")
  }
}

extension SourceTab {
  /// Whether a search, a filter, a "who can" query or a field filter narrows the list. A
  /// flag filter (Huawei's contact info) adds fields; it does not narrow.
  var isNarrowed: Bool {
    let narrowing = source.descriptor.filters.contains {
      !$0.isFlag && !(query.filters[$0.name] ?? "").isEmpty
    }
    return !query.search.isEmpty || narrowing || audit != nil || fieldFilter != nil
  }
}
