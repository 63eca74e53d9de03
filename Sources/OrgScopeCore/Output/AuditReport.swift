/// The role-audit answers as JSON, NDJSON, CSV and plain text, shared by `orgscope roles`
/// and the TUI so both always say the same. Text lines are cut to `width` only when one is
/// given (a terminal); in a pipe every line is whole.
public enum AuditReport {
  static func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }

  static func roleRef(_ role: RolePolicy) -> [JSONObject.Field] {
    [
      .init(key: "sid", value: .string(role.id)),
      .init(key: "friendly_name", value: .string(role.name)),
    ]
  }

  static func number(_ value: Int) -> JSONValue { .number(String(value)) }

  // MARK: grants

  static func fields(_ grant: RoleAudit.RoleGrant, coverage: Bool) -> [JSONObject.Field] {
    roleRef(grant.role)
      + (coverage ? [.init(key: "coverage", value: .string(grant.coverage.rawValue))] : [])
      + [
        .init(key: "allow", value: strings(grant.allow)),
        .init(key: "deny", value: strings(grant.deny)),
      ]
  }

  public static func json(_ result: RoleAudit.GrantsResult) -> JSONValue {
    .object(
      JSONObject([
        .init(key: "query", value: .string(result.query)),
        .init(
          key: "granted",
          value: .array(result.granted.map { .object(JSONObject(fields($0, coverage: true))) })),
        .init(
          key: "overridden",
          value: .array(
            result.overridden.map { .object(JSONObject(fields($0, coverage: false))) })),
        .init(
          key: "undecided",
          value: .array(result.undecided.map { .object(JSONObject(fields($0))) })),
      ]))
  }

  /// A role too complex to decide: who, and why.
  static func fields(_ role: RoleAudit.Undecided) -> [JSONObject.Field] {
    roleRef(role.role) + [.init(key: "reason", value: .string(role.reason))]
  }

  /// One role per line, `kind` first: `granted` or `overridden`.
  public static func ndjson(_ result: RoleAudit.GrantsResult) -> [JSONValue] {
    func line(_ kind: String, _ grant: RoleAudit.RoleGrant) -> JSONValue {
      .object(
        JSONObject(
          [
            .init(key: "kind", value: .string(kind)),
            .init(key: "query", value: .string(result.query)),
          ] + fields(grant, coverage: true)))
    }
    return result.granted.map { line("granted", $0) }
      + result.overridden.map { line("overridden", $0) }
      + result.undecided.map { role in
        .object(
          JSONObject(
            [
              .init(key: "kind", value: .string("undecided")),
              .init(key: "query", value: .string(result.query)),
            ] + fields(role)))
      }
  }

  public static func csv(_ result: RoleAudit.GrantsResult) -> String {
    func row(_ kind: String, _ g: RoleAudit.RoleGrant) -> [String] {
      [
        kind, g.role.id, g.role.name, g.coverage.rawValue, g.allow.joined(separator: " "),
        g.deny.joined(separator: " "),
      ]
    }
    return CSV.table(
      header: ["kind", "sid", "friendly_name", "coverage", "allow", "deny"],
      rows: result.granted.map { row("granted", $0) }
        + result.overridden.map { row("overridden", $0) }
        + result.undecided.map {
          ["undecided", $0.role.id, $0.role.name, Coverage.undecided.rawValue, $0.reason, ""]
        })
  }

  public static func text(_ result: RoleAudit.GrantsResult, width: Int?) -> String {
    var out = line("Who can \(result.query): \(result.summary)", width)
    if !result.granted.isEmpty {
      out += "\n" + line("Granted (\(result.granted.count.formatted))", width)
      for g in result.granted {
        out += line("  \(g.coverage.rawValue.padded(to: 5)) \(g.role.name) (\(g.role.id))", width)
        for entry in g.allow { out += line("          allow \(entry)", width) }
        for line in denyLines(g) { out += Self.line(line, width) }
      }
    }
    if !result.overridden.isEmpty {
      out +=
        "\n"
        + line("Denied by their own deny list (\(result.overridden.count.formatted))", width)
      for g in result.overridden {
        out += line("  \(g.role.name) (\(g.role.id))", width)
        for entry in g.allow { out += line("          allow \(entry)", width) }
        for line in denyLines(g) { out += Self.line(line, width) }
      }
    }
    if !result.undecided.isEmpty {
      out += "\n" + line("Too complex to decide (\(result.undecided.count.formatted))", width)
      for role in result.undecided {
        out += line("  \(role.role.name) (\(role.role.id)): \(role.reason)", width)
      }
    }
    return out
  }

  /// `denies ENTRY: part of it` (or `all of it`), one line per deny entry that cuts into the
  /// query.
  static func denyLines(_ grant: RoleAudit.RoleGrant) -> [String] {
    grant.deny.indices.map { k in
      let all = k < grant.denyTakesAll.count && grant.denyTakesAll[k]
      return "          denies \(grant.deny[k]): \(all ? "all" : "part") of it"
    }
  }

  // MARK: diff

  public static func json(_ diff: RoleAudit.DiffResult) -> JSONValue {
    .object(
      JSONObject(
        [
          .init(key: "a", value: .object(JSONObject(roleRef(diff.a)))),
          .init(key: "b", value: .object(JSONObject(roleRef(diff.b)))),
          .init(key: "relation", value: .string(diff.relation.rawValue)),
          .init(key: "only_a_example", value: diff.onlyA.map { .string($0) } ?? .null),
          .init(key: "only_b_example", value: diff.onlyB.map { .string($0) } ?? .null),
          .init(key: "differences", value: .array(diff.differences.map(difference))),
        ] + (diff.undecidedReason.map { [.init(key: "reason", value: .string($0))] } ?? [])))
  }

  static func difference(_ d: RoleAudit.Difference) -> JSONValue {
    .object(
      JSONObject([
        .init(key: "permission", value: .string(d.permission)),
        .init(key: "a", value: .string(d.a.rawValue)),
        .init(key: "b", value: .string(d.b.rawValue)),
      ]))
  }

  /// The relation first, then one difference per line.
  public static func ndjson(_ diff: RoleAudit.DiffResult) -> [JSONValue] {
    guard case .object(let head) = json(diff) else { return [] }
    let relation = JSONObject(
      [.init(key: "kind", value: .string("relation"))]
        + head.fields.filter { $0.key != "differences" })
    return [.object(relation)]
      + diff.differences.map {
        guard case .object(let object) = difference($0) else { return .null }
        return .object(
          JSONObject([.init(key: "kind", value: .string("difference"))] + object.fields))
      }
  }

  public static func csv(_ diff: RoleAudit.DiffResult) -> String {
    CSV.table(
      header: ["permission", "a", "b"],
      rows: diff.differences.map { [$0.permission, $0.a.rawValue, $0.b.rawValue] })
  }

  /// The verdict and the differences as sections of lines (also what the TUI shows).
  public static func sections(_ diff: RoleAudit.DiffResult) -> [DetailSection] {
    var verdict: [DetailLine] = []
    if let only = diff.onlyA {
      verdict.append(DetailLine(key: "only \(diff.a.name)", value: "e.g. \(only)", style: .allow))
    }
    if let only = diff.onlyB {
      verdict.append(DetailLine(key: "only \(diff.b.name)", value: "e.g. \(only)", style: .allow))
    }
    verdict.append(DetailLine(key: "A", value: "\(diff.a.name) (\(diff.a.id))"))
    verdict.append(DetailLine(key: "B", value: "\(diff.b.name) (\(diff.b.id))"))
    return [
      DetailSection(title: diff.verdict, lines: verdict),
      DetailSection(
        title: "Entries whose coverage differs (\(diff.differences.count.formatted))  A / B",
        lines: diff.differences.map {
          DetailLine(
            key: "\($0.a.rawValue.padded(to: 4)) / \($0.b.rawValue.padded(to: 4))",
            value: $0.permission, style: $0.a > $0.b ? .allow : .deny)
        }),
    ]
  }

  public static func text(_ diff: RoleAudit.DiffResult, width: Int?) -> String {
    var out = ""
    for section in sections(diff) {
      if !out.isEmpty { out += "\n" }
      out += line(section.title, width)
      for entry in section.lines {
        out += line(
          "  " + (entry.key.isEmpty ? entry.value : "\(entry.key)  \(entry.value)"), width)
      }
    }
    return out
  }

  // MARK: matrix

  public static func json(_ matrix: RoleAudit.Matrix) -> JSONValue {
    .object(
      JSONObject([
        .init(
          key: "roles", value: .array(matrix.roles.map { .object(JSONObject(roleRef($0))) })),
        .init(
          key: "permissions",
          value: .array(
            matrix.rows.map { row in
              .object(
                JSONObject([
                  .init(key: "permission", value: .string(row.permission)),
                  .init(key: "granted_by", value: number(row.grantedBy)),
                  .init(key: "partly_by", value: number(row.partlyBy)),
                  .init(key: "cells", value: .array(row.cells.map { .string($0.rawValue) })),
                ]))
            })),
      ]))
  }

  /// One permission per line, with the sids of the roles that grant all and some of it.
  public static func ndjson(_ matrix: RoleAudit.Matrix) -> [JSONValue] {
    matrix.rows.map { row in
      func sids(_ coverage: Coverage) -> JSONValue {
        .array(
          zip(matrix.roles, row.cells).filter { $0.1 == coverage }.map { .string($0.0.id) })
      }
      return .object(
        JSONObject([
          .init(key: "permission", value: .string(row.permission)),
          .init(key: "granted_by", value: number(row.grantedBy)),
          .init(key: "partly_by", value: number(row.partlyBy)),
          .init(key: "all", value: sids(.all)),
          .init(key: "some", value: sids(.some)),
        ]))
    }
  }

  /// A real matrix for a spreadsheet: one column per role (`name (sid)`), cells `all`,
  /// `some` or `none`.
  public static func csv(_ matrix: RoleAudit.Matrix) -> String {
    var out = CSV.row(
      ["permission", "granted_by", "partly_by"] + matrix.roles.map { "\($0.name) (\($0.id))" })
    for row in matrix.rows {
      out += CSV.row(
        [row.permission, String(row.grantedBy), String(row.partlyBy)]
          + row.cells.map(\.rawValue))
    }
    return out
  }

  /// Per row, how many roles grant all of it and some of it; grouped by `/twilio/group`.
  public static func text(_ matrix: RoleAudit.Matrix, width: Int?) -> String {
    grouped(matrix, width: width, header: "   all   some  permission") { row in
      "\(row.grantedBy.formatted.leftPadded(to: 6)) \(row.partlyBy.formatted.leftPadded(to: 6))  \(row.permission)"
    }
  }

  /// The matrix's size, the column header, then a line per row under its
  /// `/twilio/group`'s line.
  static func grouped(
    _ matrix: RoleAudit.Matrix, width: Int?, header: String,
    _ text: (RoleAudit.MatrixRow) -> String
  ) -> String {
    var out = line(
      "\(matrix.rows.count.formatted) entries × \(matrix.roles.count.formatted) roles", width)
    out += line(header, width)
    var group = ""
    for row in matrix.rows {
      let rowGroup = PermissionPattern.group(of: row.permission)
      if rowGroup != group {
        group = rowGroup
        out += line(group, width)
      }
      out += line(text(row), width)
    }
    return out
  }

  /// `roles matrix --roles A,B`: one column per chosen role, headed by its name, a cell
  /// `all`, `some` or `-` per row, the permission last; grouped by `/twilio/group`. On a
  /// terminal (`width`) the names are cut so that the permissions keep room; in a pipe
  /// they are whole.
  public static func roleColumns(_ matrix: RoleAudit.Matrix, width: Int?) -> String {
    let names = matrix.roles.map { Sanitizer.clean($0.name) }
    var widths = names.map { max(DisplayWidth.of($0), cellWidth) }
    if let width {
      // The permission names the row: it keeps its whole width while every name keeps
      // `readableName` cells; then the names share what is left.
      let longest = matrix.rows.map { DisplayWidth.of(Sanitizer.clean($0.permission)) }.max()
      let gaps = 2 * widths.count
      let names = widths.reduce(0) { $0 + min($1, readableName) }
      let permissionRoom = max(10, min(longest ?? 10, width - names - gaps))
      widths = fit(widths, into: width - permissionRoom - gaps)
    }
    func cells(_ texts: [String]) -> String {
      zip(texts, widths).map { DisplayWidth.pad($0, to: $1) + "  " }.joined()
    }
    return grouped(matrix, width: width, header: cells(names) + "permission") { row in
      cells(row.cells.map { $0 == .none ? "-" : $0.rawValue }) + Sanitizer.clean(row.permission)
    }
  }

  /// The widest cell: `some`.
  static let cellWidth = 4
  /// What is left of a long role name before the permissions are cut.
  static let readableName = 12

  /// Column widths cut, widest first, until they add up to `room` (none below a cell).
  static func fit(_ widths: [Int], into room: Int) -> [Int] {
    guard widths.reduce(0, +) > room, var cap = widths.max() else { return widths }
    while cap > cellWidth && widths.reduce(0, { $0 + min($1, cap) }) > room { cap -= 1 }
    return widths.map { min($0, cap) }
  }

  static func line(_ text: String, _ width: Int?) -> String {
    let clean = Sanitizer.clean(text)
    guard let width else { return clean + "\n" }
    return DisplayWidth.truncate(clean, to: max(width, 20)) + "\n"
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }

  fileprivate func padded(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
