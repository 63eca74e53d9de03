/// "Who can", by person: the role audit (`RoleAudit`, exact on the patterns) applied to the
/// roles each person was assigned.
///
/// A user holds the roles assigned to them. An assignment scoped to the organization applies
/// in every account; one scoped to an account, in that account only. For a query Q and
/// optionally one account (without one: every role the user holds, anywhere), a user's
/// coverage is the best coverage of the roles that apply: all if one role covers all of Q,
/// else some if one covers some. A user none of whose roles grants any of Q, but one of
/// whose roles would were it not for its own deny list, is overridden. A user whose roles
/// grant nothing decided, but one of which is too complex to decide, is undecided: never
/// guessed either way.
///
/// Whether a deny entry of one role takes away what another role of the same user allows is
/// not documented by Twilio, so it is shown, never applied: a deny entry D of a role R2 that
/// applies together with a granting role R1 (same scope, or either organization-wide) and
/// meets the part of Q that R1 grants (Q ∩ D ∩ E(R1) is not empty) is listed under
/// `contestedBy`; the coverage stays as it is.
public enum PeopleAudit {
  /// One role that gives a user (some of) the query, where.
  public struct Via: Sendable, Hashable {
    public var roleSID: String
    /// The role's name.
    public var role: String
    public var scope: String
    /// "the organization", or the account's name (its sid when it has none here).
    public var scopeName: String
    public var coverage: Coverage
  }

  /// A deny entry of another role of the same user that meets what a granting role gives.
  public struct Contest: Sendable, Hashable {
    public var roleSID: String
    public var role: String
    public var scope: String
    /// The entries, as that role wrote them.
    public var deny: [String]
    /// The scope's name, as `Via.scopeName`.
    public var scopeName: String

    public init(
      roleSID: String, role: String, scope: String, deny: [String], scopeName: String? = nil
    ) {
      self.roleSID = roleSID
      self.role = role
      self.scope = scope
      self.deny = deny
      self.scopeName = scopeName ?? scope
    }
  }

  /// One person's answer.
  public struct Answer: Sendable, Hashable {
    public var person: Person
    /// `.all` or `.some` for a granted user, `.none` for an overridden one, `.undecided`.
    public var coverage: Coverage
    /// Granted: the roles that grant. Overridden: the roles whose own deny list holds them
    /// back. Undecided: the roles too complex to decide.
    public var via: [Via]
    public var contestedBy: [Contest] = []
    /// For a user granted only some: roles that apply but are too complex to decide (one of
    /// them might grant all of it).
    public var undecided: [Via] = []

    public var isContested: Bool { !contestedBy.isEmpty }
  }

  public struct Result: Sendable, Hashable {
    public var query: String
    /// The account the question was asked for (a sid), nil for anywhere.
    public var account: String?
    /// Users granted all or some: all first, then by name.
    public var users: [Answer]
    public var overridden: [Answer]
    public var undecided: [Answer]
    /// Assignments naming a role that is not in the roles list: they grant nothing.
    public var missingRoles: [RoleAssignment]
    /// Users audited.
    public var people: Int
    /// Users the server has but did not list (`totalResults` beyond the list).
    public var unlisted: Int = 0
    /// Each role's coverage of the query, by sid (`.none`: overridden by its own deny list);
    /// roles that grant none of it are absent.
    public var roleCoverage: [String: Coverage] = [:]

    public var allCount: Int { users.count { $0.coverage == .all } }
    public var someCount: Int { users.count { $0.coverage == .some } }
    public var contestedCount: Int { users.count(where: \.isContested) }

    /// "35 people can do all of it, 0 some, 13 are held back by their roles' own deny lists".
    public var summary: String {
      let people = allCount == 1 ? "1 person can" : "\(allCount.formatted) people can"
      let held =
        overridden.count == 1
        ? "1 is held back by their roles' own deny lists"
        : "\(overridden.count.formatted) are held back by their roles' own deny lists"
      var text = "\(people) do all of it, \(someCount.formatted) some, \(held)"
      if !undecided.isEmpty {
        text +=
          ", \(undecided.count.formatted) \(undecided.count == 1 ? "is" : "are") too complex to decide"
      }
      if contestedCount > 0 {
        text += "; \(contestedCount.formatted) contested by another role's deny list"
      }
      return text
    }

