import ArgumentParser
import Foundation
import OrgScopeCore

/// `orgscope list SOURCE`: every record of a source, to the end, in a scriptable format.
struct List: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the accounts or roles of one source.")

  @Argument(help: "The source.")
  var source: SourceName

  @OptionGroup var common: CommonOptions

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Search text (on the server for \(sources { $0.capabilities.serverSearch }), locally otherwise).",
      valueName: "text"))
  var search: String?

  @Option(
    parsing: .unconditional, help: ArgumentHelp("How the search text matches.", valueName: "mode"))
  var match: MatchMode = .contains

  // The providers' server-side filters (`ProviderRegistry.filters`), one option each; their
  // help comes from the registry, and an end-to-end test checks that every filter it
  // declares has its option here.
  @Option(
    name: .customLong("product-group"), parsing: .unconditional,
    help: filterHelp("product-group"))
  var productGroup: String?

  @Option(
    name: .customLong("resource-types"), parsing: .unconditional,
    help: filterHelp("resource-types"))
  var resourceTypes: String?

  @Option(name: .customLong("parent-id"), parsing: .unconditional, help: filterHelp("parent-id"))
  var parentID: String?

  @Flag(name: .customLong("with-contact-info"), help: filterHelp("with-contact-info"))
  var withContactInfo = false

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "\(sources { $0.capabilities.sort }): sort by account name.", valueName: "direction"))
  var sort: SortDirection?

  @Option(
    name: .customLong("where"), parsing: .unconditional,
    help: ArgumentHelp(
      """
      Keep records whose fields match: status=suspended settings.enforce_twofactor=false \
      type!=standard name~paris (all must hold).
      """, valueName: "expr"))
  var fieldFilterText: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Stop after this many records (and page requests).", valueName: "n"),
    transform: Number.whole)
  var max: Int?

  @Option(parsing: .unconditional, help: "Output format.")
  var format: OutputFormat = .table

  @OptionGroup var snapshot: SnapshotOption

  /// The sources of which `has` holds, for help and errors.
  static func sources(_ has: (ProviderDescriptor) -> Bool) -> String {
    ProviderRegistry.all.filter(has).map(\.id.rawValue).joined(separator: ", ")
  }

  /// The help of the provider filter `name`, from the registry.
  static func filterHelp(_ name: String) -> ArgumentHelp {
    guard let filter = ProviderRegistry.filters.first(where: { $0.name == name }) else {
      return ArgumentHelp(visibility: .hidden)
    }
    let help = "\(sources { $0.filter(named: name) != nil }): \(filter.help)."
    switch filter.kind {
    case .text(let valueName): return ArgumentHelp(help, valueName: valueName.lowercased())
    case .flag: return ArgumentHelp(help)
    }
  }

  /// The provider filters given, by name (a flag is `"true"`), as `Query.filters` takes them.
  var filters: [String: String] {
    var filters: [String: String] = [:]
    filters["product-group"] = productGroup
    filters["resource-types"] = resourceTypes
    filters["parent-id"] = parentID
    if withContactInfo { filters["with-contact-info"] = "true" }
    return filters
  }

  func validate() throws {
    if let max, max < 1 { throw ValidationError("--max must be at least 1") }
    try Self.checkFilters(filters.keys, sort: sort != nil, for: source.id)
    _ = try fieldFilter()
  }

  func run() async throws {
    let query = Query(search: search ?? "", match: match, filters: filters, sortByName: sort)
    let filter = try fieldFilter()
    if let snapshot = snapshot.path {
      let client = try await Snapshots.client(snapshot, for: source.id)
      try await Self.write(client: client, query: query, max: max, format: format, filter: filter)
      return
    }
    let context = try await Context.open(common)
    do {
      let client = try context.client(for: source.id)
      try await Self.write(
        client: client, query: query, max: max, format: format, filter: filter)
    } catch {
      await context.shutdown()
      throw error
    }
    await context.shutdown()
  }

  /// The one check of which filter applies to which source: the registry's.
  static func checkFilters(
    _ names: some Sequence<String>, sort: Bool, for source: SourceID
  ) throws {
    func refuse(_ option: String, _ has: (ProviderDescriptor) -> Bool) -> ValidationError {
      ValidationError("--\(option) applies to \(sources(has)) only")
    }
    for name in names.sorted() where source.descriptor.filter(named: name) == nil {
      throw refuse(name) { $0.filter(named: name) != nil }
    }
    if sort && !source.descriptor.capabilities.sort {
      throw refuse("sort") { $0.capabilities.sort }
    }
  }

  /// `--where`, read; a term it cannot read is a usage error that names it.
  func fieldFilter() throws -> FieldFilter? {
    guard let fieldFilterText else { return nil }
    do {
      return try FieldFilter(parsing: fieldFilterText)
    } catch {
      throw ValidationError("--where: \(error.description)")
    }
  }

  /// Records held back to measure the table's columns or find the CSV's columns; the rest
  /// is written as it arrives, so memory stays flat however long a server keeps answering.
  static let firstChunk = 1000

  /// Streams every page, filters locally what the server does not, and writes `format` as
  /// it goes: NDJSON and JSON record by record, table and CSV after a first chunk
  /// (`firstChunk` records) that fixes the column widths or the CSV columns. `--max` bounds
  /// the page requests as well as the records. A `--where` field that no record read has
  /// is a usage error, thrown after the records are written.
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
    // After the records, so a script still gets what matched; the status says it was wrong.
    if let missing = census?.missing() {
      throw ValidationError("--where: \(missing.description)")
    }
  }
}
