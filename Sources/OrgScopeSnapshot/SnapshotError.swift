import OrgScopeCore

/// Why a snapshot could not be written or read. One line each, with the path; never a
/// credential (the file holds none).
public enum SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The target file exists and `--force` was not given.
  case exists(String)
  /// The file is missing, not a database, or not one orgscope wrote.
  case notASnapshot(path: String, reason: String)
  /// SQLite or the file system failed.
  case storage(path: String, message: String)

  public var description: String {
    switch self {
    case .exists(let path): return "snapshot: \(path) exists (--force replaces it)"
    case .notASnapshot(let path, let reason):
      return "snapshot: \(path) is not an orgscope snapshot: \(reason)"
    case .storage(let path, let message): return "snapshot: \(path): \(message)"
    }
  }

  /// As the command line reports it: a file to choose again is a usage error (exit 2).
  public var orgScopeError: OrgScopeError {
    switch self {
    case .exists, .notASnapshot: return .usage(Sanitizer.clean(description))
    case .storage: return .configuration(Sanitizer.clean(description))
    }
  }
}