    /// "2 assignments name roles that do not exist: IX…, IX…", nil when none do.
    public var missingRolesNote: String? {
      guard !missingRoles.isEmpty else { return nil }
      var sids: [String] = []
      for assignment in missingRoles where !sids.contains(assignment.roleSID) {
        sids.append(assignment.roleSID)
      }
      let count = missingRoles.count
      return
        (count == 1 ? "1 assignment names a role" : "\(count.formatted) assignments name roles")
        + " that do\(count == 1 ? "es" : "") not exist: " + sids.joined(separator: ", ")
    }

    /// "the list is not whole: the server has 2,400 users, 2,000 were listed".
    public var unlistedNote: String? {
      guard unlisted > 0 else { return nil }
      return
        "the list is not whole: the server has \((people + unlisted).formatted) users, \(people.formatted) were listed"
    }
  }

  /// The name shown for a scope: the organization, or the account's name from `names`.
  public static func scopeName(_ scope: String, names: [String: String]) -> String {
    if RoleAssignment.isOrganization(scope) { return "the organization" }
    if let name = names[scope], !name.isEmpty { return name }
    return scope
  }

  /// Who can `query`, by person; `account` (a sid) asks about that account only.
  /// `scopeNames` names accounts by sid.
  public static func whoCan(
    _ query: Glob, people directory: PeopleDirectory, roles: [RolePolicy],
    account: String? = nil, scopeNames: [String: String] = [:]
  ) -> Result {
    var index = PolicyIndex(roles)
    let grants = RoleAudit.grants(query, in: &index)
    var position: [String: Int] = [:]
    for (offset, role) in roles.enumerated() where position[role.id] == nil {
      position[role.id] = offset
    }
    var coverage: [String: Coverage] = [:]
    for grant in grants.granted where coverage[grant.role.id] == nil {
      coverage[grant.role.id] = grant.coverage
    }
    // Overridden: `.none` here means "would, but for its own deny list".
    for grant in grants.overridden where coverage[grant.role.id] == nil {
      coverage[grant.role.id] = Coverage.none
    }
    for role in grants.undecided where coverage[role.role.id] == nil {
      coverage[role.role.id] = .undecided
    }
    let q = index.intern(query.text)
    var contestCache: [[Int]: [Int]] = [:]
    /// Deny entries of role `r2` meeting what role `r1` grants of the query.
    func contesting(_ r1: Int, _ r2: Int) -> [Int] {
      if let known = contestCache[[r1, r2]] { return known }
      var found: [Int] = []
      let allow = index.allowIDs[r1]
      let ownDeny = index.denyIDs[r1]
      for d in index.denyIDs[r2] {
        do {
          try index.begin(role: r1)
          guard try index.meets(q, d) else { continue }
          for a in allow where try index.meets(q, a) && index.meets(a, d) {
            if try index.exists([q, a, d], avoiding: ownDeny) {
              found.append(d)
              break
            }
          }
        } catch {
          // Too complex to tell: shown rather than hidden.
          found.append(d)
        }
      }
      contestCache[[r1, r2]] = found
      return found
    }

    let byUser = directory.assignmentsByUser
    var granted: [Answer] = []
    var overridden: [Answer] = []
    var undecided: [Answer] = []
    var missing: [RoleAssignment] = []
    for person in directory.people {
      let held = byUser[person.sid] ?? []
      var applying: [RoleAssignment] = []
      for assignment in held {
        guard position[assignment.roleSID] != nil else {
          missing.append(assignment)
          continue
        }
        if let account, !assignment.isOrganizationWide, assignment.scope != account { continue }
        applying.append(assignment)
      }
      func via(_ assignment: RoleAssignment) -> Via {
        let role = roles[position[assignment.roleSID] ?? 0]
        return Via(
          roleSID: role.id, role: role.name, scope: assignment.scope,
          scopeName: scopeName(assignment.scope, names: scopeNames),
          coverage: coverage[role.id] ?? .none)
      }
      let giving = applying.filter {
        let c = coverage[$0.roleSID]
        return c == .all || c == .some
      }
      let open = applying.filter { coverage[$0.roleSID] == .undecided }
      if !giving.isEmpty {
        var answer = Answer(
          person: person, coverage: giving.map { coverage[$0.roleSID] ?? .none }.max() ?? .none,
          via: sortedVia(unique(giving.map(via))))
        if answer.coverage != .all { answer.undecided = sortedVia(unique(open.map(via))) }
        var contests: [Contest] = []
        for grant in giving {
          let r1 = position[grant.roleSID] ?? 0
          for other in applying where other.roleSID != grant.roleSID {
            guard
              other.scope == grant.scope || other.isOrganizationWide || grant.isOrganizationWide
            else { continue }
            let r2 = position[other.roleSID] ?? 0
            let deny = contesting(r1, r2)
            guard !deny.isEmpty else { continue }
            let written = index.written(deny, role: r2, deny: true)
            if let k = contests.firstIndex(where: {
              $0.roleSID == other.roleSID && $0.scope == other.scope
            }) {
              for entry in written where !contests[k].deny.contains(entry) {
                contests[k].deny.append(entry)
              }
            } else {
              contests.append(
                Contest(
                  roleSID: other.roleSID, role: roles[r2].name, scope: other.scope, deny: written,
                  scopeName: scopeName(other.scope, names: scopeNames)))
            }
          }
        }
        answer.contestedBy = contests.sorted {
          ($0.role.lowercased(), $0.roleSID, $0.scope) < (
            $1.role.lowercased(), $1.roleSID, $1.scope
          )
        }
        granted.append(answer)
      } else if !open.isEmpty {
        undecided.append(
          Answer(person: person, coverage: .undecided, via: sortedVia(unique(open.map(via)))))
      } else {
        let held = applying.filter { coverage[$0.roleSID] == Coverage.none }
        if !held.isEmpty {
          overridden.append(
            Answer(person: person, coverage: .none, via: sortedVia(unique(held.map(via)))))
        }
      }
    }
    func byName(_ list: [Answer]) -> [Answer] {
      let keys = list.map {
        ($0.coverage == .all ? 0 : 1, $0.person.name.lowercased(), $0.person.sid)
      }
      return keys.indices.sorted { keys[$0] < keys[$1] }.map { list[$0] }
    }
    var result = Result(
      query: query.text, account: account, users: byName(granted), overridden: byName(overridden),
      undecided: byName(undecided), missingRoles: missing, people: directory.people.count,
      unlisted: directory.unlisted)
    result.roleCoverage = coverage
    return result
  }

