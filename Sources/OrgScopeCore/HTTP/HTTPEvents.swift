import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Something the HTTP layer did, for the TUI status line and `--log-file`. The target is
/// origin and path only: a query can hold a secret, headers always do.
public struct HTTPEvent: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// A request went out (`attempt` counts from 1).
    case sent(attempt: Int)
    /// An answer arrived.
    case received(status: Int, bytes: Int)
    /// The request will be sent again after `delay` seconds.
    case retrying(reason: String, delay: Double, attempt: Int)
    /// No more retries: the count or the time budget ran out.
    case gaveUp(reason: String)
    /// The request failed without an answer (after any retries).
    case failed(reason: String)
  }

  public var source: SourceID
  public var method: String
  /// `scheme://host[:port]/path`, never the query.
  public var target: String
  public var kind: Kind

  public init(source: SourceID, method: String, target: String, kind: Kind) {
    self.source = source
    self.method = method
    self.target = target
    self.kind = kind
  }

  public var description: String {
    let head = "\(source.rawValue) \(method) \(target)"
    switch kind {
    case .sent(let attempt):
      return attempt == 1 ? "\(head): sent" : "\(head): sent (attempt \(attempt))"
    case .received(let status, let bytes):
      return "\(head): HTTP \(status), \(bytes) bytes"
    case .retrying(let reason, let delay, let attempt):
      let seconds = String(format: "%.1f", delay)
      return "\(head): \(reason); retrying in \(seconds)s (attempt \(attempt))"
    case .gaveUp(let reason):
      return "\(head): gave up: \(reason)"
    case .failed(let reason):
      return "\(head): failed: \(reason)"
    }
  }
}

/// Receives HTTP events. Called from any task, so it must not block for long.
public protocol HTTPEventSink: Sendable {
  func record(_ event: HTTPEvent)
}

/// A log file for `--log-file`: one redacted, time-stamped line per event or message.
/// Created with mode 0600 (and set to it if it existed) because it names hosts and paths
/// of the organization.
public final class EventLog: HTTPEventSink, Sendable {
  /// The open file; -1 once closed.
  private let descriptor: Mutex<Int32>
  private let redactor: Redactor

  /// Opens (appends to) `path`. Throws `OrgScopeError.configuration` when it cannot or
  /// must not: in a shared directory (/tmp) another user may have planted a link to one of
  /// their files (or to one of root's), a FIFO that would block every write, or a file
  /// they can read. So the last component is never followed (`O_NOFOLLOW`), the open never
  /// blocks (`O_NONBLOCK`), a new file is created exclusively (`O_EXCL`, mode 0600), and an
  /// existing one is checked after it is open (`fstat`): a regular file, with one link,
  /// owned by the effective user, and no permission for group or others.
  public init(path: String, redactor: Redactor) throws {
    let flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
    func refuse(_ why: String) -> OrgScopeError {
      .configuration("log file \(path): \(why); not writing to it")
    }
    var fd = open(path, flags | O_CREAT | O_EXCL, 0o600)
    var created = fd >= 0
    if fd < 0 && errno == EEXIST {
      fd = open(path, flags)
      created = false
    }
    guard fd >= 0 else {
      switch errno {
      case ELOOP: throw refuse("it is a symbolic link")
      case ENXIO: throw refuse("it is not a regular file (a FIFO or socket)")
      default: throw refuse(String(cString: strerror(errno)))
      }
    }
    var info = stat()
    let problem: String? =
      if fstat(fd, &info) != 0 {
        "cannot check it (\(String(cString: strerror(errno))))"
      } else if (info.st_mode & S_IFMT) != S_IFREG {
        "it is not a regular file"
      } else if info.st_uid != geteuid() {
        "it belongs to another user"
      } else if info.st_nlink > 1 {
        "it has other hard links"
      } else if !created && info.st_mode & 0o077 != 0 {
        "group or others have access to it (mode \(String(info.st_mode & 0o777, radix: 8))); "
          + "chmod 600 it or choose a new file"
      } else {
        nil
      }
    if let problem {
      _ = posixClose(fd)
      throw refuse(problem)
    }
    self.descriptor = Mutex(fd)
    self.redactor = redactor
  }

  deinit { close() }

  public func record(_ event: HTTPEvent) { write(event.description) }

  /// Writes one line (redacted, newlines flattened, prefixed with the UTC time).
  public func write(_ message: String) {
    let flat = redactor.redact(message).replacingOccurrences(of: "\n", with: " ")
    let line = EventLog.timestamp(Date()) + " " + flat + "\n"
    descriptor.withLock { descriptor in
      guard descriptor >= 0 else { return }
      var bytes = Array(line.utf8)[...]
      while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { posixWrite(descriptor, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return }
        bytes = bytes.dropFirst(written)
      }
    }
  }

  /// Closes the file; later writes are dropped.
  public func close() {
    descriptor.withLock { descriptor in
      if descriptor >= 0 {
        _ = posixClose(descriptor)
        descriptor = -1
      }
    }
  }

  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }
}

// `write` and `close` are shadowed by the methods above; these name the C functions.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  write(fd, buffer, count)
}

private func posixClose(_ fd: Int32) -> Int32 {
  close(fd)
}
