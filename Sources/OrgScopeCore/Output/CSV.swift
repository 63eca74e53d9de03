/// CSV output (RFC 4180) that is safe to open in a spreadsheet: a cell that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so it is shown as text
/// and never run as a formula. It is also safe to print on a terminal: controls (C0 but LF
/// and tab, DEL, C1) and bidi and other invisible format characters are written as visible
/// escapes (`Sanitizer.visible`), so a hostile cell cannot retitle the window, switch
/// screens, fill the clipboard or reorder the line.
public enum CSV {
  public static func cell(_ value: String) -> String {
    var text = Sanitizer.visible(value, keepingLineBreaks: true)
    if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
      text = "'" + text
    }
    let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
    guard needsQuotes else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  public static func row(_ cells: [String]) -> String {
    cells.map(cell).joined(separator: ",") + "\r\n"
  }

  /// A whole table: a header row and one row per record.
  public static func table(header: [String], rows: [[String]]) -> String {
    var out = row(header)
    for cells in rows { out += row(cells) }
    return out
  }
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
