import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way orgscope (and its tests) start a program: `posix_spawn`, with nothing
/// inherited but standard input, output and error (every other descriptor is closed in the
/// child: NIO's sockets are not close-on-exec, and a tmux server forked by the child would
/// keep them open for its whole life), and the waiting done on a thread of its own, never
/// on Swift's cooperative pool: `wait()` awaits.
///
/// Output is read while the child runs, so a large output cannot block it; once the child
/// has exited, what is left in the pipes is taken without waiting for end of file (a
/// daemon the child forked, such as a tmux server, may hold the pipe open for good).
public final class ChildProcess: Sendable {
  /// Where the child's standard output or error goes.
  public enum Output: Sendable {
    /// Read into `Result` (at most `maxCapture` bytes; the rest is read and dropped).
    case capture
    /// `/dev/null`.
    case discard
  }

  /// How the child ended and what it printed.
  public struct Result: Sendable {
    /// The exit code, or 128 + the signal that ended it (as shells report it).
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// Whether it was still running at the deadline (and was then terminated).
    public var timedOut: Bool

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
  }

  /// Bytes kept of each captured stream; more is read (so the child never blocks) and dropped.
  public static let maxCapture = 64 << 20

  /// The child's process id.
  public let pid: pid_t
  private let state = Mutex(State())

  private struct State {
    var result: Result?
    var waiters: [CheckedContinuation<Result, Never>] = []
  }

  private init(pid: pid_t) {
    self.pid = pid
  }

