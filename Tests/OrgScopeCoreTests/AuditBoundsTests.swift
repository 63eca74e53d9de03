import OrgScopeCore
import Testing

/// Issue 22, finding 1: hostile roles that made the audit exponential in time or quadratic
/// in memory. Each is answered or refused ("too complex to decide"), and the rest of the
/// audit goes on. The time limits only stop a hang (the trial's took minutes, or forever);
/// what each set costs is measured by `orgscope-bench hostile` (BENCHMARKS.md).
@Suite(.onWorkThreads) struct AuditBoundsTests {
  /// `allow /twilio/*y`, `deny *y` plus K entries `*<c_i>*y`: the product search has 2^K
  /// states (the trial: 32.7 s at K=18, killed after 180 s at 1 GB for K=22).
  static func exponential(_ k: Int) -> RolePolicy {
    let letters = Array("abcdefghijklmnopqrstuvwx")
    return RolePolicy(
      id: "IXexp", name: "Exponential", allow: ["/twilio/*y"],
      deny: ["*y"] + (0..<k).map { "*\(letters[$0])*y" })
  }

  static let plain = RolePolicy(id: "IXok", name: "Plain", allow: ["/twilio/*"], deny: [])

  @Test(.timeLimit(.minutes(10))) func anExponentialRoleIsTooComplexAndTheRestIsAnswered() {
    let result = RoleAudit.grants(Glob("/twilio/*"), in: [Self.exponential(22), Self.plain])
    #expect(result.undecided.map(\.role.id) == ["IXexp"])
    #expect(result.undecided.first?.reason.hasPrefix("too complex to decide (") == true)
    #expect(result.granted.map(\.role.id) == ["IXok"])
    #expect(result.summary.hasSuffix("1 is too complex to decide"), "\(result.summary)")
    let text = AuditReport.text(result, width: nil)
    #expect(text.contains("Too complex to decide (1)"), "\(text)")
    #expect(
      AuditReport.csv(result).contains(#"undecided,IXexp,Exponential,undecided,"too complex"#))
  }

  @Test(.timeLimit(.minutes(10))) func aSmallExponentialRoleIsStillDecided() {
    // Within the bounds the answer is exact: every string the role allows ends in y, and
    // its own `*y` denies it.
    let result = RoleAudit.grants(Glob("/twilio/*"), in: [Self.exponential(8), Self.plain])
    #expect(result.undecided.isEmpty)
    #expect(result.overridden.map(\.role.id) == ["IXexp"])
  }

  @Test(.timeLimit(.minutes(10))) func diffOfAnExponentialRoleEnds() {
    // Decided, and exactly: the role grants nothing (every string it allows, it denies),
    // so it is within any role.
    #expect(RoleAudit.diff(Self.exponential(22), Self.plain).relation == .aWithinB)
    // Against a role that needs the exponential search, it is too complex to decide.
    let diff = RoleAudit.diff(
      Self.plain, RolePolicy(id: "IXy", name: "Ys", allow: ["/twilio/*y"], deny: []))
    #expect(diff.relation == .bWithinA)
    let hard = RoleAudit.diff(Self.exponential(22), Self.exponential(21))
    #expect(hard.relation == .undecided)
    #expect(hard.verdict.contains("too complex to decide"), "\(hard.verdict)")
  }

  @Test(.timeLimit(.minutes(10))) func notesOfAnExponentialRoleEnd() {
    let notes = RoleAudit.notes(for: Self.exponential(22))
    #expect(notes.count == 24)
    // `deny *y` alone takes every string of `allow /twilio/*y`: decided exactly, though the
    // product of all 23 deny entries is too complex (it said "partly denied" before).
    #expect(notes.first?.entry == "/twilio/*y")
    #expect(notes.first?.fully == true)
    #expect(notes.allSatisfy { $0.tooComplex == nil })
  }

  /// The detail pane's notes say what is too complex to decide, never guess it: a pair of
  /// entries whose meeting is past the bound is neither "cuts" nor "cuts no allow entry".
  @Test(.timeLimit(.minutes(10))) func notesSayWhatIsTooComplexAndGuessNothing() throws {
    let stars = "/twilio/" + String(repeating: "*a", count: 500) + "x"
    let other = String(repeating: "*b", count: 500) + "y"
    let role = RolePolicy(id: "IXhard", name: "Hard", allow: [stars], deny: [other])
    let notes = RoleAudit.notes(for: role)
    let allow = try #require(notes.first { !$0.isDeny })
    let deny = try #require(notes.first { $0.isDeny })
    #expect(allow.others.isEmpty && allow.undecided == [other] && allow.fully == nil)
    #expect(deny.others.isEmpty && deny.undecided == [stars])
    let fields = JSONObject([
      "sid": .string("IXhard"), "friendly_name": .string("Hard"),
      "policy": .object(
        JSONObject(["allow": .array([.string(stars)]), "deny": .array([.string(other)])])),
    ])
    let lines = TwilioRolesProvider().details(
      of: Record(id: "IXhard", name: "Hard", fields: fields), notes: notes
    ).flatMap(\.lines).map(\.value)
    #expect(lines.contains("whether it is cut: too complex to decide for \(other)"))
    #expect(lines.contains("cuts no allow entry known; too complex to decide for \(stars)"))

    // A role past the entry bound: its notes say so in the Policy section.
    let many = RolePolicy(
      id: "IXmany", name: "Many", allow: (0...PolicyIndex.maxEntries).map { "/twilio/p\($0)/*" },
      deny: ["/twilio/p1/*"])
    let refused = RoleAudit.notes(for: many)
    #expect(
      refused.map(\.tooComplex) == ["too complex to decide (2,002 entries; the limit is 2,000)"])
  }

