import OrgScopeCore
import Synchronization

/// The roles' compiled policies, with where each role is in the listing it was built from.
struct WhoCanIndex: Sendable {
  var policies: PolicyIndex
  /// Record position of each role id.
  var positions: [String: Int]
  /// The listing and the rows (nil: every record) it was built from.
  var generation: Int
  var rows: [Int]?
}

/// A "who can" query to answer, with what it is answered over: the heavy work (compiling
/// 10,000 policies, deciding coverage exactly) as a value the runtime runs off the UI
/// thread. `update` makes it and takes its `WhoCanResult` back as a message.
public struct WhoCanJob: Sendable, Hashable {
  public let tab: Int
  /// Its number on the tab: an answer is taken only while this is the job being computed.
  public let number: Int
  /// The listing it answers over.
  public let generation: Int
  public let query: String
  /// The tab's source: its provider reads the records' policies.
  public let source: SourceID
  let records: [Record]
  /// The records a local search or filter keeps (nil: every one).
  let rows: [Int]?
  /// The index of an earlier query over the same rows, reused.
  let index: IndexHandOver
  /// By person (the users tab): everyone's assignments and the roles; the records are the
  /// users.
  let people: PeopleData?

  init(
    tab: Int, number: Int, generation: Int, query: String, source: SourceID, records: [Record],
    rows: [Int]?, index: WhoCanIndex?, people: PeopleData? = nil
  ) {
    self.people = people
    self.tab = tab
    self.source = source
    self.number = number
    self.generation = generation
    self.query = query
    self.records = records
    self.rows = rows
    self.index = IndexHandOver(index)
  }

  /// The index of an earlier query travels with this job.
  public var reusesIndex: Bool { index.holds }

  /// Jobs are told apart by what identifies them, not by the roles they carry.
  public static func == (a: WhoCanJob, b: WhoCanJob) -> Bool {
    (a.tab, a.number, a.generation, a.query) == (b.tab, b.number, b.generation, b.query)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(tab)
    hasher.combine(number)
    hasher.combine(generation)
    hasher.combine(query)
  }

  /// Compiles the policies (unless an index came along) and answers the query.
  public func run() -> WhoCanResult {
    if let people { return runByPerson(people) }
    var built: WhoCanIndex
    if let taken = index.take() {
      built = taken
    } else {
      let provider = source.descriptor.offlineProvider()
      var policies: [RolePolicy] = []
      var positions: [String: Int] = [:]
      for position in rows ?? Array(records.indices) where records.indices.contains(position) {
        guard let policy = provider.policy(of: records[position]) else { continue }
        policies.append(policy)
        positions[policy.id] = position
      }
      built = WhoCanIndex(
        policies: PolicyIndex(policies), positions: positions, generation: generation, rows: rows)
    }
    guard let glob = try? Glob(query: query) else {
      return WhoCanResult(job: self, index: built, answer: nil)
    }
    // In place, and held nowhere else (see `IndexHandOver`): the index learns as it answers.
    let result = RoleAudit.grants(glob, in: &built.policies)
    func row(_ grant: RoleAudit.RoleGrant) -> WhoCan.Row? {
      built.positions[grant.role.id].map {
        WhoCan.Row(record: $0, coverage: grant.coverage, allow: grant.allow, deny: grant.deny)
      }
    }
    // Roles too complex to decide are listed last, said so (never guessed).
    let undecided = result.undecided.compactMap { role in
      built.positions[role.role.id].map {
        WhoCan.Row(record: $0, coverage: .undecided, allow: [], deny: [])
      }
    }
    let answer = WhoCan.Answer(
      query: query, generation: generation,
      rows: result.granted.compactMap(row) + result.overridden.compactMap(row) + undecided,
      summary: result.summary, result: result, hint: result.bareWordHint)
    return WhoCanResult(job: self, index: built, answer: answer)
  }
}

extension WhoCanJob {
  /// Who can, by person: `PeopleAudit.whoCan` over the users' assignments, each user a row
  /// of the users listing (those the local search keeps).
  func runByPerson(_ people: PeopleData) -> WhoCanResult {
    let empty = WhoCanIndex(
      policies: PolicyIndex([]), positions: [:], generation: generation, rows: rows)
    guard let glob = try? Glob(query: query) else {
      return WhoCanResult(job: self, index: empty, answer: nil)
    }
    let result = PeopleAudit.whoCan(
      glob, people: people.directory, roles: people.roles, scopeNames: people.accounts)
    var positions: [String: Int] = [:]
    for position in rows ?? Array(records.indices) where records.indices.contains(position) {
      positions[records[position].id] = position
    }
    let rows = (result.users + result.overridden + result.undecided).compactMap { answer in
      positions[answer.person.sid].map {
        WhoCan.Row(
          record: $0, coverage: answer.coverage, allow: [], deny: [],
          contested: answer.isContested)
      }
    }
    let answer = WhoCan.Answer(
      query: query, generation: generation, rows: rows, summary: Self.summary(result),
      result: nil, people: result)
    return WhoCanResult(job: self, index: empty, answer: answer)
  }

  /// For the status line: "35 can do all of it, 0 some, 13 held back", then what else the
  /// answer must say (contested, undecided, roles that do not exist, a list not whole).
  static func summary(_ result: PeopleAudit.Result) -> String {
    var text =
      "\(result.allCount.formatted) can do all of it, \(result.someCount.formatted) some, "
      + "\(result.overridden.count.formatted) held back"
    if result.contestedCount > 0 { text += ", \(result.contestedCount.formatted) contested (!)" }
    if !result.undecided.isEmpty {
      text += ", \(result.undecided.count.formatted) too complex to decide"
    }
    for note in [result.missingRolesNote, result.unlistedNote].compactMap({ $0 }) {
      text += " · " + note
    }
    return text
  }
}

/// What a `WhoCanJob` found, and the index it leaves for the next query.
public struct WhoCanResult: Sendable {
  public let tab: Int
  public let number: Int
  public let generation: Int
  public let query: String
  let rows: [Int]?
  let index: WhoCanIndex
  public let answer: WhoCan.Answer?

  init(job: WhoCanJob, index: WhoCanIndex, answer: WhoCan.Answer?) {
    tab = job.tab
    number = job.number
    generation = job.generation
    query = job.query
    rows = job.rows
    self.index = index
    self.answer = answer
  }
}

/// Gives a job's index to the one run that takes it. The job value is also held by the
/// command list that carried it; an index reached through it would not be uniquely held,
/// and its first change would copy it whole (measured: a copy of a warm 10,000-role index
/// is most of a warm query's time). A run that finds it taken builds one.
final class IndexHandOver: Sendable {
  private let index: Mutex<WhoCanIndex?>

  init(_ index: WhoCanIndex?) { self.index = Mutex(index) }

  var holds: Bool { index.withLock { $0 != nil } }

  func take() -> WhoCanIndex? {
    index.withLock { held in
      let taken = held
      held = nil
      return taken
    }
  }
}
