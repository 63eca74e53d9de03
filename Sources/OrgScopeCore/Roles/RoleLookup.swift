/// A role named on the command line (`roles diff A B`, `roles matrix --roles A,B`): its sid,
/// its whole name, or part of its name, as long as exactly one role answers to it.
public enum RoleLookup {
  /// Candidates named in an error at most; the rest are counted.
  static let shownCandidates = 10

  /// The one role `key` names: the role with that sid; else the roles with that name
  /// (ASCII case ignored); else the roles whose name contains it. Several roles are an
  /// error that lists them (sid and name); none, one that suggests the closest names.
  public static func resolve(_ key: String, in roles: [RolePolicy]) throws(RoleLookupError)
    -> RolePolicy
  {
    roles[try index(of: key, in: roles)]
  }

  /// `resolve`, as the role's position in `roles`.
  public static func index(of key: String, in roles: [RolePolicy]) throws(RoleLookupError)
    -> Int
  {
    if let index = roles.firstIndex(where: { $0.id == key }) { return index }
    let lower = key.lowercased()
    var matches = roles.indices.filter { roles[$0].name.lowercased() == lower }
    if matches.isEmpty, !lower.isEmpty {
      matches = roles.indices.filter { roles[$0].name.lowercased().contains(lower) }
    }
    switch matches.count {
    case 1: return matches[0]
    case 0:
      throw .noRole(key, closest: Suggestions.closest(to: key, among: roles.map(\.name)))
    default:
      let sorted = matches.map { roles[$0] }.sorted {
        ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id)
      }
      throw .ambiguous(key, candidates: sorted)
    }
  }
}

public enum RoleLookupError: Error, Sendable, Hashable, CustomStringConvertible {
  /// No role has that sid, name or part of a name; the closest names, if any are close.
  case noRole(String, closest: [String])
  /// Several roles answer to it: all of them, by name.
  case ambiguous(String, candidates: [RolePolicy])

  public var description: String {
    switch self {
    case .noRole(let key, let closest):
      let quoted = Suggestions.quotedList([key])
      guard !closest.isEmpty else { return "no role \(quoted)" }
      return "no role \(quoted); did you mean \(Suggestions.quotedList(closest))?"
    case .ambiguous(let key, let candidates):
      let shown = candidates.prefix(RoleLookup.shownCandidates).map {
        "\(Sanitizer.clean($0.id)) \(Suggestions.quotedList([$0.name]))"
      }
      let more = candidates.count - shown.count
      return
        "\(Suggestions.quotedList([key])) names \(candidates.count.formatted) roles: "
        + shown.joined(separator: ", ") + (more > 0 ? ", and \(more.formatted) more" : "")
        // Roles of the very same name are told apart by their sids alone.
        + (candidates.allSatisfy { $0.name.lowercased() == key.lowercased() }
          ? "; give a sid" : "; give a sid or a whole name")
    }
  }
}
