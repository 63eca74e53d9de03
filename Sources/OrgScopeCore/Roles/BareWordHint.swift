extension RoleAudit.GrantsResult {
  /// A query with no `/` and no `*` (`billing`) is answered as the one literal permission
  /// it is, which only an entry such as `*` reaches. When nothing but such entries did,
  /// the query was most likely meant as a word to look for: this says how to write that.
  public var bareWordHint: String? {
    guard !query.contains("/"), !query.contains("*") else { return nil }
    let written = (granted + overridden).contains { grant in
      grant.role.allow.contains { entry in
        !entry.allSatisfy { $0 == "*" } && Glob(entry).matches(query)
      }
    }
    guard !written else { return nil }
    return
      "no permission is written like \"\(query)\"; try \"*\(query)*\" or \"/twilio/\(query)/*\""
  }
}