  /// Starts `executable` (a path) with `arguments` (without the program name).
  /// - Parameters:
  ///   - environment: the child's whole environment (nil: this process's).
  ///   - input: written to the child's standard input, which is then closed (nil: /dev/null).
  ///   - timeout: seconds after which the child gets SIGTERM, and SIGKILL 2 s later.
  public static func start(
    _ executable: String, arguments: [String] = [], environment: [String: String]? = nil,
    input: [UInt8]? = nil, stdout: Output = .capture, stderr: Output = .capture,
    timeout: Double? = nil
  ) throws -> ChildProcess {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var parentEnds: [Int32] = []
    var childEnds: [Int32] = []
    defer { for fd in childEnds { close(fd) } }
    func makePipe() throws -> (read: Int32, write: Int32) {
      var ends: [Int32] = [0, 0]
      guard pipe(&ends) == 0 else {
        for fd in parentEnds { close(fd) }
        throw ChildProcessError.startFailed(executable, errno)
      }
      _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
      _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
      return (ends[0], ends[1])
    }
    var inputEnd: Int32 = -1
    if input != nil {
      let ends = try makePipe()
      posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
      childEnds.append(ends.read)
      parentEnds.append(ends.write)
      inputEnd = ends.write
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    var outputEnds: [Int32] = [-1, -1]
    for (index, output) in [stdout, stderr].enumerated() {
      let target = Int32(index + 1)
      switch output {
      case .discard:
        posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
      case .capture:
        let ends = try makePipe()
        posix_spawn_file_actions_adddup2(&actions, ends.write, target)
        childEnds.append(ends.write)
        parentEnds.append(ends.read)
        outputEnds[index] = ends.read
      }
    }
    closeFrom(3, &actions)
    let argv = [executable] + arguments
    var cArguments = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    var cEnvironment: [UnsafeMutablePointer<CChar>?]? = environment.map { variables in
      variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
    }
    defer { for pointer in cEnvironment ?? [] { free(pointer) } }
    var pid: pid_t = 0
    let spawned: Int32
    if cEnvironment != nil {
      spawned = posix_spawn(&pid, executable, &actions, nil, &cArguments, &cEnvironment!)
    } else {
      spawned = posix_spawn(&pid, executable, &actions, nil, &cArguments, environ)
    }
    guard spawned == 0 else {
      for fd in parentEnds { close(fd) }
      throw ChildProcessError.startFailed(executable, spawned)
    }
    let child = ChildProcess(pid: pid)
    let pump = Pump(
      pid: pid, input: input ?? [], inputEnd: inputEnd, outputEnds: outputEnds,
      deadline: timeout.map { monotonicSeconds() + $0 })
    Thread.detach { child.finish(pump.run()) }
    return child
  }

  /// Starts the program and awaits its end.
  public static func run(
    _ executable: String, arguments: [String] = [], environment: [String: String]? = nil,
    input: [UInt8]? = nil, stdout: Output = .capture, stderr: Output = .capture,
    timeout: Double? = nil
  ) async throws -> Result {
    try await start(
      executable, arguments: arguments, environment: environment, input: input, stdout: stdout,
      stderr: stderr, timeout: timeout
    ).wait()
  }

  /// Sends `signal` to the child (nothing once it has been reaped).
  public func signal(_ signal: Int32) {
    state.withLock { state in
      if state.result == nil { _ = kill(pid, signal) }
    }
  }

  /// Awaits the child's end, without holding a thread.
  public func wait() async -> Result {
    await withCheckedContinuation { continuation in
      let done = state.withLock { state -> Result? in
        if let result = state.result { return result }
        state.waiters.append(continuation)
        return nil
      }
      if let done { continuation.resume(returning: done) }
    }
  }

  private func finish(_ result: Result) {
    let waiters = state.withLock { state in
      state.result = result
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in waiters { waiter.resume(returning: result) }
  }

  private typealias AddCloseFrom =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

  /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at run time: the
  /// Glibc module does not declare it. Without it, each descriptor up to a bound is closed.
  private static func closeFrom(_ first: Int32, _ actions: inout posix_spawn_file_actions_t) {
    if let symbol = dlsym(
      UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    {
      let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
      if addCloseFrom(&actions, first) == 0 { return }
    }
    for fd in first..<1024 { posix_spawn_file_actions_addclose(&actions, fd) }
  }
}

public enum ChildProcessError: Error, CustomStringConvertible {
  case startFailed(String, Int32)

  public var description: String {
    switch self {
    case .startFailed(let path, let code):
      return "\(path) did not start: \(String(cString: strerror(code)))"
    }
  }
}

func monotonicSeconds() -> Double {
  Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// Feeds the child's input, drains its output and reaps it, on a thread of its own.
private struct Pump: Sendable {
  let pid: pid_t
  let input: [UInt8]
  var inputEnd: Int32
  var outputEnds: [Int32]
  let deadline: Double?

  func run() -> ChildProcess.Result {
    var inputEnd = self.inputEnd
    var outputEnds = self.outputEnds
    var captured: [[UInt8]] = [[], []]
    var written = 0
    var timedOut = false
    var killAt: Double?
    var status: Int32 = 0
    var buffer = [UInt8](repeating: 0, count: 65_536)
    if inputEnd >= 0 { _ = fcntl(inputEnd, F_SETFL, O_NONBLOCK) }
    for fd in outputEnds where fd >= 0 { _ = fcntl(fd, F_SETFL, O_NONBLOCK) }

    func drain(_ index: Int) {
      while outputEnds[index] >= 0 {
        let count = buffer.withUnsafeMutableBytes {
          read(outputEnds[index], $0.baseAddress, $0.count)
        }
        if count > 0 {
          if captured[index].count < ChildProcess.maxCapture {
            captured[index] +=
              buffer[0..<min(count, ChildProcess.maxCapture - captured[index].count)]
          }
          continue
        }
        if count == 0 || (errno != EAGAIN && errno != EINTR) {
          close(outputEnds[index])
          outputEnds[index] = -1
        }
        return
      }
    }

    while true {
      var reaped: Int32 = 0
      let done = waitpid(pid, &reaped, WNOHANG)
      if done == pid {
        status = Self.exitStatus(reaped)
        break
      }
      if done == -1 && errno != EINTR {
        status = -1
        break
      }
      let now = monotonicSeconds()
      if let deadline, now >= deadline, !timedOut {
        timedOut = true
        kill(pid, SIGTERM)
        killAt = now + 2
      }
      if let at = killAt, now >= at {
        kill(pid, SIGKILL)
        killAt = nil
      }
      var fds: [pollfd] = []
      if inputEnd >= 0 { fds.append(pollfd(fd: inputEnd, events: Int16(POLLOUT), revents: 0)) }
      for fd in outputEnds where fd >= 0 {
        fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
      }
      // A short wait: the child's exit is noticed by `waitpid`, not by a descriptor.
      _ = poll(&fds, nfds_t(fds.count), 10)
      if inputEnd >= 0 {
        if written < input.count {
          let count = input[written...].withUnsafeBytes {
            write(inputEnd, $0.baseAddress, $0.count)
          }
          if count > 0 {
            written += count
          } else if count < 0 && errno != EAGAIN && errno != EINTR {
            written = input.count
          }
        }
        if written >= input.count {
          close(inputEnd)
          inputEnd = -1
        }
      }
      drain(0)
      drain(1)
    }
    if inputEnd >= 0 { close(inputEnd) }
    drain(0)
    drain(1)
    for fd in outputEnds where fd >= 0 { close(fd) }
    return ChildProcess.Result(
      status: status, stdout: captured[0], stderr: captured[1], timedOut: timedOut)
  }

  static func exitStatus(_ raw: Int32) -> Int32 {
    let signal = raw & 0x7F
    return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
  }
}

extension Thread {
  /// A plain thread for blocking work, outside Swift's cooperative pool.
  fileprivate static func detach(_ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.start()
  }
}
