import Dispatch
import Foundation
import Subprocess
import Synchronization

#if canImport(System)
  import System
#else
  import SystemPackage
#endif

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way orgscope (and its tests) start a program, on swift-subprocess: nothing is
/// inherited but standard input, output and error (the library spawns with
/// `posix_spawn_file_actions_addclosefrom_np` where glibc has it, else closes the rest with
/// `close_range` in its fork path: NIO's sockets are not close-on-exec, and a tmux server
/// forked by the child would keep them open for its whole life), and all the waiting is
/// awaited, never done by blocking a thread of Swift's cooperative pool (the library's
/// own epoll thread watches the pipes and the child's pidfd, and the tasks that read and
/// write run on a queue of `ChildProcess`'s own, not on that pool): `wait()` awaits.
///
/// Output is read while the child runs, so a large output cannot block it; once the child
/// has exited, what is left in the pipes is taken without waiting for end of file (a
/// daemon the child forked, such as a tmux server, may hold the pipe open for good: the
/// library stops reading a dead child's pipes).
public final class ChildProcess: Sendable {
  /// Where the child's standard output or error goes.
  public enum Output: Sendable {
    /// Read into `Result` (at most `maxCapture` bytes; the rest is read and dropped).
    case capture
    /// Read and dropped.
    case discard
  }

  /// How the child ended and what it printed.
  public struct Result: Sendable {
    /// The exit code, or 128 + the signal that ended it (as shells report it); 127 when the
    /// program could not be started after `start` returned (`stderr` says why).
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

  private let state = Mutex(State())

  private enum Phase {
    /// Not spawned yet: the signals asked for so far, sent as soon as it is.
    case starting([Int32])
    /// Running: sends a signal through the library (by pidfd: never to a reused pid).
    case running(@Sendable (Int32) -> Void)
    /// Exited (or never started): signals are no longer sent.
    case ended
  }

  private struct State {
    var phase = Phase.starting([])
    var pid: pid_t?
    var timedOut = false
    var result: Result?
    var waiters: [CheckedContinuation<Result, Never>] = []
  }

  private init() {}

  /// The child's process id, once it has been spawned (the spawn is done on a task of its
  /// own, just after `start` returns).
  public var pid: pid_t? { state.withLock { $0.pid } }

