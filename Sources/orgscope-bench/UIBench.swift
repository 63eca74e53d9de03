import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeTUI

/// `ui`: loads `--rows` records of one source into the TUI's state through the real
/// update loop and HTTP client, then times keystrokes (update + view, as the runtime does
/// per key), the local filter, and reads the resident memory.
///
/// With a sandbox's variables in the environment (what `scripts/bench.sh` does) it talks
/// to that server, so the memory figure is the UI's alone; without them it starts one in
/// process and says so.
enum UIBench {
  static func run(_ options: Options) async throws {
    let rows = try options.int("rows", default: 100_000)
    let rounds = try options.int("rounds", default: 20)
    let sourceName = options.string(
      "source", default: BenchClients.accountSources.first?.rawValue ?? "")
    guard let source = SourceID(rawValue: sourceName) else {
      throw BenchError.usage("unknown source '\(sourceName)'")
    }
    var environment = ProcessInfo.processInfo.environment
    var sandbox: RunningSandbox?
    if !BenchClients.configured(environment) {
      let started = try await Sandbox.start(SandboxOptions(accounts: rows, roles: 1))
      environment.merge(started.environment) { _, new in new }
      sandbox = started
    }
    let transport = HTTPClientTransport(environment: environment)
    do {
      let client = try BenchClients.make(source, environment: environment, transport: transport)
      try await measure(client: client, rows: rows, rounds: rounds, inProcess: sandbox != nil)
    } catch {
      await transport.shutdown()
      await sandbox?.stop()
      throw error
    }
    await transport.shutdown()
    await sandbox?.stop()
  }

  private static func measure(client: SourceClient, rows: Int, rounds: Int, inProcess: Bool)
    async throws
  {
    var state = AppState(sources: [.ready(client)], width: 80, height: 24)
    let loadStart = Measure.now()
    try await load(&state, client: client, rows: rows)
    let loadMilliseconds = Measure.milliseconds(since: loadStart)
    guard let loaded = state.tabs.first?.listing?.records.count, loaded >= rows else {
      throw BenchError.failed("loaded only \(state.tabs.first?.rowCount ?? 0) of \(rows) rows")
    }
    _ = App.update(&state, .key(.home))
    blackHole(View.render(state))
    let afterLoad = Measure.residentMemory()

    let navigation = navigationKeys(&state, rounds: rounds)
    let search = searchKeys(&state, rounds: rounds)
    let filter = try localFilter(state, rounds: rounds)
    let sort = sortKeys(&state, rounds: max(1, rounds / 4))
    let all = navigation + search.all
    let end = Measure.residentMemory()
    try emit([
      "rows": loaded, "source": client.source.rawValue, "in_process_sandbox": inProcess,
      "load_ms": loadMilliseconds,
      "key_samples": all.count,
      "key_p50_ms": Measure.percentile(all, 0.5), "key_p99_ms": Measure.percentile(all, 0.99),
      "nav_p50_ms": Measure.percentile(navigation, 0.5),
      "nav_p99_ms": Measure.percentile(navigation, 0.99),
      "search_p50_ms": Measure.percentile(search.all, 0.5),
      "search_p99_ms": Measure.percentile(search.all, 0.99),
      "search_first_key_median_ms": Measure.median(search.firstKeys),
      "filter_apply_median_ms": Measure.median(filter),
      "sort_key_median_ms": Measure.median(sort), "sort_key_max_ms": sort.max() ?? -1,
      "rss_loaded_mib": afterLoad?.rss ?? -1, "hwm_loaded_mib": afterLoad?.peak ?? -1,
      "rss_end_mib": end?.rss ?? -1, "hwm_end_mib": end?.peak ?? -1,
    ])
  }

  /// Runs the commands `update` asks for, as the runtime would, until `rows` are loaded:
  /// fetches answer with `.pageLoaded`; when nothing more is asked for, `End` moves the
  /// cursor to the loaded end, which makes the list fetch the next page.
  private static func load(_ state: inout AppState, client: SourceClient, rows: Int) async throws {
    var pending = App.start(&state)
    let deadline = Measure.now() + 600 * 1_000_000_000
    var steps = 0
    while steps < 4 * rows + 100, Measure.now() < deadline {
      steps += 1
      guard let progress = progress(state) else {
        throw BenchError.failed("the source has no listing")
      }
      if let error = progress.error { throw BenchError.failed(error) }
      if progress.records >= rows || (progress.exhausted && pending.isEmpty) { return }
      guard !pending.isEmpty else {
        pending = App.update(&state, .key(.end))
        if pending.isEmpty && state.tabs.first?.listing?.inFlight == nil {
          throw BenchError.failed("the list asked for no further page")
        }
        continue
      }
      let command = pending.removeFirst()
      guard case .fetch(let request) = command else { continue }
      do {
        let page = try await client.fetchPage(query: request.query, cursor: request.cursor)
        pending += App.update(
          &state,
          .pageLoaded(
            tab: request.tab, generation: request.generation, cursor: request.cursor, page: page))
      } catch {
        throw BenchError.failed("fetch failed: \(error)")
      }
    }
    throw BenchError.failed("loading did not finish within its bounds")
  }

