import Foundation
import OrgScopeCore
import SQLiteNIO
import Synchronization

/// A snapshot read back: its meta rows and the records of each source, in the order the
/// provider listed them.
public struct Snapshot: Sendable {
  public var path: String
  public var meta: [String: String]
  public var records: [SourceID: [Record]]
  /// The role assignments of the `twilio-users` people, in the order they were fetched;
  /// nil when the file has no `assignments` table (taken before schema version 3) or they
  /// were not read.
  public var assignments: [RoleAssignment]?

  public init(
    path: String, meta: [String: String], records: [SourceID: [Record]],
    assignments: [RoleAssignment]? = nil
  ) {
    self.path = path
    self.meta = meta
    self.records = records
    self.assignments = assignments
  }

  /// `taken_at`, as written (UTC, ISO 8601).
  public var takenAt: String { meta[SnapshotSchema.Key.takenAt] ?? "" }

  /// The sources the snapshot holds (a source whose fetch failed is not among them).
  public var sources: [SourceID] {
    SourceID.allCases.filter { meta[SnapshotSchema.Key.count($0.rawValue)] != nil }
  }

  /// Why a source is not in the snapshot: its recorded error, or that it was not taken.
  public func absence(of source: SourceID) -> String? {
    if meta[SnapshotSchema.Key.count(source.rawValue)] != nil { return nil }
    if let error = meta[SnapshotSchema.Key.error(source.rawValue)] {
      return "\(SourceSetup.notInSnapshot): \(error)"
    }
    return "\(SourceSetup.notInSnapshot) (it was not configured when the snapshot was taken)"
  }

  /// "2026-12-02 11:40 UTC", for titles.
  public var takenAtText: String { Self.displayTime(takenAt) }

  /// The warning of a diff from this snapshot (OLD) to `new` when this one was taken later:
  /// its added and removed then read the other way round. Nil when they are in order, or
  /// when either time cannot be read.
  public func laterThan(_ new: Snapshot) -> String? {
    let format = ISO8601DateFormatter()
    guard let old = format.date(from: takenAt), let newer = format.date(from: new.takenAt),
      old > newer
    else { return nil }
    return
      "warning: OLD (taken \(takenAtText)) is newer than NEW (taken \(new.takenAtText)): what is listed as added was removed since, and the other way round"
  }

  static func displayTime(_ iso: String) -> String {
    // 2026-12-02T11:40:07Z → 2026-12-02 11:40 UTC
    guard iso.count >= 16 else { return iso }
    let date = iso.prefix(10)
    let time = iso.dropFirst(11).prefix(5)
    return "\(date) \(time) UTC"
  }
}

/// Reads snapshot files, read-only: reading never changes or creates a file. A snapshot may
/// come from anyone (a file handed over for an audit), so it is read defensively: only a
/// regular file is opened (a FIFO is refused without blocking); the file's own objects
/// must be plain tables (a view, a trigger, a virtual table or a generated column is
/// refused before anything is read: they would run the file's own SQL); every value is
/// read by its length (a NUL inside an id stays in it); every read is bounded in rows,
/// bytes per value and time; and the meta text is cleaned of control characters.
public enum SnapshotReader {
  /// The bounds of one read.
  public struct Limits: Sendable, Hashable {
    /// Records of one source (the paging engine's cap for a live list).
    public var maxRecordsPerSource: Int
    /// Bytes of one value (a record's JSON: the transport's limit on a whole page).
    public var maxValueBytes: Int
    /// Rows of the `snapshot` table and objects of the schema.
    public var maxMetaRows: Int
    /// Rows of the `assignments` table.
    public var maxAssignments: Int
    /// How long one query may run, checked on every row it reads.
    public var queryTime: Duration

    public init(
      maxRecordsPerSource: Int = PagingEngine.defaultRecordCap,
      maxValueBytes: Int = 32 << 20, maxMetaRows: Int = 10_000,
      maxAssignments: Int = PagingEngine.defaultRecordCap, queryTime: Duration = .seconds(60)
    ) {
      self.maxRecordsPerSource = maxRecordsPerSource
      self.maxValueBytes = maxValueBytes
      self.maxMetaRows = maxMetaRows
      self.maxAssignments = maxAssignments
      self.queryTime = queryTime
    }
  }

