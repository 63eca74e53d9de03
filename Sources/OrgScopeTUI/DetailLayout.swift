import OrgScopeCore

/// A run of text in one theme slot.
struct Segment: Sendable, Hashable {
  var text: String
  var slot: ThemeSlot
  init(_ text: String, _ slot: ThemeSlot) {
    self.text = text
    self.slot = slot
  }
}

/// Lays out a record's detail sections as screen rows of a given width: keys aligned per
/// section, long values wrapped under their value column, every string as the canvas
/// shows it (`Sanitizer.pictured`), so widths are measured on what is drawn.
enum DetailLayout {
  static func rows(
    for record: Record, in tab: SourceTab, width: Int, unicode: Bool, state: AppState? = nil
  ) -> [[Segment]] {
    rows(for: sections(for: record, in: tab, state: state), width: width, unicode: unicode)
  }

  /// The provider's sections (a role's deny notes as `state` has them computed; a user's
  /// role assignments, a role's holders, as `state` has the people); with a "who can"
  /// answer shown, first what reaches the query.
  static func sections(for record: Record, in tab: SourceTab, state: AppState? = nil)
    -> [DetailSection]
  {
    let people = state?.people ?? PeopleState()
    var sections =
      tab.provider.map { provider in
        let notes = provider.policy(of: record).flatMap { state?.notes.notes(of: $0) }
        return provider.details(of: record, notes: notes)
      } ?? [DetailSection(title: "Record", lines: [DetailLine(key: "id", value: record.id)])]
    if App.isPeopleTab(tab) {
      sections += personSections(record, in: tab, people: people)
      if let answer = personAnswerSection(record, in: tab) { sections.insert(answer, at: 0) }
    } else if tab.capabilities.policies, state?.tabs.contains(where: App.isPeopleTab) == true {
      sections.insert(holdersSection(record, people: people), at: min(1, sections.count))
    }
    if let audit = tab.audit, audit.people == nil, let row = tab.auditRow(at: tab.cursor),
      tab.record(at: tab.cursor)?.id == record.id
    {
      let verdict: String
      switch row.coverage {
      case .all: verdict = "grants all of it"
      case .some: verdict = "grants some of it"
      case .none: verdict = "denied by its own deny list"
      case .undecided: verdict = "too complex to decide"
      }
      var lines = row.allow.map {
        DetailLine(key: "allow", value: $0, style: row.coverage == .none ? .dim : .match)
      }
      lines += row.deny.map { DetailLine(key: "deny", value: $0, style: .deny) }
      sections.insert(
        DetailSection(title: "Who can \(audit.query): \(verdict)", lines: lines), at: 0)
    }
    // `d`: the marked role against this one, first.
    if let diff = tab.diffShown(for: record) {
      sections.insert(contentsOf: AuditReport.sections(diff), at: 0)
    }
    if let since = tab.since, tab.record(at: tab.cursor)?.id == record.id,
      let section = since.section(
        for: record, source: tab.source, removed: tab.changes?.isRemoved(tab.cursor) ?? false)
    {
      sections.insert(section, at: 0)
    }
    return sections
  }

  static func rows(for sections: [DetailSection], width: Int, unicode: Bool) -> [[Segment]] {
    guard width > 4 else { return [] }
    let shown = { Sanitizer.pictured($0, unicode: unicode) }
    var rows: [[Segment]] = []
    for (number, section) in sections.enumerated() {
      if number > 0 { rows.append([]) }
      // A heading (a diff's verdict) wraps rather than losing its end.
      let title = shown(section.title)
      for piece in title.isEmpty ? [] : wrap(title, width: width) {
        rows.append([Segment(piece, .heading)])
      }
      let keys = section.lines.map { shown($0.key) }
      let keyWidth = min(width * 2 / 5, keys.map { DisplayWidth.of($0) }.max() ?? 0)
      for (line, key) in zip(section.lines, keys) {
        rows += lineRows(
          line, key: key, value: shown(line.value), keyWidth: keyWidth, width: width,
          ellipsis: DisplayWidth.ellipsis(utf8: unicode))
      }
    }
    return rows
  }

  private static func lineRows(
    _ line: DetailLine, key: String, value: String, keyWidth: Int, width: Int, ellipsis: String
  ) -> [[Segment]] {
    let (keySlot, valueSlot): (ThemeSlot, ThemeSlot)
    switch line.style {
    case .normal: (keySlot, valueSlot) = (.detailKey, .detailValue)
    case .dim: (keySlot, valueSlot) = (.dim, .dim)
    case .heading: (keySlot, valueSlot) = (.heading, .heading)
    case .allow: (keySlot, valueSlot) = (.policyAllow, .policyAllow)
    case .deny: (keySlot, valueSlot) = (.policyDeny, .policyDeny)
    case .match: (keySlot, valueSlot) = (.search, .search)
    }
    let indent = String(repeating: " ", count: min(max(0, line.indent) * 2, width / 3))
    var lead = indent
    var leadSlot = keySlot
    if !key.isEmpty {
      let shownKey = DisplayWidth.truncate(key, to: max(1, keyWidth), ellipsis: ellipsis)
      lead += shownKey
      if !value.isEmpty {
        lead += String(repeating: " ", count: max(0, keyWidth - DisplayWidth.of(shownKey))) + "  "
      }
    } else {
      leadSlot = valueSlot
    }
    let leadWidth = DisplayWidth.of(lead)
    let valueWidth = width - leadWidth
    guard valueWidth >= 8 else {
      // Too narrow to keep a value column: put the value on its own rows.
      var rows: [[Segment]] = [[Segment(lead, leadSlot)]]
      for chunk in wrap(value, width: width - indent.count) {
        rows.append([Segment(indent + chunk, valueSlot)])
      }
      return rows
    }
    // One word (an id, a path) that fits on a row of its own is never broken: it goes
    // under its key, whole.
    let valueCells = DisplayWidth.of(value)
    if valueCells > valueWidth, !value.contains(" "), valueCells <= width - indent.count - 2 {
      return [[Segment(lead, leadSlot)], [Segment(indent + "  " + value, valueSlot)]]
    }
    let chunks = wrap(value, width: valueWidth)
    var rows: [[Segment]] = [[Segment(lead, leadSlot), Segment(chunks.first ?? "", valueSlot)]]
    let hanging = String(repeating: " ", count: leadWidth)
    for chunk in chunks.dropFirst() { rows.append([Segment(hanging + chunk, valueSlot)]) }
    return rows
  }

  /// Splits `text` into pieces of at most `width` cells, preferring to break after a space,
  /// `/` or `,` so paths and lists stay readable.
  static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    if DisplayWidth.of(text) <= width { return [text] }
    var pieces: [String] = []
    var current = ""
    var currentWidth = 0
    var lastBreak: String.Index?
    for character in text {
      let cells = DisplayWidth.of(character: character)
      if currentWidth + cells > width {
        if let lastBreak, lastBreak > current.startIndex {
          let head = String(current[..<lastBreak])
          let tail = String(current[lastBreak...])
          pieces.append(head)
          current = tail
          currentWidth = DisplayWidth.of(tail)
        } else {
          pieces.append(current)
          current = ""
          currentWidth = 0
        }
        lastBreak = nil
      }
      current.append(character)
      currentWidth += cells
      if character == " " || character == "/" || character == "," {
        lastBreak = current.endIndex
      }
    }
    if !current.isEmpty { pieces.append(current) }
    return pieces
  }
}
