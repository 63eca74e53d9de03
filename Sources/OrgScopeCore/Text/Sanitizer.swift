/// Makes provider text safe to draw: a hostile account name must not retitle the terminal,
/// clear the screen, move the cursor or reorder what follows it.
public enum Sanitizer {
  /// `text` without escape sequences (CSI, OSC, DCS, SOS, PM, APC, and two-byte ESC forms,
  /// in 7-bit and C1 spellings), C0/C1 controls, DEL, bidi embeddings, overrides, isolates
  /// and marks, and other invisible format characters. Tabs and line breaks become spaces,
  /// so a value always stays on one line. Zero-width joiners and emoji tags are kept.
  public static func clean(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
    var output = String.UnicodeScalarView()
    var scalars = text.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
      switch scalar.value {
      case 0x1B:
        skipEscape(&scalars)
      case 0x9B:
        skipCSI(&scalars)
      case 0x90, 0x98, 0x9D, 0x9E, 0x9F:
        skipString(&scalars)
      case 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0x2028, 0x2029:
        output.append(" ")
      default:
        if keeps(scalar) { output.append(scalar) }
      }
    }
    return String(output)
  }

  /// One line of at most `limit` characters, for a message quoting a server: `clean`, then
  /// whitespace runs collapsed to one space, no leading or trailing space, and `…` when cut.
  public static func line(_ text: String, limit: Int = 160) -> String {
    var output = String.UnicodeScalarView()
    var pendingSpace = false
    var count = 0
    for scalar in clean(text).unicodeScalars {
      if scalar.properties.isWhitespace {
        pendingSpace = !output.isEmpty
        continue
      }
      if pendingSpace {
        output.append(" ")
        count += 1
        pendingSpace = false
      }
      if count >= limit {
        output.append("…")
        break
      }
      output.append(scalar)
      count += 1
    }
    return String(output)
  }

  /// `text` with everything that could act on a terminal written out visibly instead of
  /// removed, for output that must stay faithful but may be shown (`list --format csv`
  /// and `table`, CSV exports): C0 controls, DEL and C1 controls become `\x1b`-style
  /// escapes, bidi controls and other invisible format characters `\u{202E}`-style ones,
  /// and a backslash `\\` (so no text can pass for an escape). An escape sequence thus
  /// shows as harmless text (`\x1b]0;title\x07`). With
  /// `keepingLineBreaks`, LF and tab stay as they are (a quoted CSV cell may hold them);
  /// otherwise tabs and line breaks become spaces, so a cell stays on one line.
  public static func visible(_ text: String, keepingLineBreaks: Bool = false) -> String {
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C }) { return text }
    var output = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      let value = scalar.value
      switch value {
      case 0x5C:
        // A backslash is escaped too: the text `\u{202E}` must not read as the escape.
        output.append(contentsOf: "\\\\".unicodeScalars)
        continue
      case 0x0A, 0x09:
        if keepingLineBreaks { output.append(scalar) } else { output.append(" ") }
        continue
      case 0x2028, 0x2029, 0x85:
        if !keepingLineBreaks {
          output.append(" ")
          continue
        }
      default: break
      }
      if keeps(scalar) {
        output.append(scalar)
      } else if value < 0x100 {
        output.append(contentsOf: "\\x".unicodeScalars)
        output.append(contentsOf: hex(value, digits: 2).unicodeScalars)
      } else {
        output.append(contentsOf: "\\u{".unicodeScalars)
        output.append(contentsOf: hex(value, digits: 4).unicodeScalars)
        output.append("}")
      }
    }
    return String(output)
  }

  /// `text` as the TUI draws it: what could act on a terminal is shown as a harmless
  /// picture instead of removed, so an admin sees that a name carries an escape sequence
  /// (`clear␛[2J␛[Hscreen`, where `clean` gives `clearscreen`). With `unicode`, C0 controls
  /// and DEL are their Control Pictures (`␛`, `␇`, `␡`: one cell each); otherwise, and for
  /// C1 controls and invisible format characters (bidi overrides), the escapes of `visible`
  /// (`\x1b`, `\x9b`, `\u{202E}`). Without `unicode` every other non-ASCII scalar is
  /// escaped too (`\u{e9}`), so an ASCII terminal shows no `?`. Tabs and line breaks are
  /// spaces, as in `clean`. Applying it again changes nothing: each picture is printable.
  public static func pictured(_ text: String, unicode: Bool) -> String {
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
    var output = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      let value = scalar.value
      switch value {
      case 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0x2028, 0x2029:
        output.append(" ")
      case _ where keeps(scalar):
        if unicode || value < 0x80 {
          output.append(scalar)
        } else {
          output.append(contentsOf: "\\u{\(String(value, radix: 16))}".unicodeScalars)
        }
      case 0..<0x20 where unicode:
        output.append(Unicode.Scalar(0x2400 + value)!)
      case 0x7F where unicode:
        output.append("\u{2421}")
      case 0..<0x100:
        output.append(contentsOf: "\\x\(hex(value, digits: 2))".unicodeScalars)
      default:
        output.append(contentsOf: "\\u{\(hex(value, digits: 4))}".unicodeScalars)
      }
    }
    return String(output)
  }

  private static func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16, uppercase: value >= 0x100)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
  }

  /// Whether a scalar outside escape sequences may reach the terminal.
  public static func keeps(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x20 || (0x7F..<0xA0).contains(value) { return false }
    if value < 0x300 { return true }
    switch value {
    case 0x200C, 0x200D, 0xE0020...0xE007F: return true  // joiners and emoji tag sequences
    case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return false
    default: break
    }
    switch scalar.properties.generalCategory {
    case .format, .control, .surrogate, .lineSeparator, .paragraphSeparator: return false
    default: return true
    }
  }

  private static func skipEscape(_ scalars: inout String.UnicodeScalarView.Iterator) {
    guard let next = scalars.next() else { return }
    switch next {
    case "[": skipCSI(&scalars)
    case "]", "P", "X", "^", "_": skipString(&scalars)
    default:
      // ESC, intermediates (0x20-0x2F), then one final byte.
      var current = next
      while (0x20...0x2F).contains(current.value), let following = scalars.next() {
        current = following
      }
    }
  }

  private static func skipCSI(_ scalars: inout String.UnicodeScalarView.Iterator) {
    while let scalar = scalars.next() {
      if (0x40...0x7E).contains(scalar.value) { return }
      if !(0x20...0x3F).contains(scalar.value) { return }  // malformed: stop at the intruder
    }
  }

  /// Skips an OSC/DCS/SOS/PM/APC body up to its terminator: BEL, ESC \ or C1 ST.
  private static func skipString(_ scalars: inout String.UnicodeScalarView.Iterator) {
    while let scalar = scalars.next() {
      switch scalar.value {
      case 0x07, 0x9C: return
      case 0x1B:
        _ = scalars.next()
        return
      default: continue
      }
    }
  }
}
