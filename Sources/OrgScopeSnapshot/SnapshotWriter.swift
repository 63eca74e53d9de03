import Foundation
import OrgScopeCore
import SQLiteNIO

/// Writes one snapshot file: into a temporary file beside the target (mode 0600, one
/// transaction, no journal), then renamed over it in one step, so a file at the target path
/// is always whole. An interrupted run leaves at most the temporary file, which the
/// command's signal handler deletes; one left by a kill or a crash is removed by the next
/// snapshot in the folder once it is an hour old (`SnapshotFolder.removeStalePartials`).
///
/// Pages of every source arrive at once from concurrent tasks; the actor takes them one
/// at a time, each page as one multi-row `INSERT`.
public actor SnapshotWriter {
  /// The file the snapshot ends up as.
  public nonisolated let path: String
  /// Where it is written until `finish` renames it.
  public nonisolated let temporaryPath: String
  private let replace: Bool
  private let connection: SQLiteConnection
  private var ids: [SourceID: Set<String>] = [:]
  private var assignmentIDs = Set<String>()
  private var open = true

  /// Rows per `INSERT` (4 values each): a page of 2,000 Huawei accounts in one statement,
  /// well under the bundled SQLite's bound on variables.
  static let rowsPerStatement = 2000

  private init(path: String, temporaryPath: String, replace: Bool, connection: SQLiteConnection) {
    self.path = path
    self.temporaryPath = temporaryPath
    self.replace = replace
    self.connection = connection
  }

  /// Starts a snapshot that will become `path`. Refuses an existing file unless `replace`;
  /// creates the folder (0700) when it is missing. `created` learns the temporary file's
  /// path as soon as it exists (for a signal handler that deletes it).
  public static func create(
    path: String, replace: Bool, created: (String) -> Void = { _ in }
  ) async throws -> SnapshotWriter {
    let manager = FileManager.default
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty, !manager.fileExists(atPath: folder) {
      do {
        try manager.createDirectory(
          atPath: folder, withIntermediateDirectories: true,
          attributes: [.posixPermissions: 0o700])
      } catch {
        throw SnapshotError.storage(path: folder, message: "cannot create the folder: \(error)")
      }
    }
    if !replace, manager.fileExists(atPath: path) { throw SnapshotError.exists(path) }
    // What an interrupted snapshot left here (a kill or a crash skips the cleanup).
    SnapshotFolder.removeStalePartials(in: folder.isEmpty ? "." : folder)
    let name = (path as NSString).lastPathComponent
    let temporary = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(
      ".\(name).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    // Created here, 0600, before SQLite opens it (SQLite takes an empty file as a new one).
    let descriptor = Foundation.open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw SnapshotError.storage(
        path: path, message: "cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    close(descriptor)
    created(temporary)
    do {
      let connection = try await SQLiteConnection.open(storage: .file(path: temporary))
      let writer = SnapshotWriter(
        path: path, temporaryPath: temporary, replace: replace, connection: connection)
      try await writer.prepare()
      return writer
    } catch let error as SnapshotError {
      unlink(temporary)
      throw error
    } catch {
      unlink(temporary)
      throw SnapshotError.storage(path: path, message: "\(error)")
    }
  }

  private func prepare() async throws {
    // The file is not the target until it is renamed: a crash loses nothing worth a journal.
    for statement in [
      "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA page_size = 8192",
      "BEGIN",
    ] + SnapshotSchema.tables {
      try await run(statement)
    }
  }

  private func run(_ sql: String, _ binds: [SQLiteData] = []) async throws {
    do {
      _ = try await connection.query(sql, binds)
    } catch {
      throw SnapshotError.storage(path: path, message: "\(error)")
    }
  }

  /// Stores a page of `source`: each record's JSON as `list --format ndjson` prints it, and
  /// for a record with a role policy (`Provider.policy(of:)`) one `permissions` row per
  /// allow or deny entry. A record id seen before in this source is skipped (a server that
  /// repeats one across pages).
  public func insert(_ records: [Record], source: SourceID) async throws {
    var seen = ids[source, default: []]
    var rows: [SQLiteData] = []
    var permissions: [SQLiteData] = []
    rows.reserveCapacity(records.count * 4)
    var buffer: [UInt8] = []
    let provider = source.descriptor.offlineProvider()
    let policies = provider.capabilities.policies
    for record in records where seen.insert(record.id).inserted {
      buffer.removeAll(keepingCapacity: true)
      JSONWriter.appendCompact(.object(record.fields), to: &buffer)
      rows += [
        .text(source.rawValue), .text(record.id), .text(record.name),
        .text(String(decoding: buffer, as: UTF8.self)),
      ]
      if policies, let policy = provider.policy(of: record) {
        for pattern in policy.allow {
          permissions += [.text(source.rawValue), .text(record.id), .text("allow"), .text(pattern)]
        }
        for pattern in policy.deny {
          permissions += [.text(source.rawValue), .text(record.id), .text("deny"), .text(pattern)]
        }
      }
    }
    ids[source] = seen
    try await insertRows("records(source, id, name, json)", columns: 4, values: rows)
    try await insertRows(
      "permissions(source, role_id, effect, pattern)", columns: 4, values: permissions)
  }

  /// Stores role assignments (an assignment sid seen before is skipped).
  public func insert(_ assignments: [RoleAssignment]) async throws {
    var values: [SQLiteData] = []
    values.reserveCapacity(assignments.count * 4)
    for assignment in assignments where assignmentIDs.insert(assignment.sid).inserted {
      values += [
        .text(assignment.sid), .text(assignment.identity), .text(assignment.roleSID),
        .text(assignment.scope),
      ]
    }
    try await insertRows("assignments(sid, identity, role_sid, scope)", columns: 4, values: values)
  }

  /// Role assignments stored so far.
  public var assignmentCount: Int { assignmentIDs.count }

  private func insertRows(_ table: String, columns: Int, values: [SQLiteData]) async throws {
    let chunk = Self.rowsPerStatement * columns
    var start = 0
    while start < values.count {
      let end = min(values.count, start + chunk)
      let rowCount = (end - start) / columns
      let row = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
      let sql =
        "INSERT OR IGNORE INTO \(table) VALUES "
        + Array(repeating: row, count: rowCount).joined(separator: ",")
      try await run(sql, Array(values[start..<end]))
      start = end
    }
  }

  /// Drops what `source` stored: a source that failed is recorded by its error alone.
  public func discard(_ source: SourceID) async throws {
    try await run("DELETE FROM records WHERE source = ?", [.text(source.rawValue)])
    try await run("DELETE FROM permissions WHERE source = ?", [.text(source.rawValue)])
    ids[source] = nil
    if source == .twilioUsers { try await discardAssignments() }
  }

  /// Drops the role assignments stored (their fetch failed: the file says so instead).
  public func discardAssignments() async throws {
    try await run("DELETE FROM assignments")
    assignmentIDs = []
  }

  /// Records stored so far for `source`.
  public func count(_ source: SourceID) -> Int { ids[source]?.count ?? 0 }

  /// Writes `meta` into the `snapshot` table, builds the indexes, commits, and renames the
  /// file into place (replacing an existing one only when `replace` was asked for).
  public func finish(meta: [String: String]) async throws -> String {
    for (key, value) in meta.sorted(by: { $0.key < $1.key }) {
      try await run(
        "INSERT OR REPLACE INTO snapshot(key, value) VALUES (?, ?)", [.text(key), .text(value)])
    }
    for statement in SnapshotSchema.indexes + ["COMMIT"] { try await run(statement) }
    try await closeConnection()
    let descriptor = Foundation.open(temporaryPath, O_RDONLY | O_CLOEXEC)
    if descriptor >= 0 {
      fsync(descriptor)
      close(descriptor)
    }
    if replace {
      guard rename(temporaryPath, path) == 0 else { throw failure("cannot rename into place") }
    } else {
      // link() fails when the target appeared meanwhile: nothing is ever overwritten.
      guard link(temporaryPath, path) == 0 else {
        let error = errno
        unlink(temporaryPath)
        if error == EEXIST { throw SnapshotError.exists(path) }
        throw SnapshotError.storage(
          path: path, message: "cannot move into place: \(String(cString: strerror(error)))")
      }
      unlink(temporaryPath)
    }
    return path
  }

  private func failure(_ message: String) -> SnapshotError {
    let reason = String(cString: strerror(errno))
    unlink(temporaryPath)
    return .storage(path: path, message: "\(message): \(reason)")
  }

  private func closeConnection() async throws {
    guard open else { return }
    open = false
    do {
      try await connection.close()
    } catch {
      throw SnapshotError.storage(path: path, message: "\(error)")
    }
  }

  /// Gives the snapshot up: closes the file and deletes it.
  public func abandon() async {
    try? await closeConnection()
    unlink(temporaryPath)
  }
}
