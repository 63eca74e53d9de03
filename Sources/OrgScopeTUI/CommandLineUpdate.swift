import OrgScopeCore

/// `:` as in k9s: a word that names a tab jumps to it (`:users`, `:roles`, `:cf`, `:3`), `:q`
/// quits. A tab is named by its source id, its title or a word of either: exactly, by its
/// start (`:ro`), or abbreviated, its letters in order from the first (`:cf`); the first of
/// these ways that names any tab decides, so `:roles` is never also an abbreviation.
enum TabCommand: Equatable {
  case quit
  case tab(Int)
  case unknown(String)
  case ambiguous(String, [Int])
  /// Nothing typed.
  case empty

  /// What `text` (after the `:`) asks for.
  static func resolve(_ text: String, tabs: [SourceTab]) -> TabCommand {
    let word = text.split(separator: " ").first.map { $0.lowercased() } ?? ""
    if word.isEmpty { return .empty }
    if "quit".hasPrefix(word) || word == "q!" { return .quit }
    if let number = Int(word) {
      return tabs.indices.contains(number - 1) ? .tab(number - 1) : .unknown(word)
    }
    let found = matches(word, tabs: tabs)
    switch found.count {
    case 0: return .unknown(word)
    case 1: return .tab(found[0].tab)
    default: return .ambiguous(word, found.map(\.tab))
    }
  }

  /// Tab: `text` completed to the name it matches; for several tabs, as far as their names
  /// agree, with a note that lists them.
  static func complete(_ text: String, tabs: [SourceTab]) -> (text: String, note: String?) {
    let word = text.split(separator: " ").first.map { $0.lowercased() } ?? ""
    if word.isEmpty { return (text, describe(.unknown(""), tabs: tabs)) }
    if "quit".hasPrefix(word) { return ("quit", nil) }
    let found = matches(word, tabs: tabs)
    switch found.count {
    case 0: return (text, describe(.unknown(word), tabs: tabs))
    case 1: return (found[0].name, nil)
    default:
      var common = found[0].name
      for match in found.dropFirst() {
        while !match.name.hasPrefix(common) { common.removeLast() }
      }
      let note = describe(.ambiguous(word, found.map(\.tab)), tabs: tabs)
      return (common.count > word.count ? common : text, note)
    }
  }

  /// Why a command did nothing, for the status line.
  static func describe(_ command: TabCommand, tabs: [SourceTab]) -> String? {
    switch command {
    case .unknown(let word):
      let ids = tabs.map(\.source.rawValue).joined(separator: " ")
      return word.isEmpty ? "a tab (\(ids)) or q" : "unknown command :\(word): a tab (\(ids)) or q"
    case .ambiguous(let word, let indices):
      let titles = indices.map { tabs[$0].source.title }.joined(separator: ", ")
      return ":\(word) names several tabs: \(titles)"
    case .quit, .tab, .empty: return nil
    }
  }

  /// The tabs `word` names, each with the name it matched, in the first way that names any.
  static func matches(_ word: String, tabs: [SourceTab]) -> [(tab: Int, name: String)] {
    let ways: [(String) -> Bool] = [
      { $0 == word }, { $0.hasPrefix(word) }, { isAbbreviation(word, of: $0) },
    ]
    for way in ways {
      let found = tabs.enumerated().compactMap { index, tab in
        names(of: tab).first(where: way).map { (tab: index, name: $0) }
      }
      if !found.isEmpty { return found }
    }
    return []
  }

  /// A tab's names, lowercased: its source id, title and short title, then their words.
  static func names(of tab: SourceTab) -> [String] {
    let descriptor = tab.source.descriptor
    let whole = [tab.source.rawValue, descriptor.title, descriptor.shortTitle].map {
      $0.lowercased()
    }
    let words = whole.flatMap { $0.split { $0 == " " || $0 == "-" }.map(String.init) }
    var seen: Set<String> = []
    return (whole + words).filter { seen.insert($0).inserted }
  }

  /// `cf` of `cloudflare`: the same first letter, then the others in order.
  static func isAbbreviation(_ word: String, of name: String) -> Bool {
    guard let first = word.first, name.first == first else { return false }
    var rest = name.dropFirst()[...]
    for character in word.dropFirst() {
      guard let found = rest.firstIndex(of: character) else { return false }
      rest = rest[rest.index(after: found)...]
    }
    return true
  }
}

extension App {
  /// `:`: the command line takes the keyboard.
  static func openCommandLine(_ state: inout AppState) -> [Command] {
    state.commandField = TextField()
    state.commandNote = nil
    state.focus = .command
    return []
  }

  /// A key in the command line: Enter runs it, Tab completes, Esc closes it.
  static func commandKey(_ state: inout AppState, _ key: Key) -> [Command] {
    var field = state.commandField
    switch promptKey(state, &field, key, in: .command) {
    case .action(.cancel):
      state.focus = .list
      return []
    case .action(.complete):
      let completed = TabCommand.complete(field.text, tabs: state.tabs)
      state.commandField = TextField(completed.text)
      state.commandNote = completed.note.map { StatusMessage(level: .warn, text: $0) }
      return []
    case .action(.accept):
      let command = TabCommand.resolve(field.text, tabs: state.tabs)
      switch command {
      case .empty:
        state.focus = .list
        return []
      case .quit:
        state.quitting = true
        return [.quit]
      case .tab(let index):
        state.focus = .list
        return showTab(&state, index)
      case .unknown, .ambiguous:
        // The prompt stays open with the word in it, to be put right.
        state.commandNote = TabCommand.describe(command, tabs: state.tabs).map {
          StatusMessage(level: .error, text: $0)
        }
        return []
      }
    case .action: return []
    case .edited(let edit):
      state.commandField = field
      if edit == .changed { state.commandNote = nil }
      return []
    }
  }
}
