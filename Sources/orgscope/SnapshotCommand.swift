import ArgumentParser
import CrashGuard
import Dispatch
import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeSnapshot
import Synchronization

/// `orgscope snapshot …`: every source saved to one SQLite file, two dates compared, the
/// snapshots of the data folder listed.
struct Snapshots: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snapshot",
    abstract: "Save every source to one SQLite file; compare two snapshots; list them.",
    discussion: examples(
      "orgscope snapshot -o q4.db", "orgscope snapshot diff latest   # against live",
      "orgscope snapshot list"),
    subcommands: [Take.self, Diff.self, List.self], defaultSubcommand: Take.self)

  /// Reads a snapshot file, with its errors as the command line reports them. Its records
  /// per source are bounded by the same cap as a live list (`max_records`,
  /// `ORGSCOPE_MAX_RECORDS`; a config file that cannot be read leaves the default).
  static func read(_ path: String, sources: Set<SourceID>? = nil, _ common: CommonOptions)
    async throws -> Snapshot
  {
    let configuration = try? Configuration.load(
      environment: ProcessInfo.processInfo.environment, profile: common.profile,
      configPath: common.configPath)
    let limits = SnapshotReader.Limits(
      maxRecordsPerSource: configuration?.recordCap ?? PagingEngine.defaultRecordCap)
    do {
      return try await SnapshotReader.read(path: path, sources: sources, limits: limits)
    } catch let error as SnapshotError {
      throw error.orgScopeError
    }
  }

  /// The offline client of `source` in the snapshot at `path` (only that source is read).
  static func client(_ path: String, for source: SourceID, _ common: CommonOptions)
    async throws -> SourceClient
  {
    let snapshot = try await read(path, sources: [source], common)
    if let absence = snapshot.absence(of: source) {
      throw OrgScopeError.usage("\(source.rawValue): \(absence)")
    }
    guard
      let client = SnapshotSources.setups(snapshot).first(where: { $0.source == source })?.client
    else { throw OrgScopeError.usage("\(source.rawValue): not in this snapshot") }
    return client
  }

  /// `orgscope snapshot [SOURCE...] [-o FILE] [--force]`.
  struct Take: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "take",
      abstract: "Fetch every configured source (or those named) to the end and save them.",
      discussion: """
        Writes one SQLite file (tables records, permissions, assignments, snapshot; see the \
        README), by default $XDG_DATA_HOME/orgscope/snapshots/PROFILE-YYYYMMDDTHHMMSSZ.db, \
        mode 0600.
        """ + "\n\n"
          + examples("orgscope snapshot", "orgscope snapshot cloudflare huawei -o q4.db --force"))

    @Argument(help: ArgumentHelp("Sources to save (default: all configured).", valueName: "source"))
    var sources: [SourceName] = []

    @OptionGroup var common: CommonOptions

    @OptionGroup var options: TakeOptions

    @OptionGroup var demoSandbox: DemoSandboxOptions

    func run() async throws {
      var wanted: [SourceID] = []
      for source in sources.map(\.id) where !wanted.contains(source) { wanted.append(source) }
      let started = Date()
      try await Context.with(common, demo: demoSandbox.options) { context in
        try await take(context, wanted: wanted, started: started)
      }
    }

    private func take(_ context: Context, wanted: [SourceID], started: Date) async throws {
      let meta: [String: String] = [
        SnapshotSchema.Key.takenAt: SnapshotTaking.timestamp(started),
        SnapshotSchema.Key.version: OrgScope.version,
        SnapshotSchema.Key.profile: common.profileName,
        SnapshotSchema.Key.schemaVersion: String(SnapshotSchema.version),
      ]
      let path =
        options.output
        ?? SnapshotTaking.defaultPath(
          profile: meta[SnapshotSchema.Key.profile] ?? "default", date: started,
          environment: context.environment)
      // Ready before the temporary file exists, so no Ctrl-C can leave it behind.
      let interrupt = Interruption()
      defer { interrupt.cancel() }
      let shown = Progress()
      let transport = context.transport
      let taken = try await SnapshotTaking.take(
        setups: context.sources, wanted: wanted, meta: meta, path: path, replace: options.force,
        redact: { transport.redact($0) }, created: { interrupt.remove($0) },
        progress: { sources in
          shown.start(sources)
          guard shown.isShown else { return nil }
          return { @Sendable source, count in shown.update(source, count) }
        }, assignmentsProgress: { shown.assignments($0, $1) })
      shown.finish()
      for error in taken.errors { Console.errorLine(error) }
      var out = OutputBuffer()
      out.write(taken.path + "\n")
      out.flush()
      if taken.failed { throw ExitCode(1) }
    }
  }

  /// `orgscope snapshot diff OLD NEW|live`.
  struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "diff",
      abstract: "What was added, removed and changed between two snapshots (or one and now).",
      discussion: examples(
        "orgscope snapshot diff q3.db q4.db", "orgscope snapshot diff latest   # and live",
        "orgscope snapshot diff q4.db live --format json"))

    enum Format: String, CaseIterable, ExpressibleByArgument {
      case table
      case json
      case csv
    }

    @Argument(
      help: "The earlier snapshot: a file, or latest (the profile's newest).",
      completion: Completions.diffSide)
    var old: String

    @Argument(
      help: "The later snapshot: a file, latest, or live (fetched now).",
      completion: Completions.diffSide)
    var new: String = SnapshotName.live

    @OptionGroup var common: CommonOptions

    @Option(parsing: .unconditional, help: "Output format.")
    var format: Format = .table

    @Option(
      name: .customLong("who-can"), parsing: .unconditional,
      help: ArgumentHelp(
        "Who gained and who lost QUERY (a permission or pattern, as for who-can) between the two.",
        valueName: "query"))
    var whoCan: String?

    @OptionGroup var demoSandbox: DemoSandboxOptions

    func validate() throws {
      _ = try glob()
    }

    func glob() throws -> Glob? {
      guard let whoCan else { return nil }
      do {
        return try Glob(query: whoCan)
      } catch {
        throw ValidationError(error.description)
      }
    }

    func run() async throws {
      let before = try await Snapshots.read(try await SnapshotName.path(old, common), common)
      var failed = false
      let after: Snapshot
      if new == SnapshotName.live {
        (after, failed) = try await live()
      } else {
        after = try await Snapshots.read(try await SnapshotName.path(new, common), common)
      }
      if let warning = before.laterThan(after) { Console.errorLine(warning) }
      var out = OutputBuffer()
      if let glob = try glob() {
        let diff = try WhoCanDiff(
          glob, old: before, new: after, policySource: try ProviderRegistry.policySource())
        switch format {
        case .table: out.write(diff.table(unicode: Console.isUTF8))
        case .json: out.write(JSONWriter.pretty(diff.json) + "\n")
        case .csv: out.write(diff.csv)
        }
      } else {
        let diff = SnapshotDiff(old: before, new: after)
        switch format {
        case .table: out.write(diff.table(unicode: Console.isUTF8))
        case .json: out.write(JSONWriter.pretty(diff.json) + "\n")
        case .csv: out.write(diff.csv)
        }
      }
      out.flush()
      if failed { throw ExitCode(1) }
    }

    /// Every configured source fetched now, kept in memory.
    private func live() async throws -> (Snapshot, Bool) {
      let started = Date()
      return try await Context.with(common, demo: demoSandbox.options) { context in
        let clients = context.sources.compactMap(\.client)
        let store = MemorySink()
        let fetched = await SnapshotTaking.fetch(
          clients, sink: { source, records in store.add(source, records) },
          assignments: { store.add($0) })
        var meta: [String: String] = [
          SnapshotSchema.Key.takenAt: SnapshotTaking.timestamp(started),
          SnapshotSchema.Key.version: OrgScope.version,
          SnapshotSchema.Key.profile: common.profileName,
        ]
        var records: [SourceID: [Record]] = [:]
        var failed = false
        var assignments: [RoleAssignment]?
        switch fetched.assignments {
        case .success?: assignments = store.assignments
        case .failure(let failure)?:
          let message = context.transport.redact("role assignments: " + failure.message)
          meta[SnapshotSchema.Key.error(SnapshotSchema.Key.assignments)] = message
          assignments = []
          Console.errorLine(message)
          failed = true
        case nil: break
        }
        if let total = fetched.totalUsers {
          meta[SnapshotSchema.Key.total(TwilioUsersProvider.sourceID.rawValue)] = String(total)
        }
        for (source, outcome) in fetched.outcomes {
          switch outcome {
          case .success(let count):
            meta[SnapshotSchema.Key.count(source.rawValue)] = String(count)
            records[source] = store.records(source)
          case .failure(let failure):
            let message = context.transport.redact(failure.message)
            meta[SnapshotSchema.Key.error(source.rawValue)] = message
            Console.errorLine(message)
            failed = true
          }
        }
        return (
          Snapshot(path: "live", meta: meta, records: records, assignments: assignments), failed
        )
      }
    }
  }

  /// `orgscope snapshot list`.
  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "The snapshots in the data folder: time, profile and counts.",
      discussion: examples("orgscope snapshot list", "orgscope snapshot list --format json"))

    enum Format: String, CaseIterable, ExpressibleByArgument {
      case table
      case json
    }

    @OptionGroup var common: CommonOptions

    @Option(parsing: .unconditional, help: "Output format.")
    var format: Format = .table

    func run() async throws {
      let folder = SnapshotTaking.folder(environment: ProcessInfo.processInfo.environment)
      let listing = await SnapshotFolder.list(folder)
      var out = OutputBuffer()
      defer { out.flush() }
      switch format {
      case .json: out.write(JSONWriter.pretty(listing.json) + "\n")
      case .table:
        if listing.entries.isEmpty && listing.partials.isEmpty {
          Console.errorLine("no snapshots in \(folder) (orgscope snapshot takes one)")
          return
        }
        out.write(listing.table)
      }
    }
  }
}

