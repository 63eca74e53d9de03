/// What the people audit reads: everyone with their role assignments, every role with its
/// policy, and the accounts' names (for the scopes). `who-can`, `users show` and the TUI's
/// users tab read it; where it comes from (the live APIs, a snapshot file) is a `PeopleLoader`.
public struct PeopleData: Sendable, Hashable {
  public var directory: PeopleDirectory
  public var roles: [RolePolicy]
  /// Account names by sid.
  public var accounts: [String: String]

  public init(directory: PeopleDirectory, roles: [RolePolicy], accounts: [String: String]) {
    self.directory = directory
    self.roles = roles
    self.accounts = accounts
  }

  /// Who holds a role: users with an organization-wide assignment of it, and the others,
  /// who hold it in accounts only.
  public struct Holders: Sendable, Hashable {
    public var organizationWide = 0
    public var inAccounts = 0

    public init(organizationWide: Int = 0, inAccounts: Int = 0) {
      self.organizationWide = organizationWide
      self.inAccounts = inAccounts
    }

    public var users: Int { organizationWide + inAccounts }

    /// "held by 12 users: 3 organization-wide, 9 in accounts".
    public var description: String {
      guard users > 0 else { return "held by no user" }
      return
        "held by \(users.formatted) \(users == 1 ? "user" : "users"): \(organizationWide.formatted) organization-wide, "
        + "\(inAccounts.formatted) in accounts"
    }
  }

  /// Every role's holders, by role sid (roles no one holds are absent).
  public var holders: [String: Holders] {
    var organization: [String: Set<String>] = [:]
    var accounts: [String: Set<String>] = [:]
    for assignment in directory.assignments {
      if assignment.isOrganizationWide {
        organization[assignment.roleSID, default: []].insert(assignment.identity)
      } else {
        accounts[assignment.roleSID, default: []].insert(assignment.identity)
      }
    }
    var holders: [String: Holders] = [:]
    for role in Set(organization.keys).union(accounts.keys) {
      let wide = organization[role] ?? []
      holders[role] = Holders(
        organizationWide: wide.count, inAccounts: (accounts[role] ?? []).subtracting(wide).count)
    }
    return holders
  }
}

/// Where people come from. The live loader fetches users, their assignments (`FanOut`),
/// roles and accounts; an offline one reads them from a snapshot file. `progress` gets
/// (users whose assignments are in, users) as the fan-out goes. Cancelling the task that
/// awaits `load` stops it.
public struct PeopleLoader: Sendable {
  public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

  public let load: @Sendable (_ progress: @escaping Progress) async throws -> PeopleData

  public init(
    _ load: @escaping @Sendable (_ progress: @escaping Progress) async throws -> PeopleData
  ) {
    self.load = load
  }
}