  private static func unique(_ list: [Via]) -> [Via] {
    var seen = Set<Via>()
    return list.filter { seen.insert($0).inserted }
  }

  private static func sortedVia(_ list: [Via]) -> [Via] {
    list.sorted {
      ($0.coverage == .all ? 0 : 1, $0.role.lowercased(), $0.roleSID, $0.scope)
        < ($1.coverage == .all ? 0 : 1, $1.role.lowercased(), $1.roleSID, $1.scope)
    }
  }
}

extension PeopleAudit {
  /// One person's assignments grouped by scope, each role with its policy: `users show`.
  public struct Profile: Sendable, Hashable {
    public struct Held: Sendable, Hashable {
      public var assignment: RoleAssignment
      /// nil when the role is not in the roles list (it grants nothing).
      public var role: RolePolicy?
    }

    public struct Scope: Sendable, Hashable {
      public var scope: String
      public var name: String
      public var roles: [Held]
    }

    public var person: Person
    /// The organization first, then accounts by name.
    public var scopes: [Scope]
  }

  public static func profile(
    of person: Person, people directory: PeopleDirectory, roles: [RolePolicy],
    scopeNames: [String: String] = [:]
  ) -> Profile {
    var byID: [String: RolePolicy] = [:]
    for role in roles where byID[role.id] == nil { byID[role.id] = role }
    var scopes: [Profile.Scope] = []
    for assignment in directory.assignments where assignment.identity == person.sid {
      let held = Profile.Held(assignment: assignment, role: byID[assignment.roleSID])
      if let k = scopes.firstIndex(where: { $0.scope == assignment.scope }) {
        scopes[k].roles.append(held)
      } else {
        scopes.append(
          Profile.Scope(
            scope: assignment.scope, name: scopeName(assignment.scope, names: scopeNames),
            roles: [held]))
      }
    }
    for k in scopes.indices {
      scopes[k].roles.sort {
        (($0.role?.name ?? "").lowercased(), $0.assignment.roleSID)
          < (($1.role?.name ?? "").lowercased(), $1.assignment.roleSID)
      }
    }
    scopes.sort {
      ($0.scope.hasPrefix("OR") ? 0 : 1, $0.name.lowercased(), $0.scope)
        < ($1.scope.hasPrefix("OR") ? 0 : 1, $1.name.lowercased(), $1.scope)
    }
    return Profile(person: person, scopes: scopes)
  }
}
