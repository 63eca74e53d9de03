/// Permission matching for role policies.
///
/// A permission is a path such as `/twilio/billing/invoices/read`. Policy entries and
/// queries may hold `*`, which matches any run of characters, `/` included, so
/// `/twilio/billing/*` covers everything under billing and `/twilio/*/read` covers every
/// read. Matching ignores ASCII case. A deny entry that covers what an allow entry grants
/// overrides it.
public enum PermissionPattern {
  /// Whether `pattern` (with `*` wildcards) covers all of `text`. A `*` in `text` is taken
  /// literally, so `covers("/a/*", "/a/*")` and `covers("/*", "/a/*")` hold while
  /// `covers("/a/b", "/a/*")` does not: a narrow entry never covers a wide one.
  public static func covers(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.lowercased().utf8)
    let t = Array(text.lowercased().utf8)
    let star = UInt8(ascii: "*")
    var pi = 0
    var ti = 0
    var starAt = -1
    var resumeAt = 0
    while ti < t.count {
      if pi < p.count, p[pi] == star {
        starAt = pi
        resumeAt = ti
        pi += 1
      } else if pi < p.count, p[pi] == t[ti] {
        pi += 1
        ti += 1
      } else if starAt >= 0 {
        pi = starAt + 1
        resumeAt += 1
        ti = resumeAt
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == star { pi += 1 }
    return pi == p.count
  }

  /// Whether a policy entry and a query share at least one permission: one covers the
  /// other. Returns the narrower of the two (what is actually granted within the query),
  /// or nil when they do not meet.
  public static func overlap(entry: String, query: String) -> String? {
    if covers(entry, query) { return query }
    if covers(query, entry) { return entry }
    return nil
  }

  /// The group a permission belongs to for display: its first three segments
  /// (`/twilio/billing/invoices/read` → `/twilio/billing`).
  public static func group(of permission: String) -> String {
    let segments = permission.split(separator: "/", omittingEmptySubsequences: true)
    return "/" + segments.prefix(2).joined(separator: "/")
  }
}

/// A role's policy as the audit needs it. Built from a Twilio role record (`policy.allow`,
/// `policy.deny`); another provider's roles can build the same from their own fields.
public struct RolePolicy: Sendable, Hashable {
  public var id: String
  public var name: String
  public var allow: [String]
  public var deny: [String]

  public init(id: String, name: String, allow: [String], deny: [String]) {
    self.id = id
    self.name = name
    self.allow = allow
    self.deny = deny
  }

  /// Reads `policy.allow` / `policy.deny` (null or missing = empty).
  public init?(record: Record) {
    guard let policy = record.fields["policy"]?.object else { return nil }
    self.id = record.id
    self.name = record.name
    self.allow = policy["allow"]?.array?.compactMap(\.string) ?? []
    self.deny = policy["deny"]?.array?.compactMap(\.string) ?? []
  }

  /// The first deny entry that covers `permission`, if any.
  public func denyCovering(_ permission: String) -> String? {
    deny.first { PermissionPattern.covers($0, permission) }
  }
}