/// `snapshot take`'s options, which `snapshot` offers too (`take` is its default command).
struct TakeOptions: ParsableArguments {
  @Option(
    name: .shortAndLong, parsing: .unconditional,
    help: ArgumentHelp("The snapshot file (default in the data folder).", valueName: "file"),
    completion: .file())
  var output: String?

  @Flag(help: "Replace the file if it exists.")
  var force = false
}

/// `--snapshot FILE` of `list` and `roles`.
struct SnapshotOption: ParsableArguments {
  @Option(
    name: .customLong("snapshot"), parsing: .unconditional,
    help: ArgumentHelp(
      "Answer from this snapshot file (or latest): no credentials, no network.",
      valueName: "file"),
    completion: .file())
  var path: String?
}

/// Records fetched for `snapshot diff … live`, per source.
final class MemorySink: Sendable {
  private let bySource = Mutex<[SourceID: [Record]]>([:])

  func add(_ source: SourceID, _ records: [Record]) {
    bySource.withLock { $0[source, default: []] += records }
  }

  func records(_ source: SourceID) -> [Record] { bySource.withLock { $0[source] ?? [] } }

  private let fetchedAssignments = Mutex<[RoleAssignment]>([])

  func add(_ assignments: [RoleAssignment]) { fetchedAssignments.withLock { $0 += assignments } }

