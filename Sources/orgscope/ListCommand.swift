import ArgumentParser
import Foundation
import OrgScopeCore

/// `orgscope list SOURCE`: every record of a source, to the end, in a scriptable format.
struct List: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the accounts or roles of one source.",
    discussion: examples(
      "orgscope list cloudflare --search acme --match starts-with",
      "orgscope list huawei --where 'status=suspended name~paris' --format csv"))

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
    if let snapshot = try await snapshot.resolved(common) {
      let client = try await Snapshots.client(snapshot, for: source.id, common)
      try await Self.write(client: client, query: query, max: max, format: format, filter: filter)
      return
    }
    try await Context.with(common) { context in
      try await Self.write(
        client: try context.client(for: source.id), query: query, max: max, format: format,
        filter: filter)
    }
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

  /// Writes the listing to standard output, its notices to standard error; a `--where`
  /// field no record has is a usage error after the records.
  static func write(
    client: SourceClient, query: Query, max: Int?, format: OutputFormat,
    filter: FieldFilter? = nil
  ) async throws {
    var output = OutputBuffer()
    defer { output.flush() }
    let outcome = try await ListWriter.write(
      client: client, query: query,
      options: ListWriter.Options(
        format: format, max: max, filter: filter,
        // On a terminal the table fits its width; in a pipe every cell is whole.
        width: isatty(STDOUT_FILENO) == 1 ? Console.width() : nil, utf8: Console.isUTF8),
      to: &output)
    output.flush()
    for notice in outcome.notices { Console.errorLine(notice) }
    if let missing = outcome.missingFields { throw ValidationError("--where: \(missing)") }
  }
}
