/// A person of the organization, as the users source lists them (SCIM).
public struct Person: Sendable, Hashable {
  /// `US…`.
  public var sid: String
  public var userName: String
  public var displayName: String
  public var emails: [String]
  public var active: Bool

  public init(
    sid: String, userName: String, displayName: String, emails: [String] = [],
    active: Bool = true
  ) {
    self.sid = sid
    self.userName = userName
    self.displayName = displayName
    self.emails = emails
    self.active = active
  }

  /// From a `twilio-users` record (SCIM: `id`, `userName`, `displayName`, `emails[].value`,
  /// `active`, which is true unless it says false).
  public init(record: Record) {
    let fields = record.fields
    self.init(
      sid: record.id, userName: fields["userName"]?.string ?? "",
      displayName: fields["displayName"]?.string ?? "",
      emails: (fields["emails"]?.array ?? []).compactMap { $0.object?["value"]?.string },
      active: fields["active"]?.bool != false)
  }

  /// The display name, else the user name.
  public var name: String { displayName.isEmpty ? userName : displayName }
}

/// One role assignment: `identity` holds `roleSID` in `scope` (the organization `OR…`,
/// or an account `AC…`).
public struct RoleAssignment: Sendable, Hashable {
  /// `IY…`.
  public var sid: String
  public var roleSID: String
  public var scope: String
  public var identity: String

  public init(sid: String, roleSID: String, scope: String, identity: String) {
    self.sid = sid
    self.roleSID = roleSID
    self.scope = scope
    self.identity = identity
  }

  /// From a role-assignments record (`{sid, role_sid, scope, identity}`).
  public init(record: Record) {
    self.init(
      sid: record.id, roleSID: record.fields["role_sid"]?.string ?? "",
      scope: record.fields["scope"]?.string ?? "",
      identity: record.fields["identity"]?.string ?? "")
  }

  /// Whether the scope is the organization (it applies in every account).
  public var isOrganizationWide: Bool { Self.isOrganization(scope) }

  public static func isOrganization(_ scope: String) -> Bool { scope.hasPrefix("OR") }
}

/// Everyone and what they were assigned: what the people audit reads.
public struct PeopleDirectory: Sendable, Hashable {
  public var people: [Person]
  public var assignments: [RoleAssignment]
  /// How many users the server says there are (`totalResults`), when it says; may exceed
  /// `people.count`: then the list is not whole, and reports say so.
  public var totalUsers: Int?

  public init(people: [Person], assignments: [RoleAssignment], totalUsers: Int? = nil) {
    self.people = people
    self.assignments = assignments
    self.totalUsers = totalUsers
  }

  /// Users the server has but did not list.
  public var unlisted: Int { max(0, (totalUsers ?? people.count) - people.count) }

  /// The one person `key` names: sid, user name or e-mail (ASCII case ignored for the
  /// latter two), else part of one user name, e-mail or display name that only that person
  /// has; a usage error otherwise, listing the candidates (sid and user name) when several
  /// match.
  public func person(_ key: String) throws -> Person {
    if let person = people.first(where: { $0.sid == key }) { return person }
    let lower = key.lowercased()
    var matches = people.filter {
      $0.userName.lowercased() == lower || $0.emails.contains { $0.lowercased() == lower }
    }
    if matches.isEmpty, !lower.isEmpty {
      matches = people.filter {
        $0.userName.lowercased().contains(lower) || $0.displayName.lowercased().contains(lower)
          || $0.emails.contains { $0.lowercased().contains(lower) }
      }
    }
    if matches.count == 1 { return matches[0] }
    if matches.isEmpty {
      let closest = Suggestions.closest(to: key, among: people.map(\.userName))
      let hint = closest.isEmpty ? "" : "; did you mean \(Suggestions.quotedList(closest))?"
      throw OrgScopeError.usage("no user \(Suggestions.quotedList([key]))\(hint)")
    }
    let shown = matches.prefix(10).map { "\($0.sid) \(Suggestions.quotedList([$0.userName]))" }
    let more = matches.count > 10 ? ", and \(matches.count - 10) more" : ""
    throw OrgScopeError.usage(
      "\(Suggestions.quotedList([key])) names \(matches.count) users: "
        + shown.joined(separator: ", ") + more + "; give a sid or a whole user name")
  }

