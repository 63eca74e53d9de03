/// The people audit's answers (`who-can`, `users show`) as JSON, NDJSON, CSV and text,
/// shared by the command line and the TUI's exports.
public enum PeopleReport {
  typealias F = JSONObject.Field

  private static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
  private static func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }
  private static func number(_ value: Int) -> JSONValue { .number(String(value)) }

  static func via(_ via: PeopleAudit.Via) -> JSONValue {
    .object(
      JSONObject([
        F(key: "role_sid", value: .string(via.roleSID)),
        F(key: "role", value: .string(via.role)),
        F(key: "scope", value: .string(via.scope)),
        F(key: "scope_name", value: .string(via.scopeName)),
        F(key: "coverage", value: .string(via.coverage.rawValue)),
      ]))
  }

  static func contest(_ contest: PeopleAudit.Contest) -> JSONValue {
    .object(
      JSONObject([
        F(key: "role_sid", value: .string(contest.roleSID)),
        F(key: "role", value: .string(contest.role)),
        F(key: "scope", value: .string(contest.scope)),
        F(key: "scope_name", value: .string(contest.scopeName)),
        F(key: "deny", value: strings(contest.deny)),
      ]))
  }

  static func assignment(_ assignment: RoleAssignment) -> JSONValue {
    .object(
      JSONObject([
        F(key: "sid", value: .string(assignment.sid)),
        F(key: "role_sid", value: .string(assignment.roleSID)),
        F(key: "scope", value: .string(assignment.scope)),
        F(key: "identity", value: .string(assignment.identity)),
      ]))
  }

  /// A granted user: every field; an overridden or undecided one: who, and through which
  /// roles.
  static func fields(_ answer: PeopleAudit.Answer, granted: Bool) -> [F] {
    var fields = [
      F(key: "sid", value: .string(answer.person.sid)),
      F(key: "user_name", value: .string(answer.person.userName)),
    ]
    if granted {
      fields += [
        F(key: "display_name", value: .string(answer.person.displayName)),
        F(key: "active", value: .bool(answer.person.active)),
        F(key: "coverage", value: .string(answer.coverage.rawValue)),
        F(key: "via", value: .array(answer.via.map(via))),
        F(key: "contested_by", value: .array(answer.contestedBy.map(contest))),
        F(key: "undecided", value: .array(answer.undecided.map(via))),
      ]
    } else {
      fields += [
        F(key: "active", value: .bool(answer.person.active)),
        F(key: "via", value: .array(answer.via.map(via))),
      ]
    }
    return fields
  }

  static func summary(_ result: PeopleAudit.Result) -> JSONValue {
    .object(
      JSONObject([
        F(key: "all", value: number(result.allCount)),
        F(key: "some", value: number(result.someCount)),
        F(key: "overridden", value: number(result.overridden.count)),
        F(key: "undecided", value: number(result.undecided.count)),
        F(key: "contested", value: number(result.contestedCount)),
        F(key: "users", value: number(result.people)),
        F(key: "unlisted", value: number(result.unlisted)),
      ]))
  }

  public static func json(_ result: PeopleAudit.Result) -> JSONValue {
    .object(
      JSONObject([
        F(key: "query", value: .string(result.query)),
        F(key: "account", value: string(result.account)),
        F(
          key: "users",
          value: .array(result.users.map { .object(JSONObject(fields($0, granted: true))) })),
        F(
          key: "overridden",
          value: .array(result.overridden.map { .object(JSONObject(fields($0, granted: false))) })
        ),
        F(
          key: "undecided",
          value: .array(result.undecided.map { .object(JSONObject(fields($0, granted: false))) })),
        F(key: "missing_roles", value: .array(result.missingRoles.map(assignment))),
        F(key: "summary", value: summary(result)),
      ]))
  }

  /// One user per line, `kind` first (`granted`, `overridden`, `undecided`); then one line
  /// per assignment to a missing role (`missing_role`) and the summary (`summary`).
  public static func ndjson(_ result: PeopleAudit.Result) -> [JSONValue] {
    func line(_ kind: String, _ rest: [F]) -> JSONValue {
      .object(
        JSONObject(
          [F(key: "kind", value: .string(kind)), F(key: "query", value: .string(result.query))]
            + rest))
    }
    var lines = result.users.map { line("granted", fields($0, granted: true)) }
    lines += result.overridden.map { line("overridden", fields($0, granted: false)) }
    lines += result.undecided.map { line("undecided", fields($0, granted: false)) }
    lines += result.missingRoles.map { missing in
      guard case .object(let object) = assignment(missing) else { return .null }
      return line("missing_role", object.fields)
    }
    guard case .object(let counts) = summary(result) else { return lines }
    return lines + [
      line("summary", [F(key: "account", value: string(result.account))] + counts.fields)
    ]
  }

  static func viaText(_ list: [PeopleAudit.Via]) -> String {
    list.map { "\($0.role) (\($0.roleSID)) in \($0.scopeName): \($0.coverage.rawValue)" }
      .joined(separator: "; ")
  }

  static func contestText(_ list: [PeopleAudit.Contest]) -> String {
    list.map {
      "\($0.role) (\($0.roleSID)) in \($0.scopeName) denies \($0.deny.joined(separator: " "))"
    }
    .joined(separator: "; ")
  }

  public static func csv(_ result: PeopleAudit.Result) -> String {
    func row(_ kind: String, _ answer: PeopleAudit.Answer) -> [String] {
      [
        kind, answer.person.sid, answer.person.userName, answer.person.displayName,
        answer.person.active ? "true" : "false",
        kind == "granted" ? answer.coverage.rawValue : kind, viaText(answer.via),
        contestText(answer.contestedBy),
      ]
    }
    return CSV.table(
      header: [
        "kind", "sid", "user_name", "display_name", "active", "coverage", "via", "contested_by",
      ],
      rows: result.users.map { row("granted", $0) }
        + result.overridden.map { row("overridden", $0) }
        + result.undecided.map { row("undecided", $0) })
  }

  /// The summary first, then the people: granted, held back, undecided.
  public static func text(_ result: PeopleAudit.Result, width: Int?) -> String {
    let line = AuditReport.line
    let place = result.account.map { " in \($0)" } ?? ""
    var out = line("Who can \(result.query)\(place): \(result.summary)", width)
    if let note = result.unlistedNote { out += line("Note: \(note)", width) }
    if let note = result.missingRolesNote { out += line("Note: \(note)", width) }
    func person(_ answer: PeopleAudit.Answer, lead: String) -> String {
      var text = "  \(lead)\(answer.person.name) <\(answer.person.userName)> (\(answer.person.sid))"
      if !answer.person.active { text += " [inactive]" }
      if answer.isContested { text += " [contested]" }
      return line(text, width)
    }
    if !result.users.isEmpty {
      out += "\n" + line("Granted (\(result.users.count.formatted))", width)
      for answer in result.users {
        out += person(
          answer,
          lead: answer.coverage.rawValue
            + String(repeating: " ", count: max(1, 6 - answer.coverage.rawValue.count)))
        for via in answer.via {
          out += line(
            "          via \(via.role) (\(via.roleSID)) in \(via.scopeName): \(via.coverage.rawValue)",
            width)
        }
        for contest in answer.contestedBy {
          for entry in contest.deny {
            out += line(
              "          contested by \(contest.role) (\(contest.roleSID)) in \(contest.scopeName): deny \(entry)",
              width)
          }
        }
        for via in answer.undecided {
          out += line(
            "          and \(via.role) (\(via.roleSID)) in \(via.scopeName): too complex to decide",
            width)
        }
      }
    }
    if !result.overridden.isEmpty {
      out +=
        "\n"
        + line(
          "Held back by their roles' own deny lists (\(result.overridden.count.formatted))", width)
      for answer in result.overridden {
        out += person(answer, lead: "")
        for via in answer.via {
          out += line("          by \(via.role) (\(via.roleSID)) in \(via.scopeName)", width)
        }
      }
    }
    if !result.undecided.isEmpty {
      out += "\n" + line("Too complex to decide (\(result.undecided.count.formatted))", width)
      for answer in result.undecided {
        out += person(answer, lead: "")
        for via in answer.via {
          out += line("          \(via.role) (\(via.roleSID)) in \(via.scopeName)", width)
        }
      }
    }
    return out
  }

  // MARK: users show

  public static func json(_ profile: PeopleAudit.Profile) -> JSONValue {
    let person = profile.person
    return .object(
      JSONObject([
        F(key: "sid", value: .string(person.sid)),
        F(key: "user_name", value: .string(person.userName)),
        F(key: "display_name", value: .string(person.displayName)),
        F(key: "emails", value: strings(person.emails)),
        F(key: "active", value: .bool(person.active)),
        F(
          key: "assignments",
          value: .array(
            profile.scopes.map { scope in
              .object(
                JSONObject([
                  F(key: "scope", value: .string(scope.scope)),
                  F(key: "scope_name", value: .string(scope.name)),
                  F(
                    key: "roles",
                    value: .array(
                      scope.roles.map { held in
                        .object(
                          JSONObject([
                            F(key: "assignment_sid", value: .string(held.assignment.sid)),
                            F(key: "role_sid", value: .string(held.assignment.roleSID)),
                            F(key: "role", value: string(held.role?.name)),
                            F(key: "exists", value: .bool(held.role != nil)),
                            F(key: "allow", value: strings(held.role?.allow ?? [])),
                            F(key: "deny", value: strings(held.role?.deny ?? [])),
                          ]))
                      })),
                ]))
            })),
      ]))
  }

  public static func text(_ profile: PeopleAudit.Profile, width: Int?) -> String {
    let line = AuditReport.line
    let person = profile.person
    var out = line(
      "\(person.name) <\(person.userName)> (\(person.sid))\(person.active ? "" : " [inactive]")",
      width)
    if profile.scopes.isEmpty { out += line("  no role assignments", width) }
    for scope in profile.scopes {
      out += "\n" + line("In \(scope.name) (\(scope.scope))", width)
      for held in scope.roles {
        guard let role = held.role else {
          out += line(
            "  \(held.assignment.roleSID): no such role (it grants nothing) [\(held.assignment.sid)]",
            width)
          continue
        }
        out += line("  \(role.name) (\(role.id)) [\(held.assignment.sid)]", width)
        for entry in role.allow { out += line("      allow \(entry)", width) }
        for entry in role.deny { out += line("      deny  \(entry)", width) }
      }
    }
    return out
  }
}
