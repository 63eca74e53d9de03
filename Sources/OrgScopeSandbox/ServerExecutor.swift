import NIOCore
import NIOPosix

/// Threads of their own for in-process servers (the sandbox, and the tests' loopback
/// servers): a `TaskExecutor` whose jobs run on four NIO threads instead of Swift's
/// cooperative pool.
///
/// The cooperative pool is as wide as the machine (two threads here). Work that holds one
/// of its threads — a CPU-bound test, a synchronous wait — would otherwise also hold every
/// in-process server: a client that wrote its request would then time out waiting for an
/// answer that the server could not compute. A server started under this executor's
/// preference (`Task(executorPreference:)`, `withTaskExecutorPreference`) runs its
/// connection tasks here, and default actors they call run here too (SE-0417).
public final class ServerExecutor: TaskExecutor, Sendable {
  /// The servers' threads: they live as long as the process, as NIO's singleton's do.
  public static let shared = ServerExecutor()
  /// Threads for tests' CPU-bound work (property tests against brute force, hostile role
  /// sets): seconds of computation there hold neither the cooperative pool (which the
  /// tests' clients and waits need) nor the servers' threads.
  public static let work = ServerExecutor()

  private let group: MultiThreadedEventLoopGroup

  private init() {
    group = MultiThreadedEventLoopGroup(numberOfThreads: 4)
  }

  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    group.next().execute { job.runSynchronously(on: executor) }
  }

  /// Runs `body` (and the child tasks it starts) on the server threads.
  public static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    try await shared.run(body)
  }

  /// Runs `body` back on the default executor (the cooperative pool): a test's own steps
  /// inside a server started under `run`, which would otherwise share the servers' threads.
  public static func leave<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    try await withTaskExecutorPreference(globalConcurrentExecutor, operation: body)
  }

  /// Runs `body` (and the child tasks it starts) on this executor's threads.
  public func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    try await withTaskExecutorPreference(self, operation: body)
  }
}
