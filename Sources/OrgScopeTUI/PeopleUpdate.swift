import OrgScopeCore

/// The users and their role assignments, as the TUI holds them: loaded once (by the
/// runtime's `PeopleLoader`, off the UI thread, cancellable), for the users tab's detail
/// pane, who can by person (`p` there) and the roles tab's "held by".
public struct PeopleState: Sendable {
  public enum Phase: Sendable, Hashable {
    case idle
    /// Users whose assignments are in, of how many (0 of 0 while the users are fetched).
    case loading(done: Int, total: Int)
    case loaded
    /// Esc stopped it.
    case stopped
    case failed(String)
  }

  public var phase = Phase.idle
  /// The number of the last load started: what an older one sends is dropped.
  public internal(set) var number = 0
  public internal(set) var data: PeopleData?
  /// Each user's assignments, by sid, and each role's holders: computed once at load.
  var byUser: [String: [RoleAssignment]] = [:]
  var holders: [String: PeopleData.Holders] = [:]
  var roles: [String: RolePolicy] = [:]

  /// Back to nothing loaded (the number goes on: what an older load sends is dropped).
  mutating func forget() {
    phase = .idle
    data = nil
    byUser = [:]
    holders = [:]
    roles = [:]
  }

  /// What the runtime answers when it has no loader (offline without assignments).
  public static let unavailable =
    "who can, by person, needs a live session or a snapshot with assignments"

  /// The state in words, while not loaded: for the status line and the detail panes.
  var progress: (text: String, slot: ThemeSlot)? {
    switch phase {
    case .loaded: return nil
    case .idle: return ("role assignments load with the users tab", .dim)
    case .loading(let done, let total):
      if total == 0 { return ("loading users…", .statusInfo) }
      return ("assignments \(done.formatted) of \(total.formatted) users…", .statusInfo)
    case .stopped: return ("stopped loading role assignments: p loads them again", .statusWarn)
    case .failed(let error): return (error, .statusError)
    }
  }
}

extension App {
  /// The users tab: its records are people, and `p` asks who can, by person.
  static func isPeopleTab(_ tab: SourceTab?) -> Bool {
    tab?.source == TwilioUsersProvider.sourceID && tab?.provider != nil
  }

  /// Starts loading the people unless they are loaded or loading; after Esc or a failure
  /// only when `again`.
  static func loadPeople(_ state: inout AppState, again: Bool) -> [Command] {
    switch state.people.phase {
    case .loading, .loaded: return []
    case .stopped, .failed: guard again else { return [] }
    case .idle: break
    }
    state.people.number += 1
    state.people.phase = .loading(done: 0, total: 0)
    return [.loadPeople(number: state.people.number)]
  }

  /// Esc while loading: the load is cancelled, and says so.
  static func stopPeople(_ state: inout AppState) -> [Command] {
    guard case .loading = state.people.phase else { return [] }
    state.people.phase = .stopped
    state.status = StatusMessage(
      level: .info, text: "stopped loading role assignments: p loads them again")
    return [.stopPeople(number: state.people.number)]
  }

  static func peopleProgress(_ state: inout AppState, number: Int, done: Int, total: Int) {
    guard number == state.people.number, case .loading = state.people.phase else { return }
    state.people.phase = .loading(done: done, total: total)
  }

  /// The people are in: kept with what the panes read, and every waiting query answered.
  static func peopleLoaded(_ state: inout AppState, number: Int, _ data: PeopleData) -> [Command] {
    guard number == state.people.number, case .loading = state.people.phase else { return [] }
    state.people.phase = .loaded
    state.people.data = data
    state.people.byUser = data.directory.assignmentsByUser
    state.people.holders = data.holders
    state.people.roles = Dictionary(data.roles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var commands: [Command] = []
    for index in state.tabs.indices where isPeopleTab(state.tabs[index]) {
      // `--since`: who holds other roles now than then.
      state.tabs[index].since?.compare(data)
      if state.tabs[index].whoCanWaits { commands += answerWhoCan(&state, index) }
    }
    return commands
  }

  static func peopleFailed(_ state: inout AppState, number: Int, error: String) {
    guard number == state.people.number, case .loading = state.people.phase else { return }
    state.people.phase = .failed(error)
  }
}

/// The detail panes' people sections.
extension DetailLayout {
  /// With a "who can" answer by person shown: the user's answer, which goes first.
  static func personAnswerSection(_ record: Record, in tab: SourceTab) -> DetailSection? {
    guard let audit = tab.audit?.people else { return nil }
    guard let answer = tab.audit?.person(record.id) else {
      return DetailSection(title: "Who can \(audit.query): none of it", lines: [])
    }
    return whoCanSection(answer, query: audit.query)
  }