  @Test(.timeLimit(.minutes(10))) func aHugeEntryIsRefusedByItsLength() {
    // The trial: memory grew with m² (100,000 characters: 1.24 GB).
    let long = RolePolicy(
      id: "IXlong", name: "Long",
      allow: ["/twilio/" + String(repeating: "a", count: 100_000) + "*"],
      deny: [])
    let result = RoleAudit.grants(Glob("/twilio/*"), in: [long, Self.plain])
    #expect(result.undecided.map(\.role.id) == ["IXlong"])
    #expect(
      result.undecided.first?.reason
        == "too complex to decide (an entry of 100,009 characters; the limit is 1,024)")
    #expect(result.granted.map(\.role.id) == ["IXok"])
  }

  @Test(.timeLimit(.minutes(10))) func tooManyEntriesAreRefused() {
    let many = RolePolicy(
      id: "IXmany", name: "Many", allow: (0...PolicyIndex.maxEntries).map { "/twilio/p\($0)/*" },
      deny: [])
    let result = RoleAudit.grants(Glob("/twilio/p1/*"), in: [many])
    #expect(
      result.undecided.first?.reason == "too complex to decide (2,001 entries; the limit is 2,000)")
  }

  @Test(.timeLimit(.minutes(10))) func aMatrixOfFiftyRolesWithTwoThousandEntriesEach() {
    // The trial: 50 roles × 2,000 literal entries took `roles matrix` past 6 GB.
    let roles = (0..<50).map { r in
      RolePolicy(
        id: "IX\(r)", name: "Role \(r)",
        allow: (0..<(r == 0 ? 1_999 : 2_000)).map { "/twilio/r\(r)/e\($0)" },
        deny: r == 0 ? ["/twilio/r0/e1"] : [])
    }
    var index = PolicyIndex(roles)
    let matrix = RoleAudit.matrix(&index)
    #expect(matrix.rows.count == 99_999)
    let row = matrix.rows.first { $0.permission == "/twilio/r3/e7" }
    #expect(
      row?.cells.enumerated().allSatisfy { $0.element == ($0.offset == 3 ? .all : .none) } == true)
    #expect(matrix.rows.first { $0.permission == "/twilio/r0/e1" }?.cells.first == Coverage.none)
    #expect(!matrix.rows.contains { $0.cells.contains(.undecided) })
  }
}
