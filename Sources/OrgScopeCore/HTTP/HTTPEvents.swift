import Foundation

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

/// An event sink made of a closure (the TUI turns events into status messages).
public struct ClosureEventSink: HTTPEventSink {
  private let handler: @Sendable (HTTPEvent) -> Void
  public init(_ handler: @escaping @Sendable (HTTPEvent) -> Void) { self.handler = handler }
  public func record(_ event: HTTPEvent) { handler(event) }
}

/// Sends each event to several sinks (status line and log file).
public struct FanOutEventSink: HTTPEventSink {
  public let sinks: [any HTTPEventSink]
  public init(_ sinks: [any HTTPEventSink]) { self.sinks = sinks }
  public func record(_ event: HTTPEvent) {
    for sink in sinks { sink.record(event) }
  }
}

/// A log file for `--log-file`: one redacted, time-stamped line per event or message.
/// Created with mode 0600 (and set to it if it existed) because it names hosts and paths
/// of the organization.
public final class EventLog: HTTPEventSink, @unchecked Sendable {
  private let lock = NSLock()
  private var descriptor: Int32
  private let redactor: Redactor

  /// Opens (appends to) `path`. Throws `OrgScopeError.configuration` when it cannot.
  public init(path: String, redactor: Redactor) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      let reason = String(cString: strerror(errno))
      throw OrgScopeError.configuration("cannot open log file \(path): \(reason)")
    }
    // In a shared directory (/tmp) another user could have made the file, or a link to
    // one of theirs, to read what is logged: a regular file must be the caller's own.
    var info = stat()
    guard fstat(fd, &info) == 0,
      (info.st_mode & S_IFMT) != S_IFREG || info.st_uid == geteuid()
    else {
      _ = posixClose(fd)
      throw OrgScopeError.configuration(
        "log file \(path) belongs to another user; not writing to it")
    }
    _ = fchmod(fd, 0o600)
    self.descriptor = fd
    self.redactor = redactor
  }

  deinit { close() }

  public func record(_ event: HTTPEvent) { write(event.description) }

  /// Writes one line (redacted, newlines flattened, prefixed with the UTC time).
  public func write(_ message: String) {
    let flat = redactor.redact(message).replacingOccurrences(of: "\n", with: " ")
    let line = EventLog.timestamp(Date()) + " " + flat + "\n"
    lock.lock()
    defer { lock.unlock() }
    guard descriptor >= 0 else { return }
    var bytes = Array(line.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { posixWrite(descriptor, $0.baseAddress, $0.count) }
      if written < 0 && errno == EINTR { continue }
      if written <= 0 { return }
      bytes = bytes.dropFirst(written)
    }
  }

  /// Closes the file; later writes are dropped.
  public func close() {
    lock.lock()
    defer { lock.unlock() }
    if descriptor >= 0 {
      _ = posixClose(descriptor)
      descriptor = -1
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
