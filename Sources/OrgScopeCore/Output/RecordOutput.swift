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
    var writer = JSONArrayWriter()
    var out: [UInt8] = []
    for record in records { writer.append(record, to: &out) }
    writer.finish(&out)
    return String(decoding: out, as: UTF8.self)
  }

  /// CSV with one column per top-level field (in order of first appearance); nested values
  /// are written as compact JSON.
  public static func csv(_ records: [Record]) -> String {
    let header = csvHeader(records)
    var out = CSV.row(header)
    for record in records { out += csvRow(record, header: header) }
    return out
  }

  /// The CSV columns for `records`: every top-level key, in order of first appearance.
  public static func csvHeader(_ records: some Sequence<Record>) -> [String] {
    var header: [String] = []
    var known = Set<String>()
    for record in records {
      for key in record.fields.keys where known.insert(key).inserted { header.append(key) }
    }
    return header
  }

  /// One CSV row of `record` under `header`; nested values as compact JSON.
  public static func csvRow(_ record: Record, header: [String]) -> String {
    CSV.row(
      header.map { key -> String in
        guard let value = record.fields[key] else { return "" }
        switch value {
        case .array, .object: return JSONWriter.compact(value)
        default: return value.displayText
        }
      })
  }

  /// A table of the provider's columns that fits `width` cells: fixed columns keep their
  /// preferred width (shrunk if they must), the flexible one takes the rest, every cell has
  /// its controls and bidi characters written visibly and is truncated with an ellipsis.
  /// With `width` nil (a pipe), every cell is whole: columns as wide as their widest cell.
  public static func table(
    _ records: [Record], provider: any Provider, width: Int?, utf8: Bool = true
  ) -> String {
    let layout = TableLayout(
      provider: provider, sample: records, width: width, utf8: utf8)
    var out = layout.headerLine()
    for record in records { out += layout.line(record) }
    return out
  }

  /// Column widths measured once, on a first chunk of records, then used for every line:
  /// `list --format table` streams the rest instead of holding a whole list in memory.
  public struct TableLayout: Sendable {
    public let provider: any Provider
    let widths: [Int]
    let ellipsis: String
    /// No terminal to fit: nothing is cut (a cell wider than its column, after the sample
    /// that measured it, pushes the rest of its line right).
    let whole: Bool

    /// `width` nil: output to a pipe or a file, where `grep` must see every cell whole.
    public init(provider: any Provider, sample: [Record], width: Int?, utf8: Bool = true) {
      self.provider = provider
      let rows = sample.map { RecordOutput.cells(of: $0, provider: provider) }
      if let width {
        widths = RecordOutput.columnWidths(rows, columns: provider.columns, width: width)
        whole = false
      } else {
        var widths = provider.columns.map { DisplayWidth.of($0.title) }
        for row in rows {
          for index in widths.indices where index < row.count {
            widths[index] = max(widths[index], DisplayWidth.of(row[index]))
          }
        }
        self.widths = widths
        whole = true
      }
      ellipsis = DisplayWidth.ellipsis(utf8: utf8)
    }

    public func headerLine() -> String { line(provider.columns.map(\.title)) }

    public func line(_ record: Record) -> String {
      line(RecordOutput.cells(of: record, provider: provider))
    }

    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for (index, columnWidth) in widths.enumerated() where columnWidth > 0 {
        let cell = index < cells.count ? cells[index] : ""
        if whole {
          parts.append(
            cell + String(repeating: " ", count: max(0, columnWidth - DisplayWidth.of(cell))))
        } else {
          parts.append(DisplayWidth.pad(cell, to: columnWidth, ellipsis: ellipsis))
        }
      }
      var text = parts.joined(separator: "  ")
      while text.hasSuffix(" ") { text.removeLast() }
      return text + "\n"
    }
  }

  static func cells(of record: Record, provider: any Provider) -> [String] {
    provider.cells(of: record).map { Sanitizer.visible($0) }
  }

  /// Writes a pretty-printed JSON array one record at a time (the same text as
  /// `JSONWriter.pretty` of the whole array).
  public struct JSONArrayWriter: Sendable {
    private var count = 0
    public init() {}

    public mutating func append(_ record: Record, to output: inout [UInt8]) {
      output.append(contentsOf: (count == 0 ? "[\n  " : ",\n  ").utf8)
      JSONWriter.appendPretty(.object(record.fields), to: &output, level: 1)
      count += 1
    }

    public func finish(_ output: inout [UInt8]) {
      output.append(contentsOf: (count == 0 ? "[]\n" : "\n]\n").utf8)
    }
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
