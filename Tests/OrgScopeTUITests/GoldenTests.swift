import Foundation
import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// Whole screens rendered from deterministic states, compared with text files in Golden/.
/// Set ORGSCOPE_UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.
@Suite struct GoldenScreenTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden")

  func check(_ state: AppState, _ name: String) throws {
    let buffer = View.render(state)
    for (row, line) in buffer.lines.enumerated() {
      #expect(
        DisplayWidth.of(line) == state.width, "row \(row) of \(name) is not \(state.width) cells")
    }
    let text = buffer.lines.map { $0.trimmingTrailingSpace }.joined(separator: "\n") + "\n"
    try compare(text, with: "\(name).txt", what: "screen \(name)")
    try compare(Self.styleLayer(buffer), with: "\(name).styles.txt", what: "styles of \(name)")
  }

  /// `text` against the golden file `file` (written when missing or when updating).
  func compare(_ text: String, with file: String, what: String) throws {
    let url = Self.directory.appendingPathComponent(file)
    let update = ProcessInfo.processInfo.environment["ORGSCOPE_UPDATE_GOLDEN"] == "1"
    guard !update, let expected = try? String(contentsOf: url, encoding: .utf8) else {
      try text.write(to: url, atomically: true, encoding: .utf8)
      if !update { Issue.record("golden \(file) was missing and has been written: review it") }
      return
    }
    #expect(text == expected, "\(what) differs from Golden/\(file):\n\(text)")
  }

  /// The screen's second layer, as ratatui's test backend keeps one: a letter per cell
  /// naming its style, the letters given in order of first appearance, under a legend of
  /// what each letter is (colours and attributes).
  static func styleLayer(_ buffer: Buffer) -> String {
    let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    var keys: [Style: Character] = [:]
    var legend: [String] = []
    var rows: [String] = []
    for y in 0..<buffer.height {
      var row = ""
      for x in 0..<buffer.width {
        let style = buffer[x, y].style
        if keys[style] == nil {
          let letter = keys.count < letters.count ? letters[keys.count] : "?"
          keys[style] = letter
          legend.append("\(letter) \(describe(style))")
        }
        row.append(keys[style]!)
      }
      rows.append(row)
    }
    return legend.joined(separator: "\n") + "\n\n" + rows.joined(separator: "\n") + "\n"
  }

  static func describe(_ style: Style) -> String {
    func color(_ color: Color) -> String {
      switch color {
      case .default: return "default"
      case .index(let index): return "\(index)"
      case .rgb(let r, let g, let b):
        return "#" + [r, g, b].map { String(format: "%02x", $0) }.joined()
      }
    }
    var parts = ["fg=\(color(style.fg))", "bg=\(color(style.bg))"]
    if style.bold { parts.append("bold") }
    if style.dim { parts.append("dim") }
    if style.underline { parts.append("underline") }
    if style.reverse { parts.append("reverse") }
    return parts.joined(separator: " ")
  }

  static var allSources: [SourceSetup] {
    [
      .missing(
        source: .twilioAccounts,
        hint:
          "TWILIO_CLIENT_ID and TWILIO_CLIENT_SECRET (or TWILIO_ACCESS_TOKEN) and TWILIO_ORGANIZATION_SID"
      ),
      Fixtures.roles, Fixtures.cloudflare, Fixtures.sendgrid, Fixtures.huaweiMissing,
    ]
  }

  /// Page one of every source; Cloudflare says there are 4,210.
  static func firstPages(_ request: FetchRequest) -> Page? {
    guard request.cursor == nil else { return nil }
    switch request.source {
    case .twilioRoles: return Page(records: (1...12).map(Fixtures.role), next: nil)
    case .cloudflare: return Fixtures.page(0..<50, next: "p2", total: 4210)
    default: return Fixtures.page(0..<100, next: "100")
    }
  }

  func cloudflareState(width: Int, height: Int, unicode: Bool = true) -> AppState {
    var state = Fixtures.loaded(
      Self.allSources, width: width, height: height, unicode: unicode, pages: Self.firstPages)
    Fixtures.send(&state, .key(.character("3")), pages: Self.firstPages)
    for _ in 0..<3 { _ = App.update(&state, .key(.down)) }
    return state
  }

  @Test func aRecordWithoutANameShowsADashInTheNameColumn() {
    let unnamed = Record(
      id: "sg0123", name: "",
      fields: JSONObject([
        .init(key: "id", value: .string("sg0123")),
        .init(key: "created_at", value: .string("2024-01-01T10:00:00Z")),
      ]))
    let state = Fixtures.loaded([Fixtures.sendgrid]) { _ in
      Page(records: [Fixtures.account(1), unnamed], next: nil)
    }
    let lines = View.render(state).lines
    let row = lines.first { $0.contains("sg0123") } ?? ""
    #expect(row.hasPrefix(" – "), "\(row)")
  }

  @Test func firstConfiguredSourceIsShownAtStart() {
    let state = Fixtures.loaded(Self.allSources, pages: Self.firstPages)
    #expect(state.active == 1)
    #expect(state.tabs[1].rowCount == 12)
  }

  @Test func cloudflareListAt80x24() throws {
    let state = cloudflareState(width: 80, height: 24)
    #expect(state.tabs[2].rowCount == 50)
    try check(state, "cloudflare-80x24")
  }

  @Test func cloudflareListAt120x40() throws {
    try check(cloudflareState(width: 120, height: 40), "cloudflare-120x40")
  }

  @Test func cloudflareListInASCIIAt80x24() throws {
    try check(cloudflareState(width: 80, height: 24, unicode: false), "cloudflare-ascii-80x24")
  }

  @Test func roleDetailWithAllowAndDenyAt120x40() throws {
    var state = Fixtures.loaded(
      Self.allSources, width: 120, height: 40, pages: Self.firstPages)
    // The deny notes are computed as the runtime would (off the UI thread).
    Fixtures.send(&state, .key(.down), pages: Self.firstPages)
    _ = App.update(&state, .key(.enter))
    try check(state, "roles-detail-120x40")
    let buffer = View.render(state)
    let deny = state.theme[.policyDeny]
    let denyRow = try #require(buffer.lines.firstIndex { $0.contains("payment-methods/delete") })
    let column = try #require(buffer.lines[denyRow].range(of: "/twilio/billing/payment"))
    let x = buffer.lines[denyRow].distance(
      from: buffer.lines[denyRow].startIndex, to: column.lowerBound)
    #expect(buffer[x, denyRow].style == deny)
  }

  @Test func roleDetailAt80x24() throws {
    var state = Fixtures.loaded(Self.allSources, pages: Self.firstPages)
    _ = App.update(&state, .key(.enter))
    try check(state, "roles-detail-80x24")
  }

  @Test func whoCanAnswerAt80x24() throws {
    var state = WhoCanTests.typed("/twilio/iam/users/*")
    _ = App.update(&state, .key(.enter))
    try check(state, "roles-whocan-80x24")
    // The overridden role is drawn dim.
    let buffer = View.render(state)
    let row = try #require(buffer.lines.firstIndex { $0.contains("Locked Auditor") })
    #expect(buffer[3, row].style == state.theme[.dim])
  }

  @Test func whoCanMarksTheDetailPaneAt80x24() throws {
    var state = WhoCanTests.typed("/twilio/iam/users/*")
    _ = App.update(&state, .key(.enter))
    _ = App.update(&state, .key(.down))
    Fixtures.send(&state, .key(.down), pages: WhoCanTests.pages)
    _ = App.update(&state, .key(.enter))
    // Find the marks in the policy: the pane scrolls to the first.
    _ = App.update(&state, .key(.character("/")))
    for character in "denied by" { _ = App.update(&state, .key(.character(character))) }
    _ = App.update(&state, .key(.enter))
    try check(state, "roles-whocan-detail-80x24")
  }

  @Test func roleDiffOfIncomparableRolesAt80x24() throws {
    try check(RoleDiffTests.compared("IAM Admin", "Users Manager"), "roles-diff-80x24")
  }

  @Test func roleDiffOfARoleWithinAnotherAt80x24() throws {
    try check(RoleDiffTests.compared("Everything", "Support Agent"), "roles-diff-within-80x24")
  }

  @Test func localSearchAt60x20() throws {
    var state = Fixtures.loaded(
      Self.allSources, width: 60, height: 20, pages: Self.firstPages)
    Fixtures.send(&state, .key(.character("4")), pages: Self.firstPages)
    _ = App.update(&state, .key(.character("/")))
    for character in "hooli" { _ = App.update(&state, .key(.character(character))) }
    try check(state, "sendgrid-search-60x20")
  }

  @Test func missingCredentialsTabAt80x24() throws {
    var state = Fixtures.loaded(Self.allSources) { _ in nil }
    _ = App.update(&state, .key(.character("1")))
    try check(state, "missing-80x24")
  }

  @Test func helpOverlayAt80x24() throws {
    var state = cloudflareState(width: 80, height: 24)
    _ = App.update(&state, .key(.character("?")))
    try check(state, "help-80x24")
  }

  /// Cut at 60×20: the border says there is more, and the status line how to see it.
  @Test func helpOverlayAt60x20SaysMore() throws {
    var state = cloudflareState(width: 60, height: 20)
    _ = App.update(&state, .key(.character("?")))
    try check(state, "help-60x20")
    let screen = View.render(state).lines
    #expect(screen.contains { $0.contains("more: PgDn") })
    #expect(screen[19].contains("PgDn/PgUp scroll, any other key closes"))
    for _ in 0..<10 { _ = App.update(&state, .key(.pageDown)) }
    #expect(state.focus == .help)
    let end = View.render(state).lines
    #expect(end.contains { $0.contains("PgUp to the top") })
    #expect(end.contains { $0.contains("click a tab or row") })
  }

  /// The search prompt with the cursor moved back into the text: a block on the character.
  @Test func searchPromptWithTheCursorInTheText() throws {
    var state = cloudflareState(width: 80, height: 24)
    _ = App.update(&state, .key(.character("/")))
    _ = App.update(&state, .key(.paste("acme corp")))
    for _ in 0..<4 { _ = App.update(&state, .key(.left)) }
    try check(state, "search-cursor-80x24")
    #expect(View.render(state).lines[23].hasPrefix("/acme corp "))
  }

  @Test func filtersDialogAt80x24() throws {
    var state = cloudflareState(width: 80, height: 24)
    _ = App.update(&state, .key(.character("f")))
    _ = App.update(&state, .key(.down))
    _ = App.update(&state, .key(.right))
    try check(state, "filters-80x24")
  }

  @Test func errorIsShownWithRetryHint() throws {
    var state = AppState(sources: [Fixtures.cloudflare])
    let first = try #require(App.start(&state).fetches.first)
    _ = App.update(
      &state,
      .pageFailed(
        tab: 0, generation: first.generation, cursor: nil,
        error: "Cloudflare: HTTP 403 (code 9109): Unauthorized to access requested resource"))
    try check(state, "error-80x24")
  }

  @Test func hostileNamesCannotReachTheTerminal() throws {
    let hostile = [
      "\u{1B}]0;owned\u{07}title", "\u{1B}[2J\u{1B}[Hclear", "evil\u{202E}txt.exe",
      "\u{9B}31mred\u{1B}[0m", "line\nbreak\rreturn",
    ]
    var state = Fixtures.loaded([Fixtures.cloudflare]) { request in
      request.cursor == nil
        ? Page(
          records: hostile.enumerated().map { Fixtures.account($0.offset, name: $0.element) },
          next: nil) : nil
    }
    for _ in 0..<hostile.count {
      let buffer = View.render(state)
      for cell in buffer.cells {
        for scalar in cell.text.unicodeScalars {
          #expect(scalar.value >= 0x20 && !(0x7F..<0xA0).contains(scalar.value))
          #expect(!(0x202A...0x202E).contains(scalar.value))
        }
      }
      _ = App.update(&state, .key(.down))
    }
  }

  @Test func everySizeFromTinyToWideStaysInsideTheScreen() {
    for (width, height) in [
      (1, 1), (5, 2), (10, 3), (20, 5), (40, 10), (60, 20), (80, 24), (99, 30), (100, 30),
      (200, 60),
    ] {
      var state = cloudflareState(width: width, height: height)
      for key: Key in [.enter, .escape, .character("?"), .escape, .character("f")] {
        _ = App.update(&state, .key(key))
        let buffer = View.render(state)
        #expect(buffer.lines.count == height)
        for line in buffer.lines { #expect(DisplayWidth.of(line) == width) }
      }
    }
  }
}
