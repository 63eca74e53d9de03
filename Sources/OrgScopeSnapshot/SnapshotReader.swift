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

  public init(path: String, meta: [String: String], records: [SourceID: [Record]]) {
    self.path = path
    self.meta = meta
    self.records = records
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

  static func displayTime(_ iso: String) -> String {
    // 2026-12-02T11:40:07Z → 2026-12-02 11:40 UTC
    guard iso.count >= 16 else { return iso }
    let date = iso.prefix(10)
    let time = iso.dropFirst(11).prefix(5)
    return "\(date) \(time) UTC"
  }
}

/// Reads snapshot files, read-only: reading never changes or creates a file.
public enum SnapshotReader {
  /// The `snapshot` table alone (fast: for `snapshot list`).
  public static func meta(path: String) async throws -> [String: String] {
    try await withConnection(path) { connection in try await readMeta(connection, path: path) }
  }

  /// Meta and every record of `sources` (all when nil).
  public static func read(path: String, sources: Set<SourceID>? = nil) async throws -> Snapshot {
    try await withConnection(path) { connection in
      let meta = try await readMeta(connection, path: path)
      let collected = Collected()
      do {
        try await connection.query(
          "SELECT source, id, name, json FROM records ORDER BY rowid", []
        ) { row in
          guard let sourceText = row.column("source")?.string,
            let source = SourceID(rawValue: sourceText),
            sources?.contains(source) ?? true,
            let id = row.column("id")?.string, let json = row.column("json")?.string
          else { return }
          collected.add(source, id: id, name: row.column("name")?.string ?? "", json: json)
        }
      } catch {
        throw SnapshotError.notASnapshot(path: path, reason: "\(error)")
      }
      if let failure = collected.failure {
        throw SnapshotError.notASnapshot(path: path, reason: failure)
      }
      return Snapshot(path: path, meta: meta, records: collected.records)
    }
  }

  /// The `file:` URI that opens `path` read-only (`mode=ro`): a missing file is an error,
  /// not a new empty database.
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
    return "file:" + encoded + "?mode=ro"
  }

  private static func withConnection<T: Sendable>(
    _ path: String, _ body: (SQLiteConnection) async throws -> T
  ) async throws -> T {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      !isDirectory.boolValue
    else {
      throw SnapshotError.notASnapshot(path: path, reason: "no such file")
    }
    let connection: SQLiteConnection
    do {
      connection = try await SQLiteConnection.open(storage: .file(path: readOnlyURI(path)))
    } catch {
      throw SnapshotError.notASnapshot(path: path, reason: "\(error)")
    }
    do {
      let result = try await body(connection)
      try? await connection.close()
      return result
    } catch {
      try? await connection.close()
      throw error
    }
  }

  private static func readMeta(_ connection: SQLiteConnection, path: String) async throws
    -> [String: String]
  {
    let rows: [SQLiteRow]
    do {
      rows = try await connection.query("SELECT key, value FROM snapshot", [])
    } catch {
      throw SnapshotError.notASnapshot(path: path, reason: "\(error)")
    }
    var meta: [String: String] = [:]
    for row in rows {
      if let key = row.column("key")?.string { meta[key] = row.column("value")?.string ?? "" }
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
}

/// Rows gathered by the row callback, which runs on SQLite's thread.
private final class Collected: Sendable {
  private struct State {
    var bySource: [SourceID: [Record]] = [:]
    var firstFailure: String?
  }
  private let state = Mutex(State())

  func add(_ source: SourceID, id: String, name: String, json: String) {
    let parsed = try? JSONParser.parse(json)
    state.withLock { state in
      guard let object = parsed?.object else {
        if state.firstFailure == nil {
          state.firstFailure = "record \(source.rawValue)/\(id) is not a JSON object"
        }
        return
      }
      state.bySource[source, default: []].append(Record(id: id, name: name, fields: object))
    }
  }

  var records: [SourceID: [Record]] { state.withLock { $0.bySource } }
  var failure: String? { state.withLock { $0.firstFailure } }
}
