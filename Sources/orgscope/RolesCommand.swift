import ArgumentParser
import Foundation
import OrgScopeCore
import OrgScopeSnapshot

/// `orgscope roles …`: the audit questions, answered over every role of a source with
/// role policies (`--source`; the first such source, Twilio roles, by default).
struct Roles: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "roles",
    abstract:
      "Audit role permissions: who grants what, how two roles differ, the permission matrix.",
    discussion: examples(
      "orgscope roles grants '/twilio/*/delete'",
      "orgscope roles diff \"Billing Admin\" \"Billing Viewer\""),
    subcommands: [Grants.self, Diff.self, Matrix.self])

  /// `orgscope roles` alone: a mistake, as with the other groups (not the help).
  func run() throws {
    let names = Self.configuration.subcommands.map { $0._commandName }
    throw ValidationError("a command is needed: one of \(names.joined(separator: ", "))")
  }

  /// Every role of `source`, with its policy as its provider reads it, loaded through the
  /// paging engine (from the snapshot file at `snapshot`, when given).
  static func loadRoles(_ common: CommonOptions, snapshot: String?, source: PolicySourceOption)
    async throws -> [RolePolicy]
  {
    let source = try ProviderRegistry.policySource(named: source.name?.id.rawValue)
    if let snapshot {
      return try await Snapshots.read(
        try await SnapshotName.path(snapshot, common), sources: [source], common
      ).rolePolicies(source)
    }
    return try await Context.with(common) { context in
      let client = try context.client(for: source)
      var roles: [RolePolicy] = []
      for try await page in client.pages(query: Query()) {
        roles += page.records.compactMap(client.provider.policy(of:))
      }
      return roles
    }
  }

  /// The role `key` names (sid, whole name, or part of one name); several or none is a
  /// usage error that names the candidates or the closest names.
  static func index(of key: String, in roles: [RolePolicy]) throws -> Int {
    do {
      return try RoleLookup.index(of: key, in: roles)
    } catch {
      throw OrgScopeError.usage(error.description)
    }
  }

  /// The width to fit table lines to: the terminal's, or none in a pipe (no line is cut).
  static var tableWidth: Int? { isatty(STDOUT_FILENO) == 1 ? Console.width() : nil }

  static func emit(
    _ format: OutputFormat, json: () -> JSONValue, ndjson: () -> [JSONValue],
    csv: () -> String, table: () -> String
  ) {
    var output = OutputBuffer()
    switch format {
    case .json: output.write(JSONWriter.pretty(json()) + "\n")
    case .ndjson:
      for item in ndjson() { output.write(JSONWriter.compact(item) + "\n") }
    case .csv: output.write(csv())
    case .table: output.write(table())
    }
    output.flush()
  }

  struct Grants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "grants",
      abstract:
        "Roles whose effective permissions (allow minus deny) reach QUERY: all of it or some.",
      discussion: examples(
        "orgscope roles grants '/twilio/*/delete'",
        "orgscope roles grants '/twilio/iam/users/delete' --snapshot latest --format json"))

    @Argument(
      help: """
        A permission or pattern: /twilio/billing/invoices/read, /twilio/*/delete ('*' is any \
        run of characters, '/' included; case is ignored).
        """)
    var query: String

    @OptionGroup var common: CommonOptions

    @Option(parsing: .unconditional, help: "Output format.")
    var format: OutputFormat = .table

    @OptionGroup var snapshot: SnapshotOption

    @OptionGroup var source: PolicySourceOption

    func validate() throws { _ = try glob() }

    func glob() throws -> Glob {
      do {
        return try Glob(query: query)
      } catch {
        throw ValidationError(error.description)
      }
    }

    func run() async throws {
      let result = RoleAudit.grants(
        try glob(), in: try await Roles.loadRoles(common, snapshot: snapshot.path, source: source))
      Roles.emit(
        format, json: { AuditReport.json(result) }, ndjson: { AuditReport.ndjson(result) },
        csv: { AuditReport.csv(result) },
        table: { AuditReport.text(result, width: Roles.tableWidth) })
      // `billing` is one literal permission: say so when only `*` entries reached it.
      if let hint = result.bareWordHint { Console.errorLine(hint) }
    }
  }

  struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "diff",
      abstract: """
        How two roles' effective permissions relate (equal, within, incomparable), and the \
        entries whose coverage differs.
        """,
      discussion: examples(
        "orgscope roles diff \"Billing Admin\" \"Billing Viewer\"",
        "orgscope roles diff IX… admin --format json"))

    @Argument(
      help: "First role: sid (IX…), name, or part of one name.", completion: Completions.role)
    var first: String

    @Argument(
      help: "Second role: sid (IX…), name, or part of one name.", completion: Completions.role)
    var second: String

    @OptionGroup var common: CommonOptions

    @Option(parsing: .unconditional, help: "Output format.")
    var format: OutputFormat = .table

    @OptionGroup var snapshot: SnapshotOption

    @OptionGroup var source: PolicySourceOption

    func run() async throws {
      let roles = try await Roles.loadRoles(common, snapshot: snapshot.path, source: source)
      let result = RoleAudit.diff(
        roles[try Roles.index(of: first, in: roles)],
        roles[try Roles.index(of: second, in: roles)])
      Roles.emit(
        format, json: { AuditReport.json(result) }, ndjson: { AuditReport.ndjson(result) },
        csv: { AuditReport.csv(result) },
        table: { AuditReport.text(result, width: Roles.tableWidth) })
    }
  }

  struct Matrix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "matrix",
      abstract:
        "Every entry written in any role's policy against every role: coverage all, some or none.",
      discussion: examples(
        "orgscope roles matrix --filter billing --format csv",
        "orgscope roles matrix --roles \"Billing Admin,IX…\""))

    @OptionGroup var common: CommonOptions

    @Option(
      parsing: .unconditional,
      help: "Keep entries containing this text (with '*': entries that share a permission with it)."
    )
    var filter = ""

    @Option(
      parsing: .unconditional,
      help: ArgumentHelp(
        "Only these roles, one column each (sids, names or parts of one name); rows none of them touches are left out.",
        valueName: "a,b,..."),
      completion: Completions.roleList,
      transform: { text in
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
          !$0.isEmpty
        }
      })
    var roles: [String]?

    @Option(parsing: .unconditional, help: "Output format.")
    var format: OutputFormat = .table

    @OptionGroup var snapshot: SnapshotOption

    @OptionGroup var source: PolicySourceOption

    func run() async throws {
      let all = try await Roles.loadRoles(common, snapshot: snapshot.path, source: source)
      var columns: [Int]?
      if let roles {
        columns = try roles.map { try Roles.index(of: $0, in: all) }
      }
      var index = PolicyIndex(all)
      // Chosen roles: one column each, and only the rows they touch, in every format.
      let matrix =
        columns.map { RoleAudit.matrix(&index, filter: filter, chosen: $0) }
        ?? RoleAudit.matrix(&index, filter: filter)
      Roles.emit(
        format, json: { AuditReport.json(matrix) }, ndjson: { AuditReport.ndjson(matrix) },
        csv: { AuditReport.csv(matrix) },
        table: {
          columns == nil
            ? AuditReport.text(matrix, width: Roles.tableWidth)
            : AuditReport.roleColumns(matrix, width: Roles.tableWidth)
        })
    }
  }
}

/// `roles --source`: whose role policies to audit, among the sources that carry them.
struct PolicySourceOption: ParsableArguments {
  @Option(
    name: .customLong("source"), parsing: .unconditional,
    help: ArgumentHelp(
      "The source whose role policies to audit (default: the first that has them).",
      valueName: "source"))
  var name: PolicySourceName?
}
