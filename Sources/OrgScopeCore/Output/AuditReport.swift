/// The role-audit answers as JSON, CSV and plain text, shared by `orgscope roles` and the
/// TUI's export so both always say the same.
public enum AuditReport {
  static func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }

  static func roleRef(_ role: RolePolicy) -> [JSONObject.Field] {
    [
      .init(key: "sid", value: .string(role.id)),
      .init(key: "friendly_name", value: .string(role.name)),
    ]
  }

  // MARK: grants

  public static func json(_ result: RoleAudit.GrantsResult) -> JSONValue {
    func grant(_ g: RoleAudit.Grant) -> JSONValue {
      .object(
        JSONObject(
          roleRef(g.role) + [
            .init(key: "matched_allow", value: strings(g.matchedAllow)),
            .init(key: "overridden_allow", value: strings(g.deniedAllow)),
            .init(key: "deny", value: strings(g.denyingEntries)),
          ]))
    }
    return .object(
      JSONObject([
        .init(key: "permission", value: .string(result.permission)),
        .init(key: "granted", value: .array(result.granted.map(grant))),
        .init(key: "denied", value: .array(result.denied.map(grant))),
      ]))
  }

  public static func csv(_ result: RoleAudit.GrantsResult) -> String {
    var rows: [[String]] = []
    for g in result.granted {
      rows.append(["granted", g.role.id, g.role.name, g.matchedAllow.joined(separator: " "), ""])
    }
    for g in result.denied {
      rows.append([
        "denied", g.role.id, g.role.name, g.deniedAllow.joined(separator: " "),
        g.denyingEntries.joined(separator: " "),
      ])
    }
    return CSV.table(header: ["result", "sid", "friendly_name", "allow", "deny"], rows: rows)
  }

  public static func text(_ result: RoleAudit.GrantsResult, width: Int) -> String {
    var out = "Roles granting \(Sanitizer.clean(result.permission)): \(result.granted.count)\n"
    for g in result.granted {
      out += line("  \(g.role.name) (\(g.role.id))", width)
      for entry in g.matchedAllow { out += line("      allow \(entry)", width) }
    }
    out += "Denied by their own deny list: \(result.denied.count)\n"
    for g in result.denied {
      out += line("  \(g.role.name) (\(g.role.id))", width)
      for entry in g.denyingEntries { out += line("      deny  \(entry)", width) }
    }
    return out
  }

  // MARK: diff

  public static func json(_ diff: RoleAudit.DiffResult) -> JSONValue {
    .object(
      JSONObject([
        .init(key: "a", value: .object(JSONObject(roleRef(diff.a)))),
        .init(key: "b", value: .object(JSONObject(roleRef(diff.b)))),
        .init(key: "allow_only_a", value: strings(diff.onlyA)),
        .init(key: "allow_only_b", value: strings(diff.onlyB)),
        .init(key: "allow_both", value: strings(diff.both)),
        .init(key: "deny_only_a", value: strings(diff.denyOnlyA)),
        .init(key: "deny_only_b", value: strings(diff.denyOnlyB)),
        .init(
          key: "conflicts",
          value: .array(
            diff.conflicts.map {
              .object(
                JSONObject([
                  .init(key: "permission", value: .string($0.permission)),
                  .init(key: "allowed_by", value: .string($0.allowedBy)),
                  .init(key: "denied_by", value: .string($0.deniedBy)),
                  .init(key: "deny_entry", value: .string($0.denyEntry)),
                ]))
            })),
      ]))
  }

  public static func csv(_ diff: RoleAudit.DiffResult) -> String {
    var rows: [[String]] = []
    rows += diff.onlyA.map { ["allow_only_a", $0, ""] }
    rows += diff.onlyB.map { ["allow_only_b", $0, ""] }
    rows += diff.both.map { ["allow_both", $0, ""] }
    rows += diff.denyOnlyA.map { ["deny_only_a", $0, ""] }
    rows += diff.denyOnlyB.map { ["deny_only_b", $0, ""] }
    rows += diff.conflicts.map {
      ["conflict", $0.permission, "allowed by \($0.allowedBy), denied by \($0.deniedBy)"]
    }
    return CSV.table(header: ["kind", "permission", "note"], rows: rows)
  }

  /// The diff as sections of lines (also what the TUI shows).
  public static func sections(_ diff: RoleAudit.DiffResult) -> [DetailSection] {
    func section(_ title: String, _ list: [String], _ style: DetailLine.Style) -> DetailSection {
      DetailSection(
        title: "\(title) (\(list.count))",
        lines: list.map { DetailLine(key: "", value: $0, style: style) })
    }
    return [
      section("Allowed only by \(diff.a.name)", diff.onlyA, .allow),
      section("Allowed only by \(diff.b.name)", diff.onlyB, .allow),
      section("Allowed by both", diff.both, .normal),
      section("Denied only by \(diff.a.name)", diff.denyOnlyA, .deny),
      section("Denied only by \(diff.b.name)", diff.denyOnlyB, .deny),
      DetailSection(
        title: "Conflicts (\(diff.conflicts.count))",
        lines: diff.conflicts.map {
          DetailLine(
            key: $0.permission, value: "allowed by \($0.allowedBy), denied by \($0.deniedBy)",
            style: .deny)
        }),
    ]
  }

  public static func text(_ diff: RoleAudit.DiffResult, width: Int) -> String {
    var out = ""
    for section in sections(diff) {
      out += line(section.title, width)
      for entry in section.lines {
        out += line(
          "  " + (entry.key.isEmpty ? entry.value : "\(entry.key)  \(entry.value)"), width)
      }
    }
    return out
  }

  // MARK: matrix

  public static func json(_ rows: [RoleAudit.MatrixRow]) -> JSONValue {
    .array(
      rows.map { row in
        .object(
          JSONObject([
            .init(key: "permission", value: .string(row.permission)),
            .init(key: "group", value: .string(row.group)),
            .init(key: "roles_granting", value: .number(String(row.count))),
            .init(key: "roles", value: .array(row.roles.map { .object(JSONObject(roleRef($0))) })),
          ]))
      })
  }

  public static func csv(_ rows: [RoleAudit.MatrixRow]) -> String {
    CSV.table(
      header: ["group", "permission", "roles_granting", "roles"],
      rows: rows.map {
        [$0.group, $0.permission, String($0.count), $0.roles.map(\.name).joined(separator: "; ")]
      })
  }

  public static func text(_ rows: [RoleAudit.MatrixRow], width: Int) -> String {
    var out = ""
    var group = ""
    for row in rows {
      if row.group != group {
        group = row.group
        out += line(group, width)
      }
      out += line("  \(String(row.count).leftPadded(to: 4))  \(row.permission)", width)
    }
    return out
  }

  static func line(_ text: String, _ width: Int) -> String {
    DisplayWidth.truncate(Sanitizer.clean(text), to: max(width, 20)) + "\n"
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
