import OrgScopeCore

/// `hostile`: the role sets of issue 22's trial, each answered or refused ("too complex to
/// decide") by the bounded audit: how long each takes and the process's peak memory after
/// it. The trial's figures before the bounds: 32.7 s at K=18 and killed after 180 s at
/// 1 GB for K=22; 1.24 GB for a 100,000-character entry; past 6 GB for the 50 × 2,000
/// matrix.
enum HostileAuditBench {
  /// `allow /twilio/*y`, `deny *y` plus K entries `*<c_i>*y`.
  static func exponential(_ k: Int, id: String = "IXexp") -> RolePolicy {
    let letters = Array("abcdefghijklmnopqrstuvwx")
    return RolePolicy(
      id: id, name: "Exponential \(k)", allow: ["/twilio/*y"],
      deny: ["*y"] + (0..<k).map { "*\(letters[$0])*y" })
  }

  /// Ordinary roles beside the hostile one: the rest of the audit goes on.
  static let plain = (0..<99).map {
    RolePolicy(
      id: "IXplain\($0)", name: "Plain \($0)", allow: ["/twilio/group\($0 % 7)/*"],
      deny: $0 % 3 == 0 ? ["/twilio/group\($0 % 7)/*/delete"] : [])
  }

  static func run(_ options: Options) async throws {
    let rounds = max(1, try options.int("rounds", default: 3))
    func measure(_ name: String, _ body: () -> String) throws {
      var times: [Double] = []
      var outcome = ""
      for _ in 0..<rounds {
        let start = Measure.now()
        outcome = body()
        times.append(Measure.milliseconds(since: start))
      }
      let memory = Measure.residentMemory()
      try emit([
        "part": "hostile", "set": name, "median_ms": Measure.median(times),
        "max_ms": times.max() ?? 0, "peak_mib": memory?.peak ?? 0, "outcome": outcome,
      ])
    }
    for k in [12, 16, 18, 22] {
      try measure("grants over exponential K=\(k) + 99 roles") {
        let result = RoleAudit.grants(Glob("/twilio/*"), in: [exponential(k)] + plain)
        return result.summary
      }
    }
    try measure("notes of exponential K=22 (the TUI's detail pane)") {
      let notes = RoleAudit.notes(for: exponential(22))
      return "\(notes.count) notes, fully: \(notes.filter { $0.fully == true }.count)"
    }
    try measure("diff exponential K=22 and K=21") {
      RoleAudit.diff(exponential(22), exponential(21, id: "IXexp21")).verdict
    }
    for m in [100_000, 300_000] {
      try measure("grants with an entry of \(m) characters") {
        let long = RolePolicy(
          id: "IXlong", name: "Long",
          allow: ["/twilio/" + String(repeating: "a", count: m) + "*"], deny: [])
        return RoleAudit.grants(Glob("/twilio/*"), in: [long] + plain).summary
      }
    }
    try measure("matrix of 50 roles × 2,000 literal entries") {
      let roles = (0..<50).map { r in
        RolePolicy(
          id: "IX\(r)", name: "Role \(r)", allow: (0..<2_000).map { "/twilio/r\(r)/e\($0)" },
          deny: [])
      }
      var index = PolicyIndex(roles)
      let matrix = RoleAudit.matrix(&index)
      return
        "\(matrix.rows.count) rows, undecided cells: \(matrix.rows.reduce(0) { $0 + $1.cells.count { $0 == .undecided } })"
    }
  }
}
