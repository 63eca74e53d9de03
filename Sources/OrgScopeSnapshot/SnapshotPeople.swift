import OrgScopeCore

/// What the people audit reads from a snapshot: the `twilio-users` people with their role
/// assignments, the roles' policies and the accounts' names. Everything offline (`who-can
/// --snapshot`, `users show --snapshot`, `snapshot diff --who-can`, the TUI on a file)
/// reads them here.
extension Snapshot {
  /// The people and their role assignments; nil when the file has no `assignments` table
  /// (taken before orgscope stored them: `noAssignments` says so). A usage error when the
  /// file lacks the users source or the assignments' fetch failed when it was taken. The
  /// snapshot must have been read with `twilio-users` among its sources (the assignments
  /// are read with them).
  public func peopleDirectory() throws -> PeopleDirectory? {
    let users = TwilioUsersProvider.sourceID
    if let absence = absence(of: users) {
      throw OrgScopeError.usage("\(users.rawValue): \(absence)")
    }
    guard let assignments else { return nil }
    if let error = meta[SnapshotSchema.Key.error(SnapshotSchema.Key.assignments)] {
      throw OrgScopeError.usage(
        "this snapshot has no role assignments: \(Sanitizer.visible(error)); take a new one")
    }
    let people = (records[users] ?? []).map(Person.init(record:))
    let total = meta[SnapshotSchema.Key.total(users.rawValue)].flatMap { Int($0) }
    return PeopleDirectory(people: people, assignments: assignments, totalUsers: total)
  }

  /// `peopleDirectory()`, with a file that has no assignments a usage error saying so.
  public func requirePeopleDirectory() throws -> PeopleDirectory {
    guard let directory = try peopleDirectory() else {
      throw OrgScopeError.usage(noAssignments)
    }
    return directory
  }

  /// "this snapshot has no role assignments (taken before …); take a new one".
  public var noAssignments: String {
    let version = meta[SnapshotSchema.Key.schemaVersion].flatMap { Int($0) } ?? 1
    let when =
      version < SnapshotSchema.assignmentsVersion
      ? "taken \(Sanitizer.visible(takenAtText)), before orgscope stored them: schema version \(version)"
      : "the file has no assignments table"
    return "this snapshot has no role assignments (\(when)); take a new one"
  }

  /// The roles of `source` with their policies, as its provider reads them, in the order
  /// they were listed (what `roles … --snapshot` reads); a usage error when the file does
  /// not hold the source.
  public func rolePolicies(_ source: SourceID) throws -> [RolePolicy] {
    if let absence = absence(of: source) {
      throw OrgScopeError.usage("\(source.rawValue): \(absence)")
    }
    let provider = SnapshotSources.provider(for: source)
    return (records[source] ?? []).compactMap(provider.policy(of:))
  }

  /// The names of the accounts the assignments are scoped to, by sid (empty when the file
  /// does not hold the accounts source: scopes are then shown by sid).
  public var accountNames: [String: String] {
    var names: [String: String] = [:]
    for record in records[TwilioUsersProvider.accountsSource] ?? []
    where names[record.id] == nil {
      names[record.id] = record.name
    }
    return names
  }
}