  /// The `snapshot` table alone (fast: for `snapshot list`).
  public static func meta(path: String, limits: Limits = Limits()) async throws -> [String: String]
  {
    try await withConnection(path, limits) { connection, _ in
      try await readMeta(connection, path: path, limits: limits)
    }
  }

  /// Meta and every record of `sources` (all when nil).
  public static func read(
    path: String, sources: Set<SourceID>? = nil, limits: Limits = Limits()
  ) async throws -> Snapshot {
    try await withConnection(path, limits) { connection, tables in
      let meta = try await readMeta(connection, path: path, limits: limits)
      let collected = Collected(limits: limits)
      // The row bound is in the query as well: past it SQLite stops reading.
      let rowLimit = limits.maxRecordsPerSource * SourceID.allCases.count + 1
      do {
        try await connection.query(
          """
          SELECT CAST(source AS BLOB) AS source, CAST(id AS BLOB) AS id,
            CAST(name AS BLOB) AS name, CAST(json AS BLOB) AS json
          FROM records WHERE orgscope_budget() ORDER BY rowid LIMIT ?
          """, [.integer(rowLimit)]
        ) { row in
          guard let sourceText = text(row.column("source")),
            let source = SourceID(rawValue: sourceText),
            sources?.contains(source) ?? true
          else { return }
          collected.add(
            source, id: row.column("id"), name: row.column("name"), json: row.column("json"))
        }
      } catch {
        throw SnapshotError.notASnapshot(path: path, reason: reason(error, limits))
      }
      if let failure = collected.failure {
        throw SnapshotError.notASnapshot(path: path, reason: failure)
      }
      var assignments: [RoleAssignment]?
      if tables.contains(assignmentsTable), sources?.contains(.twilioUsers) ?? true {
        assignments = try await readAssignments(connection, path: path, limits: limits)
      }
      return Snapshot(
        path: path, meta: meta, records: collected.records, assignments: assignments)
    }
  }

  /// The role assignments of a file (its `twilio-users` people, with the records the
  /// audit reads beside them): nil when the file has no `assignments` table.
  public static func peopleDirectory(path: String, limits: Limits = Limits()) async throws
    -> PeopleDirectory?
  {
    try await read(path: path, limits: limits).peopleDirectory()
  }

  /// Every row of `assignments`, bounded in rows, bytes per value and time, read by length.
  private static func readAssignments(
    _ connection: SQLiteConnection, path: String, limits: Limits
  ) async throws -> [RoleAssignment] {
    let rows: [SQLiteRow]
    do {
      rows = try await connection.query(
        """
        SELECT CAST(sid AS BLOB) AS sid, CAST(identity AS BLOB) AS identity,
          CAST(role_sid AS BLOB) AS role_sid, CAST(scope AS BLOB) AS scope
        FROM assignments WHERE orgscope_budget() ORDER BY rowid LIMIT ?
        """, [.integer(limits.maxAssignments + 1)])
    } catch {
      throw SnapshotError.notASnapshot(path: path, reason: reason(error, limits))
    }
    guard rows.count <= limits.maxAssignments else {
      throw SnapshotError.notASnapshot(
        path: path, reason: "more than \(limits.maxAssignments.formatted) role assignments")
    }
    var assignments: [RoleAssignment] = []
    assignments.reserveCapacity(rows.count)
    for row in rows {
      let values = ["sid", "identity", "role_sid", "scope"].map { row.column($0) }
      for value in values {
        if case .blob(let buffer)? = value, buffer.readableBytes > limits.maxValueBytes {
          throw SnapshotError.notASnapshot(
            path: path, reason: "a role assignment is larger than \(limits.maxValueBytes) bytes")
        }
      }
      let texts = values.map { text($0) ?? "" }
      guard !texts[0].isEmpty else { continue }
      assignments.append(
        RoleAssignment(sid: texts[0], roleSID: texts[2], scope: texts[3], identity: texts[1]))
    }
    return assignments
  }

