import Foundation
import OrgScopeCore

/// `orgscope roles …`: the audit questions, answered over every role of twilio-roles.
enum Roles {
  static let spec = CommandSpec(
    name: "roles",
    abstract:
      "Audit role permissions: who grants what, how two roles differ, the permission matrix.",
    subcommands: [Grants.spec, Diff.spec, Matrix.spec])

  static let formatOption = OptionSpec.option(
    "format", "format", "Output format: table, json, ndjson, csv.")

  /// Every role, with its policy, loaded through the paging engine.
  static func loadRoles(_ common: CommonOptions) async throws -> [RolePolicy] {
    let context = try Context(common: common)
    do {
      let client = try context.client(for: .twilioRoles)
      var roles: [RolePolicy] = []
      for try await page in client.pages(query: Query(expand: true)) {
        roles += page.records.compactMap(RolePolicy.init(record:))
      }
      await context.shutdown()
      return roles
    } catch {
      await context.shutdown()
      throw error
    }
  }

  static func emit(
    _ format: OutputFormat, json: () -> JSONValue, csv: () -> String, table: () -> String
  ) {
    var output = Output()
    switch format {
    case .json: output.write(JSONWriter.pretty(json()) + "\n")
    case .ndjson:
      if case .array(let items) = json() {
        for item in items { output.write(JSONWriter.compact(item) + "\n") }
      } else {
        output.write(JSONWriter.compact(json()) + "\n")
      }
    case .csv: output.write(csv())
    case .table: output.write(table())
    }
    output.flush()
  }

  struct Grants: Command {
    static let path = ["roles", "grants"]
    static let spec = CommandSpec(
      name: "grants",
      abstract: "Roles whose allow list grants PERMISSION (wildcards allowed), minus denies.",
      arguments: [
        ArgumentSpec(
          name: "permission",
          help: "A permission such as /twilio/billing/invoices/read or /twilio/billing/*.")
      ],
      options: CommonOptions.specs + [formatOption])

    var common: CommonOptions
    var permission: String
    var format: OutputFormat

    init(_ arguments: ParsedArguments) throws {
      common = CommonOptions(arguments)
      permission = arguments.arguments[0]
      format = try arguments.choice("format", default: .table)
    }

    func run() async throws {
      let result = RoleAudit.grants(permission, in: try await Roles.loadRoles(common))
      Roles.emit(
        format, json: { AuditReport.json(result) }, csv: { AuditReport.csv(result) },
        table: { AuditReport.text(result, width: Terminal.width()) })
    }
  }

  struct Diff: Command {
    static let path = ["roles", "diff"]
    static let spec = CommandSpec(
      name: "diff",
      abstract: "What one role allows or denies that the other does not (by sid or name).",
      arguments: [
        ArgumentSpec(name: "first", help: "First role: sid (IX…) or name."),
        ArgumentSpec(name: "second", help: "Second role: sid (IX…) or name."),
      ],
      options: CommonOptions.specs + [formatOption])

    var common: CommonOptions
    var first: String
    var second: String
    var format: OutputFormat

    init(_ arguments: ParsedArguments) throws {
      common = CommonOptions(arguments)
      first = arguments.arguments[0]
      second = arguments.arguments[1]
      format = try arguments.choice("format", default: .table)
    }

    func run() async throws {
      let roles = try await Roles.loadRoles(common)
      guard let a = RoleAudit.find(first, in: roles) else {
        throw OrgScopeError.usage("no role \"\(first)\"")
      }
      guard let b = RoleAudit.find(second, in: roles) else {
        throw OrgScopeError.usage("no role \"\(second)\"")
      }
      let result = RoleAudit.diff(a, b)
      Roles.emit(
        format, json: { AuditReport.json(result) }, csv: { AuditReport.csv(result) },
        table: { AuditReport.text(result, width: Terminal.width()) })
    }
  }

  struct Matrix: Command {
    static let path = ["roles", "matrix"]
    static let spec = CommandSpec(
      name: "matrix",
      abstract: "Every permission any role allows, with the number of roles granting it.",
      options: CommonOptions.specs + [
        .option(
          "filter", "text", "Keep permissions containing this text (or matching it, with *)."),
        formatOption,
      ])

    var common: CommonOptions
    var filter: String
    var format: OutputFormat

    init(_ arguments: ParsedArguments) throws {
      common = CommonOptions(arguments)
      filter = arguments.string("filter") ?? ""
      format = try arguments.choice("format", default: .table)
    }

    func run() async throws {
      let rows = RoleAudit.matrix(try await Roles.loadRoles(common), filter: filter)
      Roles.emit(
        format, json: { AuditReport.json(rows) }, csv: { AuditReport.csv(rows) },
        table: { AuditReport.text(rows, width: Terminal.width()) })
    }
  }
}
