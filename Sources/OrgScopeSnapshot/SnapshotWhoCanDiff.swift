import OrgScopeCore

/// `snapshot diff OLD NEW --who-can Q`: who gained Q and who lost it. Each side is answered
/// by the people audit (`PeopleAudit.whoCan`) over its own people, assignments and roles,
/// and the answers are compared user by user, so whatever changed counts: people who
/// joined or left, assignments added or removed, roles widened, narrowed or deleted.
public struct WhoCanDiff: Sendable {
  /// Where a user stands on the query on one side.
  public enum Standing: String, Sendable, Hashable {
    case all
    case some
    /// Held back by their roles' own deny lists.
    case overridden
    /// Granted nothing of it (or not a user on that side).
    case none
    /// Too complex to decide (the audit's bounds): never guessed either way.
    case undecided

    /// none and overridden 0, some 1, all 2; nil for undecided.
    var rank: Int? {
      switch self {
      case .none, .overridden: return 0
      case .some: return 1
      case .all: return 2
      case .undecided: return nil
      }
    }
  }

  public struct Change: Sendable, Hashable {
    public var sid: String
    public var userName: String
    public var before: Standing
    public var after: Standing
  }

  public var query: String
  public var old: [String: String]
  public var new: [String: String]
  /// A rank up: none/overridden → some → all.
  public var gained: [Change] = []
  /// A rank down.
  public var lost: [Change] = []
  /// Into or out of undecided: neither a gain nor a loss can be told.
  public var undecided: [Change] = []

  /// Both sides answered with the roles of `policySource`; a usage error when a side lacks
  /// the people, their assignments or the roles.
  public init(_ query: Glob, old: Snapshot, new: Snapshot, policySource: SourceID) throws {
    self.query = query.text
    self.old = old.meta
    self.new = new.meta
    func standings(_ snapshot: Snapshot, _ side: String) throws -> [String: (String, Standing)] {
      let directory: PeopleDirectory
      let roles: [RolePolicy]
      do {
        directory = try snapshot.requirePeopleDirectory()
        roles = try snapshot.rolePolicies(policySource)
      } catch OrgScopeError.usage(let message) {
        throw OrgScopeError.usage("\(side): \(message)")
      }
      let result = PeopleAudit.whoCan(query, people: directory, roles: roles)
      var found: [String: (String, Standing)] = [:]
      for person in directory.people { found[person.sid] = (person.userName, .none) }
      for answer in result.users {
        found[answer.person.sid] = (answer.person.userName, answer.coverage == .all ? .all : .some)
      }
      for answer in result.overridden {
        found[answer.person.sid] = (answer.person.userName, .overridden)
      }
      for answer in result.undecided {
        found[answer.person.sid] = (answer.person.userName, .undecided)
      }
      return found
    }
    let before = try standings(old, "the old snapshot")
    let after = try standings(new, "the new snapshot")
    var changes: [Change] = []
    for sid in Set(before.keys).union(after.keys) {
      let was = before[sid]?.1 ?? .none
      let now = after[sid]?.1 ?? .none
      guard was != now else { continue }
      let name = after[sid]?.0 ?? before[sid]?.0 ?? sid
      changes.append(Change(sid: sid, userName: name, before: was, after: now))
    }
    changes.sort { ($0.userName.lowercased(), $0.sid) < ($1.userName.lowercased(), $1.sid) }
    for change in changes {
      guard let was = change.before.rank, let now = change.after.rank else {
        undecided.append(change)
        continue
      }
      if now > was { gained.append(change) } else if now < was { lost.append(change) }
    }
  }
}

extension WhoCanDiff {
  /// `{"query", "gained": [{"sid", "user_name", "before", "after"}], "lost": [...]}`, and
  /// `undecided` when some change cannot be ranked.
  public var json: JSONValue {
    var object = JSONObject([
      "query": .string(query), "gained": .array(gained.map(\.json)),
      "lost": .array(lost.map(\.json)),
    ])
    if !undecided.isEmpty { object["undecided"] = .array(undecided.map(\.json)) }
    return .object(object)
  }

  /// `sid,user_name,change,before,after`.
  public var csv: String {
    var out = CSV.row(["sid", "user_name", "change", "before", "after"])
    for (kind, list) in [("gained", gained), ("lost", lost), ("undecided", undecided)] {
      for change in list {
        out += CSV.row(
          [change.sid, change.userName, kind, change.before.rawValue, change.after.rawValue])
      }
    }
    return out
  }

  /// "Who can Q: 3 gained, 2 lost", the times compared, then each user with before → after.
  public func table(unicode: Bool = true) -> String {
    let arrow = unicode ? " → " : " -> "
    func show(_ text: String) -> String { Sanitizer.visible(text) }
    var out =
      "Who can \(show(query)): \(gained.count.formatted) gained, \(lost.count.formatted) lost"
    if !undecided.isEmpty { out += ", \(undecided.count.formatted) too complex to decide" }
    out +=
      "\nold: \(show(old[SnapshotSchema.Key.takenAt] ?? "?"))  new: \(show(new[SnapshotSchema.Key.takenAt] ?? "?"))\n"
    for (title, list) in [("gained", gained), ("lost", lost), ("undecided", undecided)]
    where !list.isEmpty {
      out += "\n\(title):\n"
      for change in list {
        out +=
          "  \(show(change.sid))  \(show(change.userName))  \(change.before.rawValue)\(arrow)\(change.after.rawValue)\n"
      }
    }
    return out
  }
}

extension WhoCanDiff.Change {
  var json: JSONValue {
    .object(
      JSONObject([
        "sid": .string(sid), "user_name": .string(userName), "before": .string(before.rawValue),
        "after": .string(after.rawValue),
      ]))
  }
}