  /// The `file:` URI that opens `path` read-only (`mode=ro`: a missing file is an error,
  /// not a new empty database) and as immutable (`immutable=1`: SQLite takes no lock and
  /// looks for no `-journal` or `-wal` file beside it, where a FIFO could wait).
  static func readOnlyURI(_ path: String) -> String {
    let absolute =
      path.hasPrefix("/")
      ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    var encoded = ""
    for scalar in absolute.unicodeScalars {
      switch scalar {
      case "%": encoded += "%25"
      case "?": encoded += "%3F"
      case "#": encoded += "%23"
      default: encoded.unicodeScalars.append(scalar)
      }
    }
    return "file:" + encoded + "?mode=ro&immutable=1"
  }

  /// Opens `path` without blocking and checks, on that descriptor, that it is a regular
  /// file; SQLite then opens that same file (`/proc/self/fd/N` where there is one, so the
  /// path cannot be swapped in between). Returns the descriptor, kept open while reading.
  static func openRegularFile(_ path: String) throws -> (descriptor: Int32, sqlitePath: String) {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    guard descriptor >= 0 else {
      let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
      throw SnapshotError.notASnapshot(path: path, reason: reason)
    }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw SnapshotError.notASnapshot(path: path, reason: "not a regular file")
    }
    let procPath = "/proc/self/fd/\(descriptor)"
    var linked = stat()
    if stat(procPath, &linked) == 0, linked.st_ino == info.st_ino, linked.st_dev == info.st_dev {
      return (descriptor, procPath)
    }
    return (descriptor, path)
  }

  private static func withConnection<T: Sendable>(
    _ path: String, _ limits: Limits,
    _ body: (SQLiteConnection, _ optionalTables: Set<String>) async throws -> T
  ) async throws -> T {
    let (descriptor, sqlitePath) = try openRegularFile(path)
    defer { close(descriptor) }
    let connection: SQLiteConnection
    do {
      connection = try await SQLiteConnection.open(storage: .file(path: readOnlyURI(sqlitePath)))
    } catch {
      throw SnapshotError.notASnapshot(path: path, reason: reason(error, limits))
    }
    do {
      let tables = try await guardConnection(connection, path: path, limits: limits)
      let result = try await body(connection, tables)
      try? await connection.close()
      return result
    } catch {
      try? await connection.close()
      throw error
    }
  }

  /// Objects of the schema besides tables and their indexes: a snapshot has none.
  static let refusedTypes: Set<String> = ["view", "trigger"]
  /// The tables read, with their columns.
  static let expectedTables: [String: Set<String>] = [
    "records": ["source", "id", "name", "json"], "snapshot": ["key", "value"],
  ]
  static let assignmentsTable = "assignments"
  /// Tables read when the file has them (older files do not), checked like the others.
  static let optionalTables: [String: Set<String>] = [
    assignmentsTable: ["sid", "identity", "role_sid", "scope"]
  ]

  /// Schema functions restricted (`trusted_schema=OFF`), the connection unable to write,
  /// the time budget installed, and the schema checked: the tables read are plain tables
  /// with the expected columns, and the file holds no view and no trigger. Returns the
  /// optional tables the file has.
  private static func guardConnection(
    _ connection: SQLiteConnection, path: String, limits: Limits
  ) async throws -> Set<String> {
    let budget = Budget(limits.queryTime)
    do {
      for pragma in ["PRAGMA trusted_schema = OFF", "PRAGMA query_only = ON"] {
        _ = try await connection.query(pragma, [])
      }
      try await connection.install(
        customFunction: SQLiteCustomFunction("orgscope_budget", argumentCount: 0) { _ in
          try budget.check()
          return 1
        })
    } catch {
      throw SnapshotError.notASnapshot(path: path, reason: reason(error, limits))
    }
    var objects: [(type: String, name: String, sql: String)] = []
    do {
      let rows = try await connection.query(
        """
        SELECT CAST(type AS BLOB) AS type, CAST(name AS BLOB) AS name, CAST(sql AS BLOB) AS sql
        FROM sqlite_master LIMIT ?
        """, [.integer(limits.maxMetaRows + 1)])
      for row in rows {
        objects.append(
          (
            text(row.column("type")) ?? "", text(row.column("name")) ?? "",
            text(row.column("sql")) ?? ""
          ))
      }
    } catch {
      throw SnapshotError.notASnapshot(path: path, reason: reason(error, limits))
    }
    if objects.count > limits.maxMetaRows {
      throw SnapshotError.notASnapshot(
        path: path, reason: "more than \(limits.maxMetaRows) schema objects")
    }
    if let refused = objects.first(where: { refusedTypes.contains($0.type.lowercased()) }) {
      throw SnapshotError.notASnapshot(
        path: path,
        reason:
          "it holds a \(Sanitizer.visible(refused.type)) (\(Sanitizer.visible(refused.name))); a snapshot has tables only"
      )
    }
    var present = Set<String>()
    let wanted =
      expectedTables.map { ($0.key, $0.value, true) }
      + optionalTables.map { ($0.key, $0.value, false) }
    for (table, columns, required) in wanted.sorted(by: { $0.0 < $1.0 }) {
      guard let object = objects.first(where: { $0.name.lowercased() == table }) else {
        if required { throw SnapshotError.notASnapshot(path: path, reason: "no \(table) table") }
        continue
      }
      try await checkTable(
        connection, table: table, columns: columns, object: object, path: path, limits: limits)
      if !required { present.insert(table) }
    }
    return present
  }

  /// `object` is a plain table with exactly `columns`, none generated.
  private static func checkTable(
    _ connection: SQLiteConnection, table: String, columns: Set<String>,
    object: (type: String, name: String, sql: String), path: String, limits: Limits
  ) async throws {
    let words = object.sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
      .prefix(2).map { $0.uppercased() }
    guard object.type.lowercased() == "table", words == ["CREATE", "TABLE"] else {
      throw SnapshotError.notASnapshot(
        path: path, reason: "\(table) is not a plain table")
    }
    var found: [String] = []
    do {
      let rows = try await connection.query(
        "SELECT CAST(name AS BLOB) AS name, hidden FROM pragma_table_xinfo(?) LIMIT 100",
        [.text(table)])
      for row in rows {
        // Hidden columns are generated (computed by the file's own expression).
        if row.column("hidden")?.integer != 0 {
          throw SnapshotError.notASnapshot(
            path: path, reason: "\(table) has a generated column; a snapshot has none")
        }
        found.append((text(row.column("name")) ?? "").lowercased())
      }
    } catch let error as SnapshotError {
      throw error
    } catch {
      throw SnapshotError.notASnapshot(path: path, reason: reason(error, limits))
    }
    guard Set(found) == columns, found.count == columns.count else {
      throw SnapshotError.notASnapshot(
        path: path,
        reason: "\(table) does not have the columns \(columns.sorted().joined(separator: ", "))")
    }
  }

  private static func readMeta(_ connection: SQLiteConnection, path: String, limits: Limits)
    async throws -> [String: String]
  {
    let rows: [SQLiteRow]
    do {
      rows = try await connection.query(
        """
        SELECT CAST(key AS BLOB) AS key, CAST(value AS BLOB) AS value
        FROM snapshot WHERE orgscope_budget() LIMIT ?
        """, [.integer(limits.maxMetaRows + 1)])
    } catch {
      throw SnapshotError.notASnapshot(path: path, reason: reason(error, limits))
    }
    guard rows.count <= limits.maxMetaRows else {
      throw SnapshotError.notASnapshot(
        path: path, reason: "more than \(limits.maxMetaRows) rows in the snapshot table")
    }
    var meta: [String: String] = [:]
    for row in rows {
      guard let key = text(row.column("key")) else { continue }
      let value = text(row.column("value")) ?? ""
      guard key.utf8.count <= limits.maxValueBytes, value.utf8.count <= limits.maxValueBytes
      else {
        throw SnapshotError.notASnapshot(
          path: path, reason: "a snapshot value is larger than \(limits.maxValueBytes) bytes")
      }
      // Ours, never a provider's: no control character belongs in it, and it is printed.
      meta[Sanitizer.clean(key)] = Sanitizer.clean(value)
    }
    guard meta[SnapshotSchema.Key.takenAt] != nil else {
      throw SnapshotError.notASnapshot(path: path, reason: "no taken_at")
    }
    if let version = meta[SnapshotSchema.Key.schemaVersion].flatMap(Int.init),
      version > SnapshotSchema.version
    {
      throw SnapshotError.notASnapshot(
        path: path, reason: "schema version \(version) is newer than this orgscope reads")
    }
    return meta
  }

  /// A value read by its length: a blob (the queries cast text to one) decoded as UTF-8,
  /// so a NUL inside it stays; nil for NULL.
  static func text(_ data: SQLiteData?) -> String? {
    switch data {
    case .blob(let buffer)?: return String(decoding: buffer.readableBytesView, as: UTF8.self)
    case .text(let text)?: return text
    case .integer(let number)?: return String(number)
    case .float(let number)?: return String(number)
    case .null?, nil: return nil
    }
  }

  /// An SQLite error in one line, saying so when it was the time budget.
  static func reason(_ error: Error, _ limits: Limits) -> String {
    let text = Sanitizer.clean("\(error)")
    if text.contains(Budget.message) {
      return "reading took longer than \(limits.queryTime.components.seconds)s; stopped"
    }
    return text
  }
}

