import OrgScopeCore
import OrgScopeSandbox

/// `audit`: the role audit over `--roles N` sandbox roles once loaded: a wildcard
/// `roles grants` (on a fresh index, as the command line runs it, and on a warm one, as the
/// TUI's "who can" runs it while typing) and the whole `roles matrix`.
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
    do {
      let source = try ProviderRegistry.policySource()
      let client = try BenchClients.make(
        source, environment: sandbox.environment, transport: transport)
      for try await page in client.pages(query: Query(pageSize: 1000)) {
        roles += page.records.compactMap(client.provider.policy(of:))
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
  }
}
