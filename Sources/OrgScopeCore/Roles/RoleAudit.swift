/// Answers to the audit questions: who grants a permission, how two roles differ, and which
/// permissions any role grants at all. Pure functions over `RolePolicy` values.
public enum RoleAudit {
  /// One role's answer to "who grants PERMISSION".
  public struct Grant: Sendable, Hashable {
    public var role: RolePolicy
    /// The allow entries that meet the query and no deny overrides.
    public var matchedAllow: [String]
    /// For a role that is listed apart: the allow entries that met the query, and the
    /// deny entries that override them.
    public var deniedAllow: [String]
    public var denyingEntries: [String]
  }

  public struct GrantsResult: Sendable, Hashable {
    public var permission: String
    /// Roles that grant it.
    public var granted: [Grant]
    /// Roles whose allow list meets it but a deny overrides every such entry.
    public var denied: [Grant]
  }

  /// Roles whose allow list grants `permission` (wildcards allowed on both sides) with no
  /// deny overriding, and, apart, the roles where a deny overrides every matching allow.
  public static func grants(_ permission: String, in roles: [RolePolicy]) -> GrantsResult {
    var granted: [Grant] = []
    var denied: [Grant] = []
    for role in roles {
      var matched: [String] = []
      var overridden: [String] = []
      var denying: [String] = []
      for entry in role.allow {
        guard let narrow = PermissionPattern.overlap(entry: entry, query: permission) else {
          continue
        }
        if let deny = role.denyCovering(narrow) {
          overridden.append(entry)
          if !denying.contains(deny) { denying.append(deny) }
        } else {
          matched.append(entry)
        }
      }
      let grant = Grant(
        role: role, matchedAllow: matched, deniedAllow: overridden, denyingEntries: denying)
      if !matched.isEmpty {
        granted.append(grant)
      } else if !overridden.isEmpty {
        denied.append(grant)
      }
    }
    return GrantsResult(permission: permission, granted: granted, denied: denied)
  }

  /// A permission one role allows and the other denies.
  public struct Conflict: Sendable, Hashable {
    public var permission: String
    /// The role (its name) that allows it.
    public var allowedBy: String
    /// The role (its name) whose deny entry covers it.
    public var deniedBy: String
    public var denyEntry: String
  }

  public struct DiffResult: Sendable, Hashable {
    public var a: RolePolicy
    public var b: RolePolicy
    public var onlyA: [String]
    public var onlyB: [String]
    public var both: [String]
    public var denyOnlyA: [String]
    public var denyOnlyB: [String]
    public var conflicts: [Conflict]
  }

  /// What `a` allows or denies that `b` does not, and the reverse. Entries compare
  /// without regard to ASCII case; an entry counts as shared when the other role has the
  /// same entry.
  public static func diff(_ a: RolePolicy, _ b: RolePolicy) -> DiffResult {
    func keyed(_ list: [String]) -> [String: String] {
      var map: [String: String] = [:]
      for entry in list where map[entry.lowercased()] == nil { map[entry.lowercased()] = entry }
      return map
    }
    let allowA = keyed(a.allow)
    let allowB = keyed(b.allow)
    let denyA = keyed(a.deny)
    let denyB = keyed(b.deny)
    /// Each entry once, sorted by path (ignoring case) so that related permissions stand
    /// together and two runs print the same order.
    func ordered(_ list: [String], where keep: (String) -> Bool) -> [String] {
      var seen = Set<String>()
      return list.filter { keep($0.lowercased()) && seen.insert($0.lowercased()).inserted }
        .sorted { ($0.lowercased(), $0) < ($1.lowercased(), $1) }
    }
    var conflicts: [Conflict] = []
    for entry in ordered(a.allow, where: { _ in true }) {
      if let deny = b.denyCovering(entry) {
        conflicts.append(
          Conflict(permission: entry, allowedBy: a.name, deniedBy: b.name, denyEntry: deny))
      }
    }
    for entry in ordered(b.allow, where: { _ in true }) {
      if let deny = a.denyCovering(entry) {
        conflicts.append(
          Conflict(permission: entry, allowedBy: b.name, deniedBy: a.name, denyEntry: deny))
      }
    }
    return DiffResult(
      a: a, b: b,
      onlyA: ordered(a.allow) { allowB[$0] == nil },
      onlyB: ordered(b.allow) { allowA[$0] == nil },
      both: ordered(a.allow) { allowB[$0] != nil },
      denyOnlyA: ordered(a.deny) { denyB[$0] == nil },
      denyOnlyB: ordered(b.deny) { denyA[$0] == nil },
      conflicts: conflicts)
  }

  /// One row of the permission matrix.
  public struct MatrixRow: Sendable, Hashable {
    public var permission: String
    public var group: String
    /// Roles that allow this entry and do not deny it themselves.
    public var roles: [RolePolicy]
    public var count: Int { roles.count }
  }

  /// Every distinct allow entry across `roles` (compared without ASCII case), with the
  /// roles that grant it, sorted by group then permission; `filter` keeps permissions that
  /// contain it (case-insensitive) or that it covers when it has a `*`.
  public static func matrix(_ roles: [RolePolicy], filter: String = "") -> [MatrixRow] {
    var rows: [String: MatrixRow] = [:]
    let needle = filter.lowercased()
    for role in roles {
      var seenInRole = Set<String>()
      for entry in role.allow {
        let key = entry.lowercased()
        guard seenInRole.insert(key).inserted else { continue }
        if !needle.isEmpty {
          let keep =
            needle.contains("*") ? PermissionPattern.covers(needle, key) : key.contains(needle)
          if !keep { continue }
        }
        var row =
          rows[key]
          ?? MatrixRow(permission: entry, group: PermissionPattern.group(of: entry), roles: [])
        if role.denyCovering(entry) == nil { row.roles.append(role) }
        rows[key] = row
      }
    }
    return rows.values.sorted {
      ($0.group.lowercased(), $0.permission.lowercased()) < (
        $1.group.lowercased(), $1.permission.lowercased()
      )
    }
  }

  /// Finds a role by sid (exact) or by name (case-insensitive exact, then unique prefix).
  public static func find(_ key: String, in roles: [RolePolicy]) -> RolePolicy? {
    if let role = roles.first(where: { $0.id == key }) { return role }
    let lower = key.lowercased()
    if let role = roles.first(where: { $0.name.lowercased() == lower }) { return role }
    let prefixed = roles.filter { $0.name.lowercased().hasPrefix(lower) }
    return prefixed.count == 1 ? prefixed[0] : nil
  }
}
