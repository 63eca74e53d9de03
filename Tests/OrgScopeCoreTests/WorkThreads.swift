import Foundation
import OrgScopeSandbox
import Testing

/// Runs each test of a suite on `ServerExecutor.work`'s threads: for CPU-bound suites
/// (property tests against brute force, fuzzing, hostile role sets). Swift Testing's pool is
/// as wide as the machine (two threads here); seconds of computation on it would hold the
/// tests that wait on a clock (a read timeout, a server's wait for a callback), and they
/// would fail at random (issue 20).
struct OnWorkThreads: SuiteTrait, TestTrait, TestScoping {
  var isRecursive: Bool { true }

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    guard testCase != nil else { return try await function() }
    try await ServerExecutor.work.run { try await function() }
  }
}

extension Trait where Self == OnWorkThreads {
  /// See `OnWorkThreads`.
  static var onWorkThreads: Self { Self() }
}

/// The trait does what it says: a synchronous test of such a suite runs on a work thread
/// (one of NIO's, named so), not on the cooperative pool.
@Suite(.onWorkThreads) struct OnWorkThreadsTests {
  @Test func aSynchronousTestRunsOnAWorkThread() {
    #expect(Thread.current.name?.hasPrefix("NIO-ELT") == true, "\(Thread.current.name ?? "-")")
  }
}
