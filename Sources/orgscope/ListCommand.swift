import Foundation
import OrgScopeCore

/// `orgscope list SOURCE`: every record of a source, to the end, in a scriptable format.
struct List: Subcommand {
  static let path = ["list"]
  static let sourceNames = SourceID.allCases.map(\.rawValue).joined(separator: ", ")
  static let spec = CommandSpec(
    name: "list",
    abstract: "List the accounts or roles of one source.",
    discussion: "Sources: \(sourceNames).",
    arguments: [ArgumentSpec(name: "source", help: "The source: \(sourceNames).")],
    options: CommonOptions.specs + [
      .option(
        "search", "text",
        "Search text (on the server for \(sources { $0.capabilities.serverSearch }), locally otherwise)."
      ),
      .option("match", "mode", "How the search text matches: contains, starts-with, ends-with."),
    ] + filterOptions + [
      .option(
        "sort", "direction",
        "\(sources { $0.capabilities.sort }): sort by account name, asc or desc."),
      .option(
        "where", "expr",
        "Keep records whose fields match: status=suspended settings.enforce_twofactor=false type!=standard name~paris (all must hold)."
      ),
      .option("max", "n", "Stop after this many records."),
      .option("format", "format", "Output format: table, json, ndjson, csv."),
      Snapshots.snapshotOption,
    ])

  /// The sources of which `has` holds, for help and errors.
  static func sources(_ has: (ProviderDescriptor) -> Bool) -> String {
    ProviderRegistry.all.filter(has).map(\.id.rawValue).joined(separator: ", ")
  }

  /// One option per provider filter, from the registry.
  static var filterOptions: [OptionSpec] {
    ProviderRegistry.filters.map { filter in
      let help = "\(sources { $0.filter(named: filter.name) != nil }): \(filter.help)."
      switch filter.kind {
      case .text(let valueName): return .option(filter.name, valueName.lowercased(), help)
      case .flag: return .flag(filter.name, help)
      }
    }
  }

  var common: CommonOptions
  var source: String
  var search: String?
  var match: MatchMode
  /// Provider filters given, by name (a flag is `"true"`).
  var filters: [String: String] = [:]
  var sort: String?
  var max: Int?
  var filter: FieldFilter?
  var format: OutputFormat
  var snapshot: String?

  init(_ arguments: ParsedArguments) throws {
    snapshot = arguments.string("snapshot")
    common = try CommonOptions(arguments)
    source = arguments.arguments[0]
    search = arguments.string("search")
    match = try arguments.choice("match", default: .contains)
    for filter in ProviderRegistry.filters {
      if filter.isFlag {
        if arguments.flag(filter.name) { filters[filter.name] = "true" }
      } else if let value = arguments.string(filter.name) {
        filters[filter.name] = value
      }
    }
    sort = arguments.string("sort")
    max = try arguments.int("max")
    if let text = arguments.string("where") {
      do {
        filter = try FieldFilter(parsing: text)
      } catch {
        throw UsageError(message: "--where: \(error.description)", command: "orgscope list")
      }
    }
    format = try arguments.choice("format", default: .table)
  }

  func run() async throws {
    guard let sourceID = SourceID(rawValue: source) else {
      throw OrgScopeError.usage(
        "unknown source \"\(source)\"; one of \(SourceID.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    let query = try makeQuery(for: sourceID)
    if let snapshot {
      let client = try await Snapshots.client(snapshot, for: sourceID)
      try await Self.write(client: client, query: query, max: max, format: format, filter: filter)
      return
    }
    let context = try await Context.open(common)
    do {
      let client = try context.client(for: sourceID)
      try await Self.write(
        client: client, query: query, max: max, format: format, filter: filter)
    } catch {
      await context.shutdown()
      throw error
    }
    await context.shutdown()
  }

  func makeQuery(for source: SourceID) throws -> Query {
    try Self.checkFilters(filters.keys, sort: sort != nil, for: source)
    if let max, max < 1 { throw OrgScopeError.usage("--max must be at least 1") }
    var sortDirection: SortDirection?
    if let sort {
      guard let direction = SortDirection(rawValue: sort) else {
        throw OrgScopeError.usage("--sort takes asc or desc")
      }
      sortDirection = direction
    }
    return Query(
      search: search ?? "", match: match, filters: filters, sortByName: sortDirection)
  }

  /// The one check of which filter applies to which source: the registry's.
  static func checkFilters(
    _ names: some Sequence<String>, sort: Bool, for source: SourceID
  ) throws {
    func refuse(_ option: String, _ has: (ProviderDescriptor) -> Bool) -> OrgScopeError {
      .usage("--\(option) applies to \(sources(has)) only")
    }
    for name in names.sorted() where source.descriptor.filter(named: name) == nil {
      throw refuse(name) { $0.filter(named: name) != nil }
    }
    if sort && !source.descriptor.capabilities.sort {
      throw refuse("sort") { $0.capabilities.sort }
    }
  }

  /// Records held back to measure the table's columns or find the CSV's columns; the rest
  /// is written as it arrives, so memory stays flat however long a server keeps answering.
  static let firstChunk = 1000

  /// Streams every page, filters locally what the server does not, and writes `format` as
  /// it goes: NDJSON and JSON record by record, table and CSV after a first chunk
  /// (`firstChunk` records) that fixes the column widths or the CSV columns. `--max` bounds
  /// the page requests as well as the records.
  static func write(
    client: SourceClient, query: Query, max: Int?, format: OutputFormat,
    filter: FieldFilter? = nil
  ) async throws {
    let searchLocally = LocalFilter.isNeeded(client.provider.capabilities, query: query)
    // Records are dropped here: the server's count of records is no bound on what is kept.
    let filterLocally = searchLocally || filter != nil
    var output = Output()
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
          width: isatty(STDOUT_FILENO) == 1 ? Console.width() : nil, utf8: Console.isUTF8)
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
    pages: for try await page in client.pages(
      query: query, maxRecords: filterLocally ? nil : max, maxRequests: max)
    {
      pagesRead += 1
      lastHadNext = page.next != nil
      for record in page.records {
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
      Console.errorLine(
        "csv: fields first seen after the first \(firstChunk) records are not in the columns: "
          + unlisted.prefix(10).joined(separator: ", ")
          + (unlisted.count > 10 ? ", …" : "") + " (--format ndjson has every field)")
    }
    if let max, count < max, lastHadNext, pagesRead >= max {
      Console.errorLine(
        "\(client.source.rawValue): stopped after \(pagesRead) page requests (--max \(max) bounds requests too); more records may follow"
      )
    }
  }
}
