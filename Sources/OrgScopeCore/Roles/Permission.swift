/// Permission paths for display.
public enum PermissionPattern {
  /// The group a permission belongs to for display: its first two segments
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
}