/// The time one read may take, checked by `orgscope_budget()` on every row a query reads
/// (sqlite-nio has no progress handler; a function that throws stops the statement).
final class Budget: Sendable {
  static let message = "orgscope read budget exceeded"
  struct Exceeded: Error, CustomStringConvertible {
    var description: String { Budget.message }
  }
  private let deadline: ContinuousClock.Instant

  init(_ time: Duration) { deadline = .now + time }

  func check() throws {
    if ContinuousClock.now >= deadline { throw Exceeded() }
  }
}

/// Rows gathered by the row callback, which runs on SQLite's thread.
private final class Collected: Sendable {
  private struct State {
    var bySource: [SourceID: [Record]] = [:]
    var firstFailure: String?
  }
  private let state = Mutex(State())
  private let limits: SnapshotReader.Limits

  init(limits: SnapshotReader.Limits) { self.limits = limits }

  func add(_ source: SourceID, id: SQLiteData?, name: SQLiteData?, json: SQLiteData?) {
    let bytes = [id, name, json].map { data -> Int in
      if case .blob(let buffer)? = data { return buffer.readableBytes }
      return 0
    }
    guard bytes.allSatisfy({ $0 <= limits.maxValueBytes }) else {
      fail("a record of \(source.rawValue) is larger than \(limits.maxValueBytes) bytes")
      return
    }
    guard let id = SnapshotReader.text(id), let json = SnapshotReader.text(json) else { return }
    let name = SnapshotReader.text(name) ?? ""
    let full = state.withLock { state in
      state.firstFailure != nil
        || state.bySource[source, default: []].count >= limits.maxRecordsPerSource
    }
    if full {
      fail("more than \(limits.maxRecordsPerSource.formatted) records of \(source.rawValue)")
      return
    }
    let parsed = try? JSONParser.parse(json)
    state.withLock { state in
      guard let object = parsed?.object else {
        if state.firstFailure == nil {
          state.firstFailure =
            "record \(source.rawValue)/\(Sanitizer.visible(id)) is not a JSON object"
        }
        return
      }
      state.bySource[source, default: []].append(Record(id: id, name: name, fields: object))
    }
  }

  private func fail(_ message: String) {
    state.withLock { state in
      if state.firstFailure == nil { state.firstFailure = message }
    }
  }

  var records: [SourceID: [Record]] { state.withLock { $0.bySource } }
  var failure: String? { state.withLock { $0.firstFailure } }
}
