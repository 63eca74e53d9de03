import Foundation
import OrgScopeCore

/// The data folder's snapshots (`snapshot list`) and the unfinished files an interrupted
/// snapshot leaves there (a kill or a crash skips the cleanup): `snapshot list` reports
/// them, and the next snapshot in that folder removes those older than `staleAge`.
public enum SnapshotFolder {
  /// An unfinished file older than this is stale: no snapshot takes that long.
  public static let staleAge: TimeInterval = 3600
  /// Names of a folder looked at, at most (a folder is read in one go).
  public static let maxEntries = 10_000

  /// A temporary file of `SnapshotWriter`: `.NAME.partial-PID-RANDOM`.
  public struct Partial: Sendable, Hashable {
    public var path: String
    /// Seconds since it was last written.
    public var age: TimeInterval
    public var isStale: Bool { age >= SnapshotFolder.staleAge }
  }

  /// One `.db` file of the folder: its meta, or why it is not a snapshot.
  public struct Entry: Sendable {
    public var path: String
    public var meta: [String: String]?
    public var problem: String?
  }

  /// What `snapshot list` shows.
  public struct Listing: Sendable {
    public var folder: String
    public var entries: [Entry]
    public var partials: [Partial]
    /// The folder held more names than `maxEntries`; the rest were not looked at.
    public var truncated: Bool
  }

  static func isPartialName(_ name: String) -> Bool {
    name.hasPrefix(".") && name.contains(".partial-")
  }

  /// The names in `folder` (at most `maxEntries`), and whether there were more.
  static func names(in folder: String) -> (names: [String], truncated: Bool) {
    guard let directory = opendir(folder) else { return ([], false) }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      guard names.count < maxEntries else { return (names, true) }
      names.append(name)
    }
    return (names, false)
  }

  /// The newest snapshot of `profile` in `folder` (by the time it was taken), if any: what
  /// `latest` names on the command line, and where completion reads role and user names.
  public static func newest(in folder: String, profile: String) async -> String? {
    await list(folder).entries.last { $0.meta?[SnapshotSchema.Key.profile] == profile }?.path
  }

  /// The unfinished snapshot files in `folder`: regular files only (a link is not followed).
  public static func partials(in folder: String, now: Date = Date()) -> [Partial] {
    names(in: folder).names.filter(isPartialName).sorted().compactMap { name in
      let path = (folder as NSString).appendingPathComponent(name)
      var info = stat()
      guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
      let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
      return Partial(path: path, age: max(0, now.timeIntervalSince1970 - modified))
    }
  }

  /// Removes the stale unfinished files of `folder` that belong to this user; returns
  /// their paths.
  @discardableResult
  public static func removeStalePartials(in folder: String, now: Date = Date()) -> [String] {
    partials(in: folder, now: now).filter(\.isStale).compactMap { partial in
      var info = stat()
      guard lstat(partial.path, &info) == 0, info.st_uid == geteuid(),
        unlink(partial.path) == 0
      else { return nil }
      return partial.path
    }
  }

  /// The `.db` files of `folder` with their meta (read defensively: a FIFO or a crafted
  /// file is an entry with its problem), sorted by time taken, and the unfinished files.
  public static func list(_ folder: String, now: Date = Date()) async -> Listing {
    let (names, truncated) = names(in: folder)
    var entries: [Entry] = []
    for name in names where name.hasSuffix(".db") && !name.hasPrefix(".") {
      let path = (folder as NSString).appendingPathComponent(name)
      do {
        entries.append(Entry(path: path, meta: try await SnapshotReader.meta(path: path)))
      } catch let error as SnapshotError {
        if case .notASnapshot(_, let reason) = error {
          entries.append(Entry(path: path, problem: reason))
        } else {
          entries.append(Entry(path: path, problem: error.description))
        }
      } catch {
        entries.append(Entry(path: path, problem: "\(error)"))
      }
    }
    entries.sort {
      ($0.meta?[SnapshotSchema.Key.takenAt] ?? "", $0.path)
        < ($1.meta?[SnapshotSchema.Key.takenAt] ?? "", $1.path)
    }
    return Listing(
      folder: folder, entries: entries, partials: partials(in: folder, now: now),
      truncated: truncated)
  }
}

extension SnapshotFolder.Listing {
  /// A header, then one line per snapshot (time, profile, counts, file) in aligned
  /// columns, then one per unfinished file. Everything read from a file is shown with its
  /// control characters made visible.
  public var table: String {
    func show(_ text: String) -> String { Sanitizer.visible(text) }
    var rows = [["Taken at", "Profile", "Records", "File"]]
    for entry in entries {
      guard let meta = entry.meta else {
        rows.append([
          "?", "-", "",
          "\(show(entry.path)) (not an orgscope snapshot: \(show(entry.problem ?? "unreadable")))",
        ])
        continue
      }
      let names = SourceID.allCases.map(\.rawValue) + [SnapshotSchema.Key.assignments]
      let counts = names.compactMap { name -> String? in
        if let count = meta[SnapshotSchema.Key.count(name)].flatMap(Int.init) {
          return "\(name) \(count.formatted)"
        }
        if meta[SnapshotSchema.Key.error(name)] != nil { return "\(name) failed" }
        return nil
      }
      rows.append([
        show(meta[SnapshotSchema.Key.takenAt] ?? "?"),
        show(meta[SnapshotSchema.Key.profile] ?? "?"),
        counts.joined(separator: ", "), show(entry.path),
      ])
    }
    var out = ""
    if rows.count > 1 {
      // The file last and whole: it is what a reader copies.
      var widths = [0, 0, 0]
      for row in rows {
        for column in widths.indices {
          widths[column] = max(widths[column], DisplayWidth.of(row[column]))
        }
      }
      for row in rows {
        let padded = widths.indices.map {
          row[$0] + String(repeating: " ", count: widths[$0] - DisplayWidth.of(row[$0]))
        }
        out += (padded + [row[3]]).joined(separator: "  ") + "\n"
      }
    }
    for partial in partials { out += partial.line + "\n" }
    if truncated {
      out +=
        "(only the first \(SnapshotFolder.maxEntries.formatted) names of the folder were read)\n"
    }
    return out
  }

  /// An array of objects: each snapshot's path and meta (or `error`), then each
  /// unfinished file (`unfinished: true`, its age in seconds, whether it is stale).
  public var json: JSONValue {
    var items: [JSONValue] = entries.map { entry in
      var object = JSONObject(["path": .string(entry.path)])
      if let meta = entry.meta {
        for field in SnapshotSchema.json(meta: meta).fields { object[field.key] = field.value }
      } else {
        object["error"] = .string("not an orgscope snapshot: \(entry.problem ?? "unreadable")")
      }
      return .object(object)
    }
    items += partials.map { partial in
      .object(
        JSONObject([
          "path": .string(partial.path), "unfinished": .bool(true),
          "age_seconds": .number(String(Int(partial.age))), "stale": .bool(partial.isStale),
        ]))
    }
    return .array(items)
  }
}

extension SnapshotFolder.Partial {
  /// `unfinished: PATH (3 h old: left by an interrupted snapshot; the next one removes it)`.
  public var line: String {
    let minutes = Int(age / 60)
    let old = minutes >= 120 ? "\(minutes / 60) h" : "\(minutes) min"
    let why =
      isStale
      ? "left by an interrupted snapshot; the next snapshot removes it"
      : "a snapshot in progress, or an interrupted one"
    return "unfinished: \(Sanitizer.visible(path)) (\(old) old: \(why))"
  }
}
