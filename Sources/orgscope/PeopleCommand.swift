import ArgumentParser
import Foundation
import OrgScopeCore
import OrgScopeSnapshot
import Synchronization

/// What the people commands read: every user with their role assignments, every role with
/// its policy, and the accounts' names, fetched at once within one context.
enum PeopleFetch {
  /// Live, or from the snapshot file at `snapshot` (no credentials, no network): the
  /// audit that follows is the same.
  static func load(
    _ common: CommonOptions, demo: DemoSandboxOptions, concurrency: Int, snapshot: String?
  ) async throws -> PeopleData {
    if let snapshot {
      return try load(
        from: try await Snapshots.read(snapshot, sources: PeopleFetch.snapshotSources(), common))
    }
    return try await Context.with(common, demo: demo.options) { context in
      let progress = FanOutProgress()
      let loaded = try await load(context, concurrency: concurrency, progress: progress.update)
      progress.finish()
      return loaded
    }
  }

  /// The same within `context` (the TUI's live loader), `progress` as in `PeopleLoader`.
  static func load(
    _ context: Context, concurrency: Int = FanOut.defaultConcurrency,
    progress: @escaping PeopleLoader.Progress
  ) async throws -> PeopleData {
    let users = try context.client(for: TwilioUsersProvider.sourceID)
    let rolesClient = try context.client(for: try ProviderRegistry.policySource())
    let accountsClient = try context.client(for: TwilioUsersProvider.accountsSource)
    async let directory = PeopleDirectory.load(
      users: users, concurrency: concurrency, progress: progress)
    async let roles = all(rolesClient) { rolesClient.provider.policy(of: $0) }
    async let accounts = all(accountsClient) { ($0.id, $0.name) }
    return PeopleData(
      directory: try await directory, roles: try await roles,
      accounts: Dictionary(try await accounts, uniquingKeysWith: { first, _ in first }))
  }

  /// The sources a snapshot must be read with for `load(from:)`.
  static func snapshotSources() throws -> Set<SourceID> {
    [
      TwilioUsersProvider.sourceID, try ProviderRegistry.policySource(),
      TwilioUsersProvider.accountsSource,
    ]
  }

  /// The people of a snapshot read with `snapshotSources()` (the offline TUI's loader too);
  /// a file without assignments says to take a new one.
  static func load(from file: Snapshot) throws -> PeopleData {
    let policySource = try ProviderRegistry.policySource()
    return PeopleData(
      directory: try file.requirePeopleDirectory(), roles: try file.rolePolicies(policySource),
      accounts: file.accountNames)
  }

  private static func all<T: Sendable>(
    _ client: SourceClient, _ transform: @escaping @Sendable (Record) -> T?
  ) async throws -> [T] {
    var out: [T] = []
    for try await page in client.pages(query: Query()) { out += page.records.compactMap(transform) }
    return out
  }

  /// The account a `--account` names: a sid, or a friendly name (ASCII case ignored).
  static func account(_ key: String, in names: [String: String]) throws -> String {
    if names[key] != nil || key.hasPrefix("AC") && key.count == 34 { return key }
    let lower = key.lowercased()
    let matches = names.filter { $0.value.lowercased() == lower }.map(\.key).sorted()
    if matches.count == 1 { return matches[0] }
    if matches.isEmpty {
      let closest = Suggestions.closest(to: key, among: Array(names.values))
      let hint = closest.isEmpty ? "" : "; did you mean \(Suggestions.quotedList(closest))?"
      throw OrgScopeError.usage("no account \(Suggestions.quotedList([key]))\(hint)")
    }
    throw OrgScopeError.usage(
      "\(Suggestions.quotedList([key])) names \(matches.count) accounts: "
        + matches.joined(separator: ", ") + "; give a sid")
  }
}

/// "assignments 80 of 150 users" on one rewritten stderr line, when stderr is a terminal.
final class FanOutProgress: Sendable {
  let isShown = isatty(STDERR_FILENO) == 1
  private let last = Mutex<(drawn: Date, text: String)>((.distantPast, ""))

