import OrgScopeCore
import OrgScopeSandbox
import OrgScopeTUI
import Synchronization

/// `audit`: the role audit over `--roles N` sandbox roles once loaded: a wildcard
/// `roles grants` (on a fresh index, as the command line runs it, and on a warm one, as the
/// TUI's "who can" runs it while typing), the whole `roles matrix`, and the TUI's keystrokes
/// while a "who can" query is computed on another thread.
enum AuditBench {
  static let queries = [
    "/twilio/*/delete", "*account*", "/twilio/iam/*", "/twilio/billing/invoices/read",
    "*/users/*",
  ]

  static func run(_ options: Options) async throws {
    let count = try options.int("roles", default: 10_000)
    let rounds = max(1, try options.int("rounds", default: 5))
    let sandbox = try await Sandbox.start(SandboxOptions(accounts: 1, roles: count))
    let transport = HTTPClientTransport()
    var roles: [RolePolicy] = []
    var pages: [Page] = []
    let client: SourceClient
    do {
      let source = try ProviderRegistry.policySource()
      client = try BenchClients.make(
        source, environment: sandbox.environment, transport: transport)
      for try await page in client.pages(query: Query(pageSize: 1000)) {
        roles += page.records.compactMap(client.provider.policy(of:))
        pages.append(page)
      }
    } catch {
      await transport.shutdown()
      await sandbox.stop()
      throw error
    }
    await transport.shutdown()
    await sandbox.stop()
    guard roles.count == count else { throw BenchError.failed("loaded \(roles.count) roles") }

    var build: [Double] = []
    for _ in 0..<rounds {
      let start = Measure.now()
      blackHole(PolicyIndex(roles))
      build.append(Measure.milliseconds(since: start))
    }
    try emit(["part": "index", "roles": count, "median_ms": Measure.median(build)])

    for query in queries {
      var cold: [Double] = []
      var warm: [Double] = []
      var answer: RoleAudit.GrantsResult?
      for _ in 0..<rounds {
        let start = Measure.now()
        var index = PolicyIndex(roles)
        answer = RoleAudit.grants(Glob(query), in: &index)
        cold.append(Measure.milliseconds(since: start))
        let again = Measure.now()
        blackHole(RoleAudit.grants(Glob(query), in: &index))
        warm.append(Measure.milliseconds(since: again))
      }
      try emit([
        "part": "grants", "query": query, "roles": count, "median_ms": Measure.median(cold),
        "warm_median_ms": Measure.median(warm), "all": answer?.allCount ?? 0,
        "some": answer?.someCount ?? 0,
        "overridden": answer?.overridden.count ?? 0,
      ])
    }

    var matrix: [Double] = []
    var shape = (rows: 0, cells: 0)
    for _ in 0..<max(1, rounds / 2) {
      let start = Measure.now()
      var index = PolicyIndex(roles)
      let result = RoleAudit.matrix(&index)
      matrix.append(Measure.milliseconds(since: start))
      shape = (result.rows.count, result.rows.count * result.roles.count)
    }
    try emit([
      "part": "matrix", "roles": count, "rows": shape.rows, "cells": shape.cells,
      "median_ms": Measure.median(matrix),
    ])

    try await keysWhileAnswering(client: client, pages: pages, roles: count, rounds: rounds)
  }

  /// The TUI's "who can" as the runtime runs it: the roles loaded into the state through
  /// `update` (the pages already fetched answer its fetch commands, in order), the query
  /// typed, and its job run on another thread while this one keeps pressing `j`/`k` (update
  /// and render, as the runtime does per key). Reports the longest of those keystrokes and
  /// how long the job took (the first builds the index; later ones reuse it), and the same
  /// keys pressed again with nothing computing, to tell the job's cost from the machine's.
  private static func keysWhileAnswering(
    client: SourceClient, pages: [Page], roles: Int, rounds: Int
  ) async throws {
    var state = AppState(sources: [.ready(client)], width: 80, height: 24)
    var served = 0
    func drive(_ commands: [Command]) -> WhoCanJob? {
      var pending = commands
      while !pending.isEmpty {
        let command = pending.removeFirst()
        if case .whoCan(let job) = command { return job }
        guard case .fetch(let request) = command, served < pages.count else { continue }
        let page = pages[served]
        served += 1
        pending += App.update(
          &state,
          .pageLoaded(
            tab: request.tab, generation: request.generation, cursor: request.cursor, page: page))
      }
      return nil
    }
    _ = drive(App.start(&state))
    _ = App.update(&state, .key(.character("p")))
    for round in 0..<max(2, rounds) {
      let query = queries[round % queries.count]
      _ = App.update(&state, .key(.ctrl("u")))
      var last: [Command] = []
      for character in query { last = App.update(&state, .key(.character(character))) }
      guard case .debounce(let tab, let token, _)? = last.first else {
        throw BenchError.failed("typing a query asked for no debounce")
      }
      let fired = Measure.now()
      let commands = App.update(&state, .debounceFired(tab: tab, token: token))
      let dispatchMilliseconds = Measure.milliseconds(since: fired)
      guard let job = drive(commands) else {
        throw BenchError.failed("the query asked for no job (\(served) pages served)")
      }
      let reused = job.reusesIndex
      let done = DoneFlag()
      let start = Measure.now()
      let task = Task.detached {
        let result = job.run()
        done.value.store(true, ordering: .releasing)
        return result
      }
      var keys: [Double] = []
      var down = true
      while !done.value.load(ordering: .acquiring) {
        let key = Measure.now()
        blackHole(App.update(&state, .key(down ? .down : .up)))
        blackHole(View.render(state))
        keys.append(Measure.milliseconds(since: key))
        down.toggle()
      }
      let result = await task.value
      let computeMilliseconds = Measure.milliseconds(since: start)
      _ = App.update(&state, .whoCanAnswered(result))
      guard state.tabs.first?.audit?.query == query else {
        throw BenchError.failed("the answer to \(query) was not taken")
      }
      // The same keys with nothing computing: what the machine gives a keystroke anyway.
      var idle: [Double] = []
      for _ in 0..<max(keys.count, 20) {
        let key = Measure.now()
        blackHole(App.update(&state, .key(down ? .down : .up)))
        blackHole(View.render(state))
        idle.append(Measure.milliseconds(since: key))
        down.toggle()
      }
      try emit([
        "part": "tui_who_can", "query": query, "roles": roles,
        "index": reused ? "warm" : "cold", "job_ms": computeMilliseconds,
        "dispatch_key_ms": dispatchMilliseconds, "keys_during": keys.count,
        "key_max_ms": keys.max() ?? -1, "key_p50_ms": Measure.median(keys),
        "idle_key_max_ms": idle.max() ?? -1, "idle_key_p50_ms": Measure.median(idle),
      ])
    }
  }
}

/// Set by the job's thread when it is done; read by the keystroke loop between keys.
private final class DoneFlag: Sendable {
  let value = Atomic<Bool>(false)
}
