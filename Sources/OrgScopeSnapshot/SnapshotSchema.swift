/// The snapshot file's tables, as the README documents them for auditors' `sqlite3` queries.
public enum SnapshotSchema {
  /// Written to `snapshot.schema_version`; a reader refuses a newer one. Older ones are
  /// read as they are: the reader reads `records` and `snapshot` only, which have not
  /// changed. Version 2 added `permissions.source` (several sources may carry policies).
  public static let version = 2

  static let tables = [
    // `json` is the record as `list --format ndjson` prints it: every field, in order.
    "CREATE TABLE records(source TEXT, id TEXT, name TEXT, json TEXT, PRIMARY KEY (source, id))",
    "CREATE TABLE permissions(source TEXT, role_id TEXT, effect TEXT, pattern TEXT)",
    "CREATE TABLE snapshot(key TEXT PRIMARY KEY, value TEXT)",
  ]

  /// Created after the rows (cheaper than keeping them up to date row by row). The primary
  /// key already serves `diff` and a record's lookup by (source, id); these serve the name
  /// search and sort, and the role audit from either side.
  static let indexes = [
    "CREATE INDEX records_by_name ON records(source, name)",
    "CREATE INDEX permissions_by_role ON permissions(source, role_id, effect)",
    "CREATE INDEX permissions_by_pattern ON permissions(pattern, effect)",
  ]

  /// Meta keys of the `snapshot` table.
  public enum Key {
    public static let takenAt = "taken_at"
    public static let version = "orgscope_version"
    public static let profile = "profile"
    public static let schemaVersion = "schema_version"
    public static func count(_ source: String) -> String { "count." + source }
    public static func error(_ source: String) -> String { "error." + source }
  }
}
