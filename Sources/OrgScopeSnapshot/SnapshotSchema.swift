import OrgScopeCore

/// The snapshot file's tables, as the README documents them for auditors' `sqlite3` queries.
public enum SnapshotSchema {
  /// Written to `snapshot.schema_version`; a reader refuses a newer one. Older ones are
  /// read as they are: `records` and `snapshot` have not changed, and a file without the
  /// `assignments` table reads as one without role assignments. Version 2 added
  /// `permissions.source` (several sources may carry policies); version 3 the
  /// `assignments` table (the `twilio-users` role assignments).
  public static let version = 3
  /// The first version with the `assignments` table.
  public static let assignmentsVersion = 3

  static let tables = [
    // `json` is the record as `list --format ndjson` prints it: every field, in order.
    "CREATE TABLE records(source TEXT, id TEXT, name TEXT, json TEXT, PRIMARY KEY (source, id))",
    "CREATE TABLE permissions(source TEXT, role_id TEXT, effect TEXT, pattern TEXT)",
    "CREATE TABLE snapshot(key TEXT PRIMARY KEY, value TEXT)",
    // One row per role assignment of the `twilio-users` people: `identity` (a user `US…`)
    // holds `role_sid` in `scope` (the organization `OR…` or an account `AC…`).
    "CREATE TABLE assignments(sid TEXT PRIMARY KEY, identity TEXT, role_sid TEXT, scope TEXT)",
  ]

  /// Created after the rows (cheaper than keeping them up to date row by row). The primary
  /// key already serves `diff` and a record's lookup by (source, id); these serve the name
  /// search and sort, and the role audit from either side.
  static let indexes = [
    "CREATE INDEX records_by_name ON records(source, name)",
    "CREATE INDEX permissions_by_role ON permissions(source, role_id, effect)",
    "CREATE INDEX permissions_by_pattern ON permissions(pattern, effect)",
    "CREATE INDEX assignments_by_identity ON assignments(identity)",
    "CREATE INDEX assignments_by_role ON assignments(role_sid, scope)",
  ]

  /// A file's meta as JSON, keys sorted: counts are numbers (`"count.cloudflare": 1234`,
  /// `"count.assignments"`, `"total.twilio-users"`), the rest text as stored. `snapshot list`
  /// and `snapshot diff` write it so.
  public static func json(meta: [String: String]) -> JSONObject {
    JSONObject(
      meta.sorted { $0.key < $1.key }.map { key, value in
        let counted =
          key.hasPrefix(Key.count("")) || key.hasPrefix(Key.total("")) ? Int(value) : nil
        return JSONObject.Field(
          key: key, value: counted.map { .number(String($0)) } ?? .string(value))
      })
  }

  /// Meta keys of the `snapshot` table.
  public enum Key {
    public static let takenAt = "taken_at"
    public static let version = "orgscope_version"
    public static let profile = "profile"
    public static let schemaVersion = "schema_version"
    public static func count(_ source: String) -> String { "count." + source }
    public static func error(_ source: String) -> String { "error." + source }
    /// With `count` and `error`: how many role assignments were stored, or why none were.
    public static let assignments = "assignments"
    /// Users the server counted beyond those it listed (`totalResults`), with `count`.
    public static func total(_ source: String) -> String { "total." + source }
  }
}
