import Foundation

/// Standard output (or any sink) through one buffered writer: listing 100,000 records must
/// not make 100,000 write calls.
public struct OutputBuffer {
  private var buffer: [UInt8] = []
  private let sink: (UnsafeRawBufferPointer) -> Void

  /// Writes to `sink` in chunks of about 64 KiB.
  public init(sink: @escaping (UnsafeRawBufferPointer) -> Void) {
    self.sink = sink
  }

  /// Writes to a file descriptor (standard output by default), retrying short writes.
  public init(descriptor: Int32 = STDOUT_FILENO) {
    self.init { raw in
      var offset = 0
      while offset < raw.count {
        let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if written <= 0 { break }
        offset += written
      }
    }
  }

  public mutating func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 16 { flush() }
  }

  /// One NDJSON line, written straight into the buffer (no String per record).
  public mutating func writeLine(_ record: Record) {
    RecordOutput.appendNDJSONLine(record, to: &buffer)
    if buffer.count >= 1 << 16 { flush() }
  }

  /// One element of a streamed JSON array.
  public mutating func writeJSON(
    _ record: Record, with writer: inout RecordOutput.JSONArrayWriter
  ) {
    writer.append(record, to: &buffer)
    if buffer.count >= 1 << 16 { flush() }
  }

  /// The end of a streamed JSON array (`[]` when it had no element).
  public mutating func finishJSON(_ writer: RecordOutput.JSONArrayWriter) {
    writer.finish(&buffer)
  }

  public mutating func flush() {
    guard !buffer.isEmpty else { return }
    buffer.withUnsafeBytes { sink($0) }
    buffer.removeAll(keepingCapacity: true)
  }
}

/// `orgscope list`: every page of a source, filtered locally where the server cannot, in
/// one of the output formats, written as it arrives.
public enum ListWriter {
  /// How the listing is written.
  public struct Options: Sendable {
    public var format: OutputFormat
    /// `--max`: records written, and page requests made.
    public var max: Int?
    /// `--where`.
    public var filter: FieldFilter?
    /// The terminal's width for `table` (nil in a pipe: every cell whole).
    public var width: Int?
    public var utf8: Bool

    public init(
      format: OutputFormat, max: Int? = nil, filter: FieldFilter? = nil, width: Int? = nil,
      utf8: Bool = true
    ) {
      self.format = format
      self.max = max
      self.filter = filter
      self.width = width
      self.utf8 = utf8
    }
  }

  /// What happened besides the records.
  public struct Outcome: Sendable {
    /// Records written.
    public var count = 0
    /// Lines for standard error (CSV columns left out, requests stopped by `--max`).
    public var notices: [String] = []
    /// A `--where` field that no record read has: a usage error, after the records.
    public var missingFields: String?
  }

  /// Records held back to measure the table's columns or find the CSV's columns; the rest
  /// is written as it arrives, so memory stays flat however long a server keeps answering.
  public static let firstChunk = 1000

  /// Streams every page, filters locally what the server does not, and writes `format` as
  /// it goes: NDJSON and JSON record by record, table and CSV after a first chunk
  /// (`firstChunk` records) that fixes the column widths or the CSV columns. `--max` bounds
  /// the page requests as well as the records. A `--where` field that no record read has
  /// is a usage error, thrown after the records are written.
  public static func write(
    client: SourceClient, query: Query, options: Options, to output: inout OutputBuffer
  ) async throws -> Outcome {
    let (format, max, filter) = (options.format, options.max, options.filter)
    var outcome = Outcome()
    let searchLocally = LocalFilter.isNeeded(client.provider.capabilities, query: query)
    // Records are dropped here: the server's count of records is no bound on what is kept.
    let filterLocally = searchLocally || filter != nil
    var count = 0
    var held: [Record] = []
    var chunkDone = false
    var table: RecordOutput.TableLayout?
    var header: [String] = []
    var headerKeys = Set<String>()
    var unlisted: [String] = []
    var json = RecordOutput.JSONArrayWriter()
    var pagesRead = 0
    var lastHadNext = false
    var received = 0
    var reported: Int?
    // Which `--where` fields the records have: a field none has is a misspelling.
    var census = filter.map(FieldFilter.Census.init)
    defer { output.flush() }

    func emit(_ record: Record) {
      switch format {
      case .ndjson: output.writeLine(record)
      case .json: output.writeJSON(record, with: &json)
      case .csv:
        // Bounded: only the first few are named, however many a server invents.
        for key in record.fields.keys where unlisted.count <= 10 && !headerKeys.contains(key) {
          headerKeys.insert(key)
          unlisted.append(key)
        }
        output.write(RecordOutput.csvRow(record, header: header))
      case .table: output.write(table!.line(record))
      }
    }
    /// Fixes the columns from the held records, writes them and the header.
    func endChunk() {
      chunkDone = true
      switch format {
      case .table:
        let layout = RecordOutput.TableLayout(
          provider: client.provider, sample: held,
          // On a terminal the table fits its width; in a pipe every cell is whole.
          width: options.width, utf8: options.utf8)
        table = layout
        output.write(layout.headerLine())
      case .csv:
        header = RecordOutput.csvHeader(held)
        headerKeys = Set(header)
        output.write(CSV.row(header))
      default: break
      }
      for record in held { emit(record) }
      held = []
    }
    let holds = format == .table || format == .csv
    if !holds { chunkDone = true }
    // `--max` above the record cap raises it: the user asked for that many.
    pages: for try await page in client.pages(
      query: query, maxRecords: filterLocally ? nil : max, maxRequests: max,
      recordCap: max.map { Swift.max($0, client.recordCap) })
    {
      pagesRead += 1
      lastHadNext = page.next != nil
      received += page.records.count
      if let total = page.total { reported = total }
      for record in page.records {
        census?.add(record)
        if searchLocally && !LocalFilter.matches(record, query: query) { continue }
        if let filter, !filter.matches(record) { continue }
        if let max, count >= max { break pages }
        count += 1
        if chunkDone {
          emit(record)
        } else {
          held.append(record)
          if held.count >= firstChunk { endChunk() }
        }
      }
    }
    if !chunkDone { endChunk() }
    if format == .json { output.finishJSON(json) }
    output.flush()
    if !unlisted.isEmpty {
      outcome.notices.append(
        "csv: fields first seen after the first \(firstChunk) records are not in the columns: "
          + unlisted.prefix(10).joined(separator: ", ")
          + (unlisted.count > 10 ? ", …" : "") + " (--format ndjson has every field)")
    }
    if let max, count < max, lastHadNext, pagesRead >= max {
      outcome.notices.append(
        "\(client.source.rawValue): stopped after \(pagesRead) page requests (--max \(max) bounds requests too); more records may follow"
      )
    }
    // A one-answer list short of its own total (SCIM users: `totalResults`); paged lists'
    // totals may be estimates.
    if pagesRead == 1, !lastHadNext, max == nil, let reported, reported > received {
      outcome.notices.append(
        "\(client.source.rawValue): the list is not whole: the server counts \(reported.formatted), it sent \(received.formatted)"
      )
    }
    // After the records, so a script still gets what matched; the status says it was wrong.
    outcome.count = count
    outcome.missingFields = census?.missing()?.description
    return outcome
  }
}