  var assignments: [RoleAssignment] { fetchedAssignments.withLock { $0 } }
}

/// Deletes the unfinished snapshot when the run is interrupted (Ctrl-C, SIGTERM, SIGHUP),
/// then ends the process as the signal would have: no partial file is left behind.
final class Interruption: Sendable {
  /// Set once, in `init`; only read afterwards.
  nonisolated(unsafe) private var sources: [DispatchSourceSignal] = []
  private let path = Mutex<String?>(nil)

  /// The file to delete on a signal, from the moment it exists.
  func remove(_ path: String) {
    self.path.withLock { $0 = path }
    // A crash (a library's precondition) deletes it too: the crash guard's C handler.
    orgscope_crash_guard_unlink(path)
  }

  init() {
    for number in [SIGINT, SIGTERM, SIGHUP] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [self] in
        if let path = path.withLock({ $0 }) { unlink(path) }
        // After the progress line, not on it.
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\n".utf8)) }
        Console.errorLine("interrupted; no snapshot written")
        _exit(128 + number)
      }
      source.resume()
      sources.append(source)
    }
  }

  func cancel() {
    orgscope_crash_guard_unlink(nil)
    for source in sources { source.cancel() }
    for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_DFL) }
  }
}

/// Per-source counts on one rewritten stderr line, when stderr is a terminal, with the
/// people's role assignments as they come (`twilio-users 150 (assignments 80 of 150)`).
final class Progress: Sendable {
  let isShown = isatty(STDERR_FILENO) == 1
  private struct State {
    var counts: [(SourceID, Int)] = []
    var assignments: (done: Int, users: Int)?
    var lastDrawn = Date.distantPast
  }
  private let state = Mutex(State())

  /// The sources being fetched, in the order shown.
  func start(_ sources: [SourceID]) { state.withLock { $0.counts = sources.map { ($0, 0) } } }

  func update(_ source: SourceID, _ count: Int) {
    redraw { state in
      if let index = state.counts.firstIndex(where: { $0.0 == source }) {
        state.counts[index].1 = count
      }
    }
  }

  func assignments(_ done: Int, _ users: Int) {
    redraw { $0.assignments = (done, users) }
  }

  private func redraw(_ change: (inout State) -> Void) {
    guard isShown else { return }
    let line: String? = state.withLock { state in
      change(&state)
      guard Date().timeIntervalSince(state.lastDrawn) > 0.1 else { return nil }
      state.lastDrawn = Date()
      return Self.text(state)
    }
    if let line { write("\r\u{1B}[K" + line) }
  }

  func finish() {
    guard isShown else { return }
    write("\r\u{1B}[K" + state.withLock { Self.text($0) } + "\n")
  }

  private static func text(_ state: State) -> String {
    "snapshot: "
      + state.counts.map { source, count in
        var text = "\(source.rawValue) \(count.formatted)"
        if source == TwilioUsersProvider.sourceID, let (done, users) = state.assignments {
          text += " (assignments \(done.formatted) of \(users.formatted))"
        }
        return text
      }.joined(separator: ", ")
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