  func update(_ done: Int, _ total: Int) {
    guard isShown else { return }
    let text = "assignments \(done.formatted) of \(total.formatted) users"
    let draw = last.withLock { last -> Bool in
      last.text = text
      guard Date().timeIntervalSince(last.drawn) > 0.1 || done == total else { return false }
      last.drawn = Date()
      return true
    }
    if draw { FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8)) }
  }

  func finish() {
    guard isShown, !last.withLock({ $0.text.isEmpty }) else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}

/// `orgscope who-can Q`: the people whose assigned roles reach Q.
struct WhoCan: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "who-can",
    abstract:
      "The people whose assigned roles reach QUERY (all of it or some), through which roles and where.",
    discussion: examples(
      "orgscope who-can '/twilio/*/delete'",
      "orgscope who-can '/twilio/*/delete' --account \"Acme Berlin\" --format json"))

  @Argument(
    help: """
      A permission or pattern, as for 'roles grants': /twilio/*/delete ('*' is any run of \
      characters, '/' included; case is ignored).
      """)
  var query: String

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Only the roles that apply in this account (sid or friendly name).", valueName: "account"))
  var account: String?

  @Option(parsing: .unconditional, help: "Output format.")
  var format: OutputFormat = .table

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Users whose assignments are fetched at once.", valueName: "n"),
    transform: Number.whole)
  var concurrency = FanOut.defaultConcurrency

  @OptionGroup var snapshot: SnapshotOption

  @OptionGroup var common: CommonOptions

  @OptionGroup var demoSandbox: DemoSandboxOptions

  func validate() throws {
    _ = try glob()
    guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
  }

  func glob() throws -> Glob {
    do {
      return try Glob(query: query)
    } catch {
      throw ValidationError(error.description)
    }
  }

  func run() async throws {
    let glob = try glob()
    let loaded = try await PeopleFetch.load(
      common, demo: demoSandbox, concurrency: concurrency,
      snapshot: try await snapshot.resolved(common))
    let scope = try account.map { try PeopleFetch.account($0, in: loaded.accounts) }
    let result = PeopleAudit.whoCan(
      glob, people: loaded.directory, roles: loaded.roles, account: scope,
      scopeNames: loaded.accounts)
    Roles.emit(
      format, json: { PeopleReport.json(result) }, ndjson: { PeopleReport.ndjson(result) },
      csv: { PeopleReport.csv(result) },
      table: { PeopleReport.text(result, width: Roles.tableWidth) })
    if format != .table {
      for note in [result.unlistedNote, result.missingRolesNote].compactMap({ $0 }) {
        Console.errorLine(note)
      }
    }
  }
}

/// `orgscope users show USER`.
struct Users: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "users", abstract: "The people of the organization and their role assignments.",
    discussion: examples("orgscope users show ana.silva7@example.com"),
    subcommands: [Show.self])

  func run() throws {
    throw ValidationError("a command is needed: one of show")
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "A user's role assignments by scope, and what each role allows and denies.",
      discussion: examples(
        "orgscope users show ana.silva7@example.com", "orgscope users show US… --format json"))

    @Argument(
      help: "The user: sid (US…), user name or e-mail address.", completion: Completions.user)
    var user: String

    @Option(parsing: .unconditional, help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var snapshot: SnapshotOption

    @OptionGroup var common: CommonOptions

    @OptionGroup var demoSandbox: DemoSandboxOptions

    func validate() throws {
      guard format == .table || format == .json else {
        throw ValidationError("users show writes a table or json")
      }
    }

    func run() async throws {
      let loaded = try await PeopleFetch.load(
        common, demo: demoSandbox, concurrency: FanOut.defaultConcurrency,
        snapshot: try await snapshot.resolved(common))
      let person = try loaded.directory.person(user)
      let profile = PeopleAudit.profile(
        of: person, people: loaded.directory, roles: loaded.roles, scopeNames: loaded.accounts)
      Roles.emit(
        format, json: { PeopleReport.json(profile) }, ndjson: { [PeopleReport.json(profile)] },
        csv: { "" }, table: { PeopleReport.text(profile, width: Roles.tableWidth) })
    }
  }
}