  /// A user's role assignments by scope, each role by its name, with its coverage of the
  /// "who can" query shown.
  static func personSections(_ record: Record, in tab: SourceTab, people: PeopleState)
    -> [DetailSection]
  {
    guard let data = people.data else {
      let progress = people.progress ?? ("", .dim)
      return [
        DetailSection(
          title: "Role assignments",
          lines: [DetailLine(key: "", value: progress.text, style: .dim)])
      ]
    }
    var sections: [DetailSection] = []
    let audit = tab.audit?.people
    let person = Person(record: record)
    let profile = PeopleAudit.profile(
      of: person,
      people: PeopleDirectory(people: [person], assignments: people.byUser[record.id] ?? []),
      roles: people.byUser[record.id].map { held in held.compactMap { people.roles[$0.roleSID] } }
        ?? [],
      scopeNames: data.accounts)
    if profile.scopes.isEmpty {
      sections.append(
        DetailSection(
          title: "Role assignments",
          lines: [DetailLine(key: "", value: "no role assignment", style: .dim)]))
    }
    for scope in profile.scopes {
      let title =
        RoleAssignment.isOrganization(scope.scope)
        ? "In the organization (every account)" : "In \(scope.name) (\(scope.scope))"
      let lines = scope.roles.map { held -> DetailLine in
        guard let role = held.role else {
          return DetailLine(
            key: held.assignment.roleSID, value: "not in the roles list: grants nothing",
            style: .dim)
        }
        guard let audit else { return DetailLine(key: role.name, value: role.id) }
        guard let coverage = audit.roleCoverage[role.id] else {
          return DetailLine(key: role.name, value: "none of it", style: .dim)
        }
        switch coverage {
        case .all: return DetailLine(key: role.name, value: "all of it", style: .match)
        case .some: return DetailLine(key: role.name, value: "some of it", style: .match)
        case .none:
          return DetailLine(key: role.name, value: "held back by its own deny list", style: .dim)
        case .undecided:
          return DetailLine(key: role.name, value: "too complex to decide", style: .deny)
        }
      }
      sections.append(DetailSection(title: title, lines: lines))
    }
    return sections
  }

  /// "Who can Q: all of it", through which roles where, and what contests it.
  private static func whoCanSection(_ answer: PeopleAudit.Answer, query: String) -> DetailSection {
    let verdict: String
    switch answer.coverage {
    case .all: verdict = "all of it"
    case .some: verdict = "some of it"
    case .none: verdict = "held back by their roles' own deny lists"
    case .undecided: verdict = "too complex to decide"
    }
    var lines = answer.via.map {
      DetailLine(
        key: "via", value: "\($0.role) in \($0.scopeName)",
        style: answer.coverage == .none ? .dim : .match)
    }
    for contest in answer.contestedBy {
      lines.append(
        DetailLine(
          key: "contested",
          value: "\(contest.role) in \(contest.scopeName) denies "
            + contest.deny.joined(separator: ", "), style: .deny))
    }
    return DetailSection(title: "Who can \(query): \(verdict)", lines: lines)
  }

  /// The roles tab: who holds the role, once the people are loaded.
  static func holdersSection(_ record: Record, people: PeopleState) -> DetailSection {
    guard people.data != nil else {
      let progress = people.progress ?? ("", .dim)
      return DetailSection(
        title: "People", lines: [DetailLine(key: "held by", value: progress.text, style: .dim)])
    }
    let holders = people.holders[record.id] ?? PeopleData.Holders()
    return DetailSection(
      title: "People", lines: [DetailLine(key: "", value: holders.description)])
  }
}
