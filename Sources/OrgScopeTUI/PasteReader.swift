/// Turns what the terminal reports into keys with pastes in them: the text of a bracketed
/// paste (which may span several reads) becomes one `.paste`, and so does a run of
/// characters read together (a paste in a terminal without bracketed paste, or typing
/// faster than the loop reads). A prompt types a paste at once; elsewhere it is its keys.
struct PasteReader {
  /// The text of a bracketed paste that has not ended yet.
  private(set) var pending: String?
  /// A paste longer than this is cut: a prompt holds one line.
  static let limit = 4096

  mutating func take(_ events: [TerminalEvent]) -> [TerminalEvent] {
    var out: [TerminalEvent] = []
    var run = ""
    func flush() {
      if run.count == 1, let only = run.first {
        out.append(.key(.character(only)))
      } else if !run.isEmpty {
        out.append(.key(.paste(run)))
      }
      run = ""
    }
    for event in events {
      if var text = pending {
        switch event {
        case .pasteEnd:
          pending = nil
          flush()
          out.append(.key(.paste(text)))
        case .key(let key):
          if text.count < Self.limit, let character = Self.character(key) { text.append(character) }
          pending = text
        case .resize, .mouse:
          out.append(event)
        case .pasteStart:
          break
        }
        continue
      }
      switch event {
      case .pasteStart:
        flush()
        pending = ""
      case .pasteEnd: break
      case .key(.character(let character)): run.append(character)
      default:
        flush()
        out.append(event)
      }
    }
    flush()
    return out
  }

  /// A key as pasted text: characters, and the line breaks and tabs pasted with them.
  static func character(_ key: Key) -> Character? {
    switch key {
    case .character(let character): return character
    case .enter: return "\n"
    case .tab: return "\t"
    default: return nil
    }
  }
}
