import NIOCore
import NIOPosix

/// Threads of their own for in-process servers (the sandbox, and the tests' loopback
/// servers): a `TaskExecutor` whose jobs run on two NIO threads instead of Swift's
/// cooperative pool.
///
/// The cooperative pool is as wide as the machine (two threads here). Work that holds one
/// of its threads — a CPU-bound test, a synchronous wait — would otherwise also hold every
/// in-process server: a client that wrote its request would then time out waiting for an
/// answer that the server could not compute. A server started under this executor's
/// preference (`Task(executorPreference:)`, `withTaskExecutorPreference`) runs its
/// connection tasks here, and default actors they call run here too (SE-0417).
public final class ServerExecutor: TaskExecutor, Sendable {
  /// The one instance: its threads live as long as the process, as NIO's singleton's do.
  public static let shared = ServerExecutor()

  private let group: MultiThreadedEventLoopGroup

  private init() {
    group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
  }

  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    group.next().execute { job.runSynchronously(on: executor) }
  }

  /// Runs `body` (and the child tasks it starts) on the server threads.
  public static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    try await withTaskExecutorPreference(shared, operation: body)
  }
}