  /// The assignments of each user, by sid.
  public var assignmentsByUser: [String: [RoleAssignment]] {
    Dictionary(grouping: assignments, by: \.identity)
  }
}

extension PeopleDirectory {
  /// Loads every user (one request), then every user's role assignments, `concurrency` users
  /// at a time (`FanOut`), each user's list paged by the one engine, within one `deadline`
  /// for the whole fetch. `progress` gets (users done, users) as each user's list ends.
  public static func load(
    users: SourceClient, concurrency: Int = FanOut.defaultConcurrency,
    deadline: Duration? = FanOut.defaultDeadline,
    progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
  ) async throws -> PeopleDirectory {
    let clock = ContinuousClock()
    let started = clock.now
    var people: [Person] = []
    var total: Int?
    for try await page in users.pages(query: Query(), deadline: deadline) {
      people += page.records.map(Person.init(record:))
      if let pageTotal = page.total { total = pageTotal }
    }
    let left = deadline.map { $0 - (clock.now - started) }
    let assignments = try await Self.assignments(
      of: people.map(\.sid), users: users, concurrency: concurrency, deadline: left,
      progress: progress)
    return PeopleDirectory(people: people, assignments: assignments, totalUsers: total)
  }

  /// The role assignments of the users `sids`, in their order: each user's list paged by the
  /// one engine, `concurrency` users at a time (`FanOut`), within `deadline`. `users` is the
  /// users source's client (its base, token and transport ask for the assignments too).
  public static func assignments(
    of sids: [String], users: SourceClient, concurrency: Int = FanOut.defaultConcurrency,
    deadline: Duration? = FanOut.defaultDeadline,
    progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
  ) async throws -> [RoleAssignment] {
    guard let client = TwilioRoleAssignmentsProvider.client(beside: users) else {
      throw OrgScopeError.usage("\(users.source.rawValue) has no role assignments")
    }
    let lists = try await FanOut.map(
      sids, concurrency: concurrency, deadline: deadline, source: users.source,
      progress: progress
    ) { sid -> [RoleAssignment] in
      var assignments: [RoleAssignment] = []
      let query = Query(filters: [TwilioRoleAssignmentsProvider.identityFilter: sid])
      for try await page in client.pages(query: query) {
        assignments += page.records.map(RoleAssignment.init(record:))
      }
      return assignments
    }
    return lists.flatMap { $0 }
  }
}

extension PeopleDirectory {
  /// The people of both `self` and `old` whose role assignments differ, by sid: a field
  /// `assignments` with each side's assignments as "ROLE in SCOPE" (sorted), for the
  /// `--since` marks. Roles and scopes are named from `roleNames` and `scopeNames` (their
  /// sids otherwise).
  public func assignmentChanges(
    since old: PeopleDirectory, roleNames: [String: String] = [:],
    scopeNames: [String: String] = [:]
  ) -> [String: RecordDiff.Field] {
    func texts(_ list: [RoleAssignment]?) -> [String: [String]] {
      var byUser: [String: [String]] = [:]
      for assignment in list ?? [] {
        let role = roleNames[assignment.roleSID].flatMap { $0.isEmpty ? nil : $0 }
        byUser[assignment.identity, default: []].append(
          "\(role ?? assignment.roleSID) in \(PeopleAudit.scopeName(assignment.scope, names: scopeNames))"
        )
      }
      return byUser.mapValues { $0.sorted() }
    }
    let before = texts(old.assignments)
    let after = texts(assignments)
    let earlier = Set(old.people.map(\.sid))
    var changes: [String: RecordDiff.Field] = [:]
    for person in people where earlier.contains(person.sid) {
      let was = before[person.sid] ?? []
      let now = after[person.sid] ?? []
      guard was != now else { continue }
      changes[person.sid] = RecordDiff.Field(
        path: "assignments", old: .array(was.map(JSONValue.string)),
        new: .array(now.map(JSONValue.string)))
    }
    return changes
  }
}
