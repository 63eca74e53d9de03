/// The formats `orgscope list` (and the TUI's export) can write.
public enum OutputFormat: String, Sendable, CaseIterable {
  case table
  case json
  case ndjson
  case csv
}

/// Turns records into text. JSON and NDJSON are faithful (every field as the provider sent
/// it); CSV is faithful too but neutralises formula prefixes; the table is for eyes: it is
/// sanitized and fits `width` terminal cells.
public enum RecordOutput {
  /// One JSON object per line, each the provider's whole record, appended to `output`
  /// (`list` writes 100,000 of them into one buffer).
  public static func appendNDJSONLine(_ record: Record, to output: inout [UInt8]) {
    JSONWriter.appendCompact(.object(record.fields), to: &output)
    output.append(0x0A)
  }

  /// A JSON array of the records, pretty-printed.
  public static func json(_ records: [Record]) -> String {
    JSONWriter.pretty(.array(records.map { .object($0.fields) })) + "\n"
  }

  /// CSV with one column per top-level field (in order of first appearance); nested values
  /// are written as compact JSON.
  public static func csv(_ records: [Record]) -> String {
    var header: [String] = []
    var known = Set<String>()
    for record in records {
      for key in record.fields.keys where known.insert(key).inserted { header.append(key) }
    }
    let rows = records.map { record in
      header.map { key -> String in
        guard let value = record.fields[key] else { return "" }
        switch value {
        case .array, .object: return JSONWriter.compact(value)
        default: return value.displayText
        }
      }
    }
    return CSV.table(header: header, rows: rows)
  }

  /// A table of the provider's columns that fits `width` cells: fixed columns keep their
  /// preferred width (shrunk if they must), the flexible one takes the rest, every cell is
  /// sanitized and truncated with an ellipsis.
  public static func table(
    _ records: [Record], provider: any Provider, width: Int, utf8: Bool = true
  ) -> String {
    let columns = provider.columns
    let rows = records.map { provider.cells(of: $0).map(Sanitizer.clean) }
    let widths = columnWidths(rows, columns: columns, width: width)
    let ellipsis = DisplayWidth.ellipsis(utf8: utf8)
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for (index, columnWidth) in widths.enumerated() where columnWidth > 0 {
        let cell = index < cells.count ? cells[index] : ""
        parts.append(DisplayWidth.pad(cell, to: columnWidth, ellipsis: ellipsis))
      }
      var text = parts.joined(separator: "  ")
      while text.hasSuffix(" ") { text.removeLast() }
      return text + "\n"
    }
    var out = line(columns.map(\.title))
    for row in rows { out += line(row) }
    return out
  }

  /// Column widths for `table`: each column as wide as its widest cell (at most its
  /// preferred width unless flexible), then shrunk from the flexible column to fit.
  static func columnWidths(_ rows: [[String]], columns: [ColumnSpec], width: Int) -> [Int] {
    var widths = columns.map { DisplayWidth.of($0.title) }
    for row in rows {
      for index in columns.indices where index < row.count {
        let cellWidth = DisplayWidth.of(row[index])
        let cap = columns[index].flexible ? max(columns[index].width, 60) : columns[index].width
        widths[index] = max(widths[index], min(cellWidth, cap))
      }
    }
    let gaps = max(0, columns.count - 1) * 2
    var excess = widths.reduce(0, +) + gaps - max(width, 20)
    // The name matters most: it gives up width only down to a quarter of the line, then
    // the other columns shrink from the right, and only then the name again.
    func shrink(_ index: Int, downTo floor: Int) {
      guard excess > 0 else { return }
      let cut = min(excess, max(0, widths[index] - floor))
      widths[index] -= cut
      excess -= cut
    }
    let flexible = columns.firstIndex(where: \.flexible)
    if let flexible { shrink(flexible, downTo: max(12, width / 4)) }
    for index in columns.indices.reversed() where index != flexible { shrink(index, downTo: 4) }
    if let flexible { shrink(flexible, downTo: 4) }
    return widths
  }
}
