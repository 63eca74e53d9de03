import Foundation
import OrgScopeCore

/// `orgscope roles …`: the audit questions, answered over every role of the source with role policies (Twilio roles).
enum Roles {
  static let spec = CommandSpec(
    name: "roles",
    abstract:
      "Audit role permissions: who grants what, how two roles differ, the permission matrix.",
    subcommands: [Grants.spec, Diff.spec, Matrix.spec])

  static let formatOption = OptionSpec.option(
    "format", "format", "Output format: table, json, ndjson, csv.")

  /// The source whose records carry role policies.
  static func policySource() throws -> SourceID {
    guard let source = ProviderRegistry.policySource else {
      throw OrgScopeError.usage("no source carries role policies")
    }
    return source
  }

  /// Every role, with its policy, loaded through the paging engine (from the snapshot file
  /// at `snapshot`, when given).
  static func loadRoles(_ common: CommonOptions, snapshot: String?) async throws -> [RolePolicy] {
    if let snapshot {
      let client = try await Snapshots.client(snapshot, for: try policySource())
      var roles: [RolePolicy] = []
      for try await page in client.pages(query: Query()) {
        roles += page.records.compactMap(RolePolicy.init(record:))
      }
      return roles
    }
    let context = try await Context.open(common)
    do {
      let client = try context.client(for: try policySource())
      var roles: [RolePolicy] = []
      for try await page in client.pages(query: Query()) {
        roles += page.records.compactMap(RolePolicy.init(record:))
      }
      await context.shutdown()
      return roles
    } catch {
      await context.shutdown()
      throw error
    }
  }

  /// The width to fit table lines to: the terminal's, or none in a pipe (no line is cut).
  static var tableWidth: Int? { isatty(STDOUT_FILENO) == 1 ? Console.width() : nil }

  static func emit(
    _ format: OutputFormat, json: () -> JSONValue, ndjson: () -> [JSONValue],
    csv: () -> String, table: () -> String
  ) {
    var output = Output()
    switch format {
    case .json: output.write(JSONWriter.pretty(json()) + "\n")
    case .ndjson:
      for item in ndjson() { output.write(JSONWriter.compact(item) + "\n") }
    case .csv: output.write(csv())
    case .table: output.write(table())
    }
    output.flush()
  }

  struct Grants: Subcommand {
    static let path = ["roles", "grants"]
    static let spec = CommandSpec(
      name: "grants",
      abstract:
        "Roles whose effective permissions (allow minus deny) reach QUERY: all of it or some.",
      arguments: [
        ArgumentSpec(
          name: "query",
          help:
            "A permission or pattern: /twilio/billing/invoices/read, /twilio/*/delete ('*' is any run of characters, '/' included; case is ignored)."
        )
      ],
      options: CommonOptions.specs + [formatOption, Snapshots.snapshotOption])

    var common: CommonOptions
    var snapshot: String?
    var query: Glob
    var format: OutputFormat

    init(_ arguments: ParsedArguments) throws {
      common = try CommonOptions(arguments)
      snapshot = arguments.string("snapshot")
      do {
        query = try Glob(query: arguments.arguments[0])
      } catch {
        throw UsageError(message: error.description, command: "orgscope roles grants")
      }
      format = try arguments.choice("format", default: .table)
    }

    func run() async throws {
      let result = RoleAudit.grants(
        query, in: try await Roles.loadRoles(common, snapshot: snapshot))
      Roles.emit(
        format, json: { AuditReport.json(result) }, ndjson: { AuditReport.ndjson(result) },
        csv: { AuditReport.csv(result) },
        table: { AuditReport.text(result, width: Roles.tableWidth) })
    }
  }

  struct Diff: Subcommand {
    static let path = ["roles", "diff"]
    static let spec = CommandSpec(
      name: "diff",
      abstract:
        "How two roles' effective permissions relate (equal, within, incomparable), and the entries whose coverage differs.",
      arguments: [
        ArgumentSpec(name: "first", help: "First role: sid (IX…) or name."),
        ArgumentSpec(name: "second", help: "Second role: sid (IX…) or name."),
      ],
      options: CommonOptions.specs + [formatOption, Snapshots.snapshotOption])

    var common: CommonOptions
    var snapshot: String?
    var first: String
    var second: String
    var format: OutputFormat

    init(_ arguments: ParsedArguments) throws {
      common = try CommonOptions(arguments)
      snapshot = arguments.string("snapshot")
      first = arguments.arguments[0]
      second = arguments.arguments[1]
      format = try arguments.choice("format", default: .table)
    }

    func run() async throws {
      let roles = try await Roles.loadRoles(common, snapshot: snapshot)
      guard let a = RoleAudit.find(first, in: roles) else {
        throw OrgScopeError.usage("no role \"\(first)\"")
      }
      guard let b = RoleAudit.find(second, in: roles) else {
        throw OrgScopeError.usage("no role \"\(second)\"")
      }
      let result = RoleAudit.diff(a, b)
      Roles.emit(
        format, json: { AuditReport.json(result) }, ndjson: { AuditReport.ndjson(result) },
        csv: { AuditReport.csv(result) },
        table: { AuditReport.text(result, width: Roles.tableWidth) })
    }
  }

  struct Matrix: Subcommand {
    static let path = ["roles", "matrix"]
    static let spec = CommandSpec(
      name: "matrix",
      abstract:
        "Every entry written in any role's policy against every role: coverage all, some or none.",
      options: CommonOptions.specs + [
        .option(
          "filter", "text",
          "Keep entries containing this text (with '*': entries that share a permission with it)."
        ),
        .option("roles", "a,b,...", "Only these roles as columns (sids or names)."),
        formatOption, Snapshots.snapshotOption,
      ])

    var common: CommonOptions
    var snapshot: String?
    var filter: String
    var roles: [String]?
    var format: OutputFormat

    init(_ arguments: ParsedArguments) throws {
      common = try CommonOptions(arguments)
      snapshot = arguments.string("snapshot")
      filter = arguments.string("filter") ?? ""
      roles = arguments.string("roles").map {
        $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
          !$0.isEmpty
        }
      }
      format = try arguments.choice("format", default: .table)
    }

    func run() async throws {
      let all = try await Roles.loadRoles(common, snapshot: snapshot)
      var columns: [Int]?
      if let roles {
        columns = try roles.map { key in
          guard let role = RoleAudit.find(key, in: all),
            let index = all.firstIndex(where: { $0.id == role.id })
          else { throw OrgScopeError.usage("no role \"\(key)\"") }
          return index
        }
      }
      var index = PolicyIndex(all)
      let matrix = RoleAudit.matrix(&index, filter: filter, columns: columns)
      Roles.emit(
        format, json: { AuditReport.json(matrix) }, ndjson: { AuditReport.ndjson(matrix) },
        csv: { AuditReport.csv(matrix) },
        table: { AuditReport.text(matrix, width: Roles.tableWidth) })
    }
  }
}
