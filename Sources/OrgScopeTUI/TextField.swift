import OrgScopeCore

/// One line being typed, with its cursor. Every prompt (`/`, `w`, `p`, the detail pane's
/// `/`, the filters' text fields) edits through this one value, so every prompt edits alike,
/// with readline's keys (bubbles' `textinput`). Pure: no state but the text and the cursor.
public struct TextField: Sendable, Hashable {
  public private(set) var text: String
  /// Where the next character goes, in characters from the start (0...text.count).
  public private(set) var cursor: Int

  /// `text` with the cursor at its end (where typing resumes).
  public init(_ text: String = "") {
    self.text = text
    cursor = text.count
  }

  public init(_ text: String, cursor: Int) {
    self.text = text
    self.cursor = max(0, min(cursor, text.count))
  }

  public var isEmpty: Bool { text.isEmpty }

  /// What a key did to the field.
  public enum Edit: Sendable, Hashable {
    /// Not an editing key: the prompt decides (Enter, Esc, ↑…).
    case ignored
    /// Only the cursor moved (or the key changed nothing).
    case moved
    /// The text changed.
    case changed
  }

  /// The editing keys, as `KeyMap.editing` binds them.
  public enum Action: Sendable, Hashable, CaseIterable {
    case left
    case right
    case home
    case end
    case deleteBack
    case deleteForward
    case deleteToStart
    case deleteWordBack
  }

  /// Applies one key: a printable character or a paste is typed at the cursor, an editing
  /// key (`KeyMap.editing`) edits; anything else is left to the prompt.
  @discardableResult
  public mutating func handle(_ key: Key) -> Edit {
    switch key {
    case .character(let character): return insert(String(character))
    case .paste(let pasted): return insert(pasted)
    default:
      guard let action = KeyMap.editAction(for: key) else { return .ignored }
      return apply(action)
    }
  }

  /// Types `typed` at the cursor. A paste is one line: line breaks and tabs become spaces
  /// (a trailing line break is dropped, so pasting a copied line does not also press
  /// Enter), and control and bidirectional-override characters are dropped.
  @discardableResult
  public mutating func insert(_ typed: String) -> Edit {
    var line = Substring(typed)
    while let last = line.last, last.isNewline { line.removeLast() }
    var kept = ""
    for character in line {
      if character.isNewline || character == "\t" {
        kept.append(" ")
      } else if character.unicodeScalars.allSatisfy(Sanitizer.keeps) {
        kept.append(character)
      }
    }
    guard !kept.isEmpty else { return .moved }
    let before = String(text.prefix(cursor)) + kept
    text = before + text.dropFirst(cursor)
    // A combining mark merges with the character before it: count again.
    cursor = min(before.count, text.count)
    return .changed
  }

  public mutating func apply(_ action: Action) -> Edit {
    switch action {
    case .left: cursor = max(0, cursor - 1)
    case .right: cursor = min(text.count, cursor + 1)
    case .home: cursor = 0
    case .end: cursor = text.count
    case .deleteBack:
      guard cursor > 0 else { return .moved }
      text.remove(at: index(cursor - 1))
      cursor -= 1
      return .changed
    case .deleteForward:
      guard cursor < text.count else { return .moved }
      text.remove(at: index(cursor))
      return .changed
    case .deleteToStart:
      guard cursor > 0 else { return .moved }
      text.removeSubrange(..<index(cursor))
      cursor = 0
      return .changed
    case .deleteWordBack:
      // As readline's unix-word-rubout: the spaces before the cursor, then the word.
      let characters = Array(text)
      var start = cursor
      while start > 0, characters[start - 1] == " " { start -= 1 }
      while start > 0, characters[start - 1] != " " { start -= 1 }
      guard start < cursor else { return .moved }
      text.removeSubrange(index(start)..<index(cursor))
      cursor = start
      return .changed
    }
    return .moved
  }

  private func index(_ offset: Int) -> String.Index {
    text.index(text.startIndex, offsetBy: offset)
  }

  /// What to draw in `width` cells: the text before the cursor, the character under it (nil
  /// at the end), and the text after it; scrolled so that the cursor is always shown.
  public func visible(width: Int) -> (before: String, under: Character?, after: String) {
    let characters = Array(text)
    let under = cursor < characters.count ? characters[cursor] : nil
    let underWidth = under.map { max(1, DisplayWidth.of(String($0))) } ?? 1
    var start = cursor
    var used = underWidth
    while start > 0 {
      let width1 = DisplayWidth.of(String(characters[start - 1]))
      if used + width1 > width { break }
      used += width1
      start -= 1
    }
    let before = String(characters[start..<cursor])
    let after = cursor < characters.count ? String(characters[(cursor + 1)...]) : ""
    return (before, under, after)
  }
}