  /// Starts `executable` (a path) with `arguments` (without the program name).
  /// - Parameters:
  ///   - environment: the child's whole environment (nil: this process's).
  ///   - input: written to the child's standard input, which is then closed (nil: /dev/null).
  ///   - timeout: seconds after which the child gets SIGTERM, and SIGKILL 2 s later.
  /// - Throws: `ChildProcessError.startFailed` when `executable` is not an executable file;
  ///   a later failure to spawn it ends in a `Result` with status 127.
  public static func start(
    _ executable: String, arguments: [String] = [], environment: [String: String]? = nil,
    input: [UInt8]? = nil, stdout: Output = .capture, stderr: Output = .capture,
    timeout: Double? = nil
  ) throws -> ChildProcess {
    guard access(executable, X_OK) == 0 else {
      throw ChildProcessError.startFailed(executable, errno)
    }
    let configuration = Subprocess.Configuration(
      executable: .path(FilePath(executable)), arguments: Arguments(arguments),
      environment: environment.map { variables in
        // By name: `.custom([[UInt8]])` (raw "NAME=value" bytes) hands the child garbage
        // past each value in 1.0.2.
        .custom(
          Dictionary(
            uniqueKeysWithValues: variables.map {
              (Environment.Key(stringLiteral: $0.key), $0.value)
            }
          ))
      } ?? .inherit)
    let child = ChildProcess()
    let keep = (stdout == .capture, stderr == .capture)
    let deadline = timeout.map { ContinuousClock.now + .seconds($0) }
    // The library's tasks (and this body's) run on a thread of their own, as the old pump
    // thread did: a busy cooperative pool (CPU-bound work, two threads here) cannot stall
    // the reading, the deadline or the reaping.
    Task.detached(executorPreference: ChildExecutor.shared) {
      let result: Result
      if let input {
        result = await child.execute(
          configuration, input: .inputWriter, keep: keep, deadline: deadline
        ) { execution in
          _ = try? await execution.standardInputWriter.write(input)
          try? await execution.standardInputWriter.finish()
        }
      } else {
        result = await child.execute(
          configuration, input: .none, keep: keep, deadline: deadline, feed: { _ in })
      }
      child.finish(result)
    }
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

  /// Sends `signal` to the child (at once if it runs, as soon as it does if it is being
  /// spawned, nothing once it has exited).
  public func signal(_ signal: Int32) {
    state.withLock { state in
      switch state.phase {
      case .starting(let pending): state.phase = .starting(pending + [signal])
      case .running(let send): send(signal)
      case .ended: break
      }
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
      state.phase = .ended
      state.result = result
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in waiters { waiter.resume(returning: result) }
  }

  private func began(_ pid: pid_t, _ send: @escaping @Sendable (Int32) -> Void) {
    state.withLock { state in
      state.pid = pid
      if case .starting(let pending) = state.phase {
        for signal in pending { send(signal) }
      }
      state.phase = .running(send)
    }
  }

  private enum Part: Sendable {
    case stdout([UInt8])
    case stderr([UInt8])
    case fed
    case timer
  }

  /// Runs the child to its end: feeds its input, reads its output, applies the deadline,
  /// and returns only once it has exited (the library reaps it after the body).
  private func execute<Input: InputProtocol>(
    _ configuration: Subprocess.Configuration, input: Input, keep: (Bool, Bool),
    deadline: ContinuousClock.Instant?,
    feed: @escaping @Sendable (Execution<Input, SequenceOutput, SequenceOutput>) async -> Void
  ) async -> Result {
    do {
      let outcome = try await Subprocess.run(
        configuration, input: input, output: .sequence, error: .sequence
      ) { execution in
        let pid = execution.processIdentifier.value
        began(pid) { signal in try? execution.send(signal: Signal(rawValue: signal)) }
        let output = await withTaskGroup(of: Part.self) { group in
          group.addTask {
            await feed(execution)
            return .fed
          }
          group.addTask { .stdout(await Self.collect(execution.standardOutput, keep: keep.0)) }
          group.addTask { .stderr(await Self.collect(execution.standardError, keep: keep.1)) }
          if let deadline {
            group.addTask {
              guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else {
                return .timer
              }
              self.state.withLock { $0.timedOut = true }
              try? execution.send(signal: .terminate)
              guard (try? await Task.sleep(for: .seconds(2))) != nil else { return .timer }
              try? execution.send(signal: .kill)
              return .timer
            }
          }
          var output: ([UInt8], [UInt8]) = ([], [])
          var left = 3
          while left > 0, let part = await group.next() {
            switch part {
            case .stdout(let bytes): (output.0, left) = (bytes, left - 1)
            case .stderr(let bytes): (output.1, left) = (bytes, left - 1)
            case .fed: left -= 1
            case .timer: break
            }
          }
          // The pipes are closed (or the child is dead); the deadline still holds until it
          // has exited. `execution` is valid only in this body: signals stop here.
          await Self.exited(pid)
          group.cancelAll()
          return output
        }
        state.withLock { $0.phase = .ended }
        return output
      }
      let status: Int32
      switch outcome.terminationStatus {
      case .exited(let code): status = code
      case .signaled(let signal): status = 128 + signal
      }
      return Result(
        status: status, stdout: outcome.closureResult.0, stderr: outcome.closureResult.1,
        timedOut: state.withLock { $0.timedOut })
    } catch {
      return Result(
        status: 127, stdout: [], stderr: Array("\(error)".utf8),
        timedOut: state.withLock { $0.timedOut })
    }
  }

  /// Reads a stream to its end (or the child's), keeping at most `maxCapture` bytes.
  private static func collect(_ stream: SubprocessOutputSequence, keep: Bool) async -> [UInt8] {
    var kept: [UInt8] = []
    do {
      for try await buffer in stream where keep && kept.count < maxCapture {
        buffer.withUnsafeBytes { kept += $0.prefix(maxCapture - kept.count) }
      }
    } catch {}
    return kept
  }

  /// Awaits the child's exit without reaping it (the library does): its pipes can end
  /// before it does. Polled, with a short and then a longer sleep.
  private static func exited(_ pid: pid_t) async {
    var delay = 1
    while !Task.isCancelled {
      var info = siginfo_t()
      let done = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
      if done != 0 && errno != EINTR { return }
      if done == 0 && info.si_signo == SIGCHLD { return }
      try? await Task.sleep(for: .milliseconds(delay))
      delay = min(delay * 2, 20)
    }
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

/// Where `ChildProcess`'s tasks run: one serial queue's thread, never Swift's cooperative
/// pool. Its jobs only read, write and await (the blocking is the library's epoll thread).
private final class ChildExecutor: TaskExecutor, Sendable {
  static let shared = ChildExecutor()
  private let queue = DispatchQueue(label: "orgscope.ChildProcess")

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { job.runSynchronously(on: executor) }
  }
}