  /// Scalars only: a copy of the listing held across `update` would make every page append
  /// copy all loaded records (copy on write), which is the bench's cost, not the UI's.
  private static func progress(_ state: AppState) -> (
    records: Int, exhausted: Bool, error: String?
  )? {
    guard let listing = state.tabs.first?.listing else { return nil }
    return (listing.records.count, listing.exhausted, listing.error)
  }

  /// One keystroke as the runtime handles it: update, then render the new frame.
  private static func time(_ state: inout AppState, _ key: Key) -> Double {
    let start = Measure.now()
    let commands = App.update(&state, .message(key))
    let buffer = View.render(state)
    let elapsed = Measure.milliseconds(since: start)
    blackHole(commands)
    blackHole(buffer)
    return elapsed
  }

  /// Moving in the list: down, page down, to the end, up, page up, home.
  private static func navigationKeys(_ state: inout AppState, rounds: Int) -> [Double] {
    var samples: [Double] = []
    for _ in 0..<max(1, rounds) {
      for _ in 0..<40 { samples.append(time(&state, .down)) }
      for _ in 0..<10 { samples.append(time(&state, .pageDown)) }
      samples.append(time(&state, .end))
      for _ in 0..<40 { samples.append(time(&state, .up)) }
      for _ in 0..<10 { samples.append(time(&state, .pageUp)) }
      samples.append(time(&state, .home))
    }
    return samples
  }

  /// Incremental search over the loaded records: `/`, a needle typed one key at a time
  /// (each key refines), then erased one key at a time (each key widens: a full rescan),
  /// then `Esc`. Needles are cut from real names so matches exist.
  private static func searchKeys(_ state: inout AppState, rounds: Int)
    -> (all: [Double], firstKeys: [Double])
  {
    guard let records = state.tabs.first?.listing?.records, !records.isEmpty else {
      return ([], [])
    }
    var all: [Double] = []
    var firstKeys: [Double] = []
    for round in 0..<max(1, rounds) {
      let record = records[(round * 7919) % records.count]
      let needle = String(record.name.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(5))
      guard !needle.isEmpty else { continue }
      all.append(time(&state, .character("/")))
      for (index, character) in needle.enumerated() {
        let elapsed = time(&state, .character(character))
        all.append(elapsed)
        if index == 0 { firstKeys.append(elapsed) }
      }
      for _ in needle { all.append(time(&state, .backspace)) }
      all.append(time(&state, .escape))
    }
    return (all, firstKeys)
  }

  /// `s` over every loaded row: each press sorts by the next column (the first press on a
  /// column also derives its sort keys), the last one goes back to the server's order.
  private static func sortKeys(_ state: inout AppState, rounds: Int) -> [Double] {
    let columns = state.tabs.first?.columns.count ?? 0
    var samples: [Double] = []
    for _ in 0..<max(1, rounds) {
      for _ in 0...columns { samples.append(time(&state, .character("s"))) }
    }
    return samples
  }

  /// `LocalFilter.apply` (what `orgscope list` uses) over every loaded record.
  private static func localFilter(_ state: AppState, rounds: Int) throws -> [Double] {
    guard let tab = state.tabs.first, let records = tab.listing?.records else { return [] }
    var samples: [Double] = []
    for round in 0..<max(1, rounds) {
      let name = records[(round * 104_729) % records.count].name.lowercased()
      let query = Query(search: String(name.filter { $0.isLetter }.prefix(3)))
      let start = Measure.now()
      let kept = LocalFilter.apply(records, query: query, capabilities: tab.capabilities)
      samples.append(Measure.milliseconds(since: start))
      blackHole(kept)
    }
    return samples
  }
}

extension Message {
  fileprivate static func message(_ key: Key) -> Message { .key(key) }
}
