import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// One text field edits every prompt: each key, pure, on a value.
@Suite struct TextFieldTests {
  /// The field after `keys`, starting from `text` with the cursor at `cursor`.
  func edit(_ text: String, cursor: Int? = nil, _ keys: Key...) -> TextField {
    var field = cursor.map { TextField(text, cursor: $0) } ?? TextField(text)
    for key in keys { field.handle(key) }
    return field
  }

  @Test func typingInsertsAtTheCursor() {
    #expect(edit("", .character("a"), .character("b")) == TextField("ab", cursor: 2))
    #expect(edit("ac", cursor: 1, .character("b")) == TextField("abc", cursor: 2))
  }

  @Test func leftAndRightMoveWithinTheText() {
    #expect(edit("abc", .left, .left) == TextField("abc", cursor: 1))
    #expect(edit("abc", .left, .left, .left, .left) == TextField("abc", cursor: 0))
    #expect(edit("abc", cursor: 0, .right, .right, .right, .right) == TextField("abc", cursor: 3))
  }

  @Test func homeEndAndCtrlACtrlEGoToTheEnds() {
    #expect(edit("abc", .home).cursor == 0)
    #expect(edit("abc", .ctrl("a")).cursor == 0)
    #expect(edit("abc", cursor: 1, .end).cursor == 3)
    #expect(edit("abc", cursor: 1, .ctrl("e")).cursor == 3)
  }

  @Test func backspaceAndCtrlHDeleteBeforeTheCursor() {
    #expect(edit("abc", .backspace) == TextField("ab", cursor: 2))
    #expect(edit("abc", cursor: 1, .ctrl("h")) == TextField("bc", cursor: 0))
    var field = TextField("abc", cursor: 0)
    #expect(field.handle(.backspace) == .moved)
    #expect(field == TextField("abc", cursor: 0))
  }

  @Test func deleteRemovesTheCharacterUnderTheCursor() {
    #expect(edit("abc", cursor: 1, .delete) == TextField("ac", cursor: 1))
    var field = TextField("abc")
    #expect(field.handle(.delete) == .moved)
  }

  @Test func ctrlUDeletesToTheStart() {
    #expect(edit("status=x name", cursor: 9, .ctrl("u")) == TextField("name", cursor: 0))
    #expect(edit("abc", .ctrl("u")) == TextField(""))
  }

  @Test func ctrlWDeletesTheWordBeforeTheCursor() {
    #expect(edit("status=suspended name~paris", .ctrl("w")) == TextField("status=suspended "))
    // The spaces before the cursor go with the word, as in readline.
    #expect(edit("one two  ", .ctrl("w")) == TextField("one "))
    #expect(edit("one two three", cursor: 7, .ctrl("w")) == TextField("one  three", cursor: 4))
    #expect(edit("one", .ctrl("w"), .ctrl("w")) == TextField(""))
  }

  @Test func aPasteIsOneLineTypedAtTheCursor() {
    var field = TextField("ab", cursor: 1)
    #expect(field.handle(.paste("XY")) == .changed)
    #expect(field == TextField("aXYb", cursor: 3))
    // The line break a copied line ends with does not press Enter; inner ones are spaces.
    #expect(edit("", .paste("one\ntwo\tthree\r\n")) == TextField("one two three"))
  }

  @Test func hostileTextNeverEntersTheField() {
    #expect(edit("", .paste("a\u{1B}[2Jb\u{202E}c\u{7}")) == TextField("a[2Jbc"))
    var field = TextField("x")
    #expect(field.handle(.character("\u{1B}")) == .moved)
    #expect(field.text == "x")
  }

  @Test func otherKeysAreLeftToThePrompt() {
    var field = TextField("abc")
    for key: Key in [.enter, .escape, .up, .down, .pageUp, .pageDown, .tab, .ctrl("c")] {
      #expect(field.handle(key) == .ignored)
    }
  }

  @Test func wideAndCombiningCharactersMoveAsOne() {
    #expect(edit("東京", .left, .character("x")) == TextField("東x京", cursor: 2))
    // A combining accent typed after "e" becomes part of it.
    #expect(edit("e", .character("\u{301}")) == TextField("é"))
    #expect(edit("café", .backspace) == TextField("caf"))
  }

