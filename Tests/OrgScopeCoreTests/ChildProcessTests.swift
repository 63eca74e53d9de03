import Foundation
import OrgScopeCore
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `ChildProcess` on swift-subprocess: what its callers rely on (status, capture, input,
/// deadline, signals) and what it promises about descriptors and daemons.
@Suite(.serialized) struct ChildProcessTests {
  static let shell = "/bin/sh"

  @Test func theStatusIsTheExitCodeOr128PlusTheSignal() async throws {
    #expect(try await ChildProcess.run(Self.shell, arguments: ["-c", "exit 3"]).status == 3)
    let killed = try await ChildProcess.run(Self.shell, arguments: ["-c", "kill -TERM $$"])
    #expect(killed.status == 128 + SIGTERM)
    #expect(!killed.timedOut)
  }

  @Test func inputIsFedWhileOutputAndErrorAreRead() async throws {
    let input = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
    let result = try await ChildProcess.run(
      Self.shell, arguments: ["-c", "cat; echo done >&2"], input: input)
    #expect(result.status == 0)
    #expect(result.stdout == input)
    #expect(result.stderrText == "done\n")
  }

  @Test func captureIsBoundedAndTheRestIsReadAndDropped() async throws {
    let size = ChildProcess.maxCapture + 1_000_000
    let result = try await ChildProcess.run(
      "/usr/bin/head", arguments: ["-c", String(size), "/dev/zero"], stderr: .discard)
    #expect(result.status == 0)
    #expect(result.stdout.count == ChildProcess.maxCapture)
  }

  @Test func aChildPastItsDeadlineIsTerminated() async throws {
    let start = ContinuousClock.now
    let result = try await ChildProcess.run(
      Self.shell, arguments: ["-c", "exec sleep 30"], timeout: 0.3)
    #expect(result.timedOut)
    #expect(result.status == 128 + SIGTERM)
    #expect(ContinuousClock.now - start < .seconds(20))
  }

  @Test func aSignalSentRightAfterStartReachesTheChild() async throws {
    let child = try ChildProcess.start(Self.shell, arguments: ["-c", "exec sleep 30"])
    child.signal(SIGKILL)
    #expect(await child.wait().status == 128 + SIGKILL)
  }

  @Test func aProgramThatCannotRunIsAnError() {
    #expect(throws: ChildProcessError.self) {
      try ChildProcess.start("/nonexistent/orgscope-no-such-program")
    }
  }

  /// A daemon the child leaves behind (as `tmux new-session` leaves its server) may keep
  /// the output pipe open: the wait ends with the child, not with the pipe.
  @Test func aDaemonHoldingThePipeDoesNotHoldTheWait() async throws {
    let start = ContinuousClock.now
    let result = try await ChildProcess.run(
      Self.shell, arguments: ["-c", "sleep 30 & echo hi"], timeout: 30)
    #expect(result.status == 0)
    #expect(result.stdoutText == "hi\n")
    #expect(ContinuousClock.now - start < .seconds(20))
  }

  /// Nothing is inherited but 0, 1 and 2, even a descriptor that is not close-on-exec.
  @Test func onlyTheStandardDescriptorsAreInherited() async throws {
    let open = Glibc.open("/dev/null", O_RDONLY)
    #expect(open > 2)
    defer { close(open) }
    let result = try await ChildProcess.run(Self.shell, arguments: ["-c", "ls /proc/$$/fd"])
    #expect(result.status == 0)
    #expect(result.stdoutText.split(separator: "\n").sorted() == ["0", "1", "2"])
  }

  /// A child that exits without reading its input: the writing stops, the status stands.
  @Test func aChildThatReadsNoInputEndsNormally() async throws {
    let input = [UInt8](repeating: 65, count: 4_000_000)
    let result = try await ChildProcess.run(Self.shell, arguments: ["-c", "exit 4"], input: input)
    #expect(result.status == 4)
  }
}
