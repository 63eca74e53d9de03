import Foundation
import OrgScopeSandbox
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `--latency` is applied on the connection: answers leave no earlier than the latency after
/// their request was read, in request order, and a close asked for while an answer is held
/// waits for it.
@Suite struct LatencyTests {
  /// A blocking loopback connection, for what AsyncHTTPClient does not do: pipelining, and
  /// watching the close.
  final class RawConnection: @unchecked Sendable {
    let socket: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
      socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      // Generous: on a loaded 2-core machine (CI, builds beside the tests) an answer once
      // took over 10 s to leave; the test is about order and lower bounds, not speed.
      var timeout = timeval(tv_sec: 60, tv_usec: 0)
      setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(socket) }

    func send(_ text: String) {
      let bytes = Array(text.utf8)
      _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
    }

    /// Reads more bytes; false at the end of the stream (or after the 60 s timeout).
    private func fill() -> Bool {
      var buffer = [UInt8](repeating: 0, count: 65_536)
      let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
      guard count > 0 else { return false }
      pending += buffer[..<count]
      return true
    }

    /// One whole response (head and `Content-Length` body): its status and body text.
    func response() -> (status: Int, body: String)? {
      let separator = Array("\r\n\r\n".utf8)
      while true {
        if let end = pending.firstRange(of: separator) {
          let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
          let lines = head.split(separator: "\r\n")
          let status = lines.first.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
          let length =
            lines.dropFirst().compactMap { line -> Int? in
              let parts = line.split(separator: ":", maxSplits: 1)
              guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
              return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
          while pending.count < end.upperBound + length { if !fill() { return nil } }
          let body = String(
            decoding: pending[end.upperBound..<end.upperBound + length], as: UTF8.self)
          pending.removeFirst(end.upperBound + length)
          return (status, body)
        }
        if !fill() { return nil }
      }
    }

    /// True when the server closed the connection (and sent nothing more).
    func closedByServer() -> Bool { !fill() && pending.isEmpty }
  }

  /// What the raw connection saw.
  struct Observed: Sendable {
    var first: (status: Int, body: String)?
    var second: (status: Int, body: String)?
    var third: (status: Int, body: String)?
    var firstAfter: Duration = .zero
    var thirdAfter: Duration = .zero
    var closed = false
  }

  /// Runs blocking socket work on a thread of its own: blocking a thread of the shared
  /// pool could starve the sandbox's own handler tasks when the tests run in parallel.
  static func onThread(_ work: @escaping @Sendable () -> Observed) async -> Observed {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread { continuation.resume(returning: work()) }
    }
  }

  @Test func answersLeaveNoEarlierThanTheLatencyInOrderAndBeforeAClose() async throws {
    let latency = 150
    try await withSandbox(SandboxOptions(accounts: 10, roles: 3, latencyMilliseconds: latency)) {
      sandbox, _ in
      let port = sandbox.port
      let seen = await Self.onThread {
        var seen = Observed()
        guard let connection = try? RawConnection(port: port) else { return seen }
        let host = "Host: 127.0.0.1:\(port)\r\n"
        // Two pipelined requests, then one that asks to close the connection.
        let started = ContinuousClock.now
        connection.send(
          "GET /sendgrid/v3/first HTTP/1.1\r\n\(host)\r\n"
            + "GET /huawei/v1/second HTTP/1.1\r\n\(host)\r\n")
        seen.first = connection.response()
        seen.firstAfter = ContinuousClock.now - started
        seen.second = connection.response()
        let closing = ContinuousClock.now
        connection.send("GET /sendgrid/v3/third HTTP/1.1\r\n\(host)Connection: close\r\n\r\n")
        seen.third = connection.response()
        seen.thirdAfter = ContinuousClock.now - closing
        seen.closed = connection.closedByServer()
        return seen
      }
      let first = try #require(seen.first)
      let second = try #require(seen.second)
      let third = try #require(seen.third)
      #expect(first.status == 404 && first.body.contains("/sendgrid/v3/first"))
      #expect(second.status == 404 && second.body.contains("/huawei/v1/second"))
      #expect(seen.firstAfter >= .milliseconds(latency))
      #expect(third.status == 404 && third.body.contains("/sendgrid/v3/third"))
      #expect(seen.thirdAfter >= .milliseconds(latency))
      #expect(seen.closed)
    }
  }
}