  @Test func theVisiblePartAlwaysHoldsTheCursor() {
    let long = TextField(String(repeating: "a", count: 30) + "bcd")
    let end = long.visible(width: 10)
    #expect(end.before == "aaaaaabcd" && end.under == nil && end.after == "")
    let start = TextField(long.text, cursor: 0).visible(width: 10)
    #expect(start.before == "" && start.under == "a")
    let middle = TextField("hello world", cursor: 6).visible(width: 40)
    #expect(middle.before == "hello " && middle.under == "w" && middle.after == "orld")
  }
}

/// A burst read at once becomes a paste; a bracketed paste is one paste, however it arrives.
@Suite struct PasteReaderTests {
  @Test func aRunOfCharactersReadTogetherIsAPaste() {
    var reader = PasteReader()
    let events = reader.take([
      .key(.character("a")), .key(.character("b")), .key(.enter), .key(.character("c")),
    ])
    #expect(keys(events) == [.paste("ab"), .enter, .character("c")])
  }

  @Test func aBracketedPasteSpanningReadsIsOnePasteWithItsLineBreaks() {
    var reader = PasteReader()
    let first = reader.take([.pasteStart, .key(.character("a")), .key(.enter)])
    #expect(first.isEmpty)
    let second = reader.take([.key(.character("b")), .pasteEnd, .key(.character("q"))])
    #expect(keys(second) == [.paste("a\nb"), .character("q")])
  }

  func keys(_ events: [TerminalEvent]) -> [Key] {
    events.compactMap { if case .key(let key) = $0 { key } else { nil } }
  }
}

/// Every prompt edits through the one text field: the same keys give the same text.
@Suite struct EveryPromptEditsAlikeTests {
  static func rolesState() -> AppState {
    Fixtures.loaded([Fixtures.roles]) { request in
      request.cursor == nil ? Page(records: Fixtures.auditRoles, next: nil) : nil
    }
  }

  /// The prompts, each opened from the list, with a way to read its field.
  static let prompts: [(name: String, open: [Key], field: @Sendable (AppState) -> TextField?)] = [
    ("search", [.character("/")], { $0.tabs[0].searchField }),
    ("where", [.character("w")], { $0.tabs[0].whereField }),
    ("who can", [.character("p")], { $0.tabs[0].whoCan?.field }),
    ("detail search", [.enter, .character("/")], { $0.tabs[0].detailSearchField }),
    // The filters' first text field (after the match mode).
    ("filters", [.character("f"), .down], { $0.filterDialog?.editor }),
  ]

  @Test func theSameKeysGiveTheSameTextInEveryPrompt() {
    let keys: [Key] =
      [.paste("one two three")] + Array(repeating: .left, count: 6)
      + [.ctrl("w"), .home, .delete, .ctrl("e"), .backspace, .ctrl("a"), .right, .ctrl("h")]
      + [.end, .character("!")]
    for prompt in Self.prompts {
      var state = Self.rolesState()
      for key in prompt.open { _ = App.update(&state, .key(key)) }
      #expect(state.typesText, "\(prompt.name) does not take text")
      for key in keys { _ = App.update(&state, .key(key)) }
      #expect(prompt.field(state) == TextField("e  thre!"), "\(prompt.name)")
      _ = App.update(&state, .key(.ctrl("u")))
      #expect(prompt.field(state) == TextField(""), "\(prompt.name)")
    }
  }

  @Test func theFiltersTextFieldWritesItsTextIntoTheDraft() throws {
    var state = Self.rolesState()
    for key: Key in [.character("f"), .down, .paste("messaging"), .left, .ctrl("w")] {
      _ = App.update(&state, .key(key))
    }
    let dialog = try #require(state.filterDialog)
    guard case .filter(let name, _, false) = dialog.fields[1] else {
      Issue.record("the roles' second filter field is not text")
      return
    }
    #expect(dialog.draft.filters[name] == "g")
  }

  @Test func aBurstInTheListIsItsKeysAndAPromptTakesTheRest() {
    var state = Self.rolesState()
    _ = App.update(&state, .key(.paste("/IAM admin")))
    #expect(state.focus == .search)
    #expect(state.tabs[0].searchField == TextField("IAM admin"))
    _ = App.update(&state, .key(.escape))
    // Key repeat: three `j`s move three rows.
    _ = App.update(&state, .key(.paste("jjj")))
    #expect(state.tabs[0].cursor == 3)
  }
}
