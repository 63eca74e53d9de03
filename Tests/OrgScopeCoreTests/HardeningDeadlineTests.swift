import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import OrgScopeCore

/// Issue 15, finding 7: one deadline for a request.
@Suite struct HardeningDeadlineTests {
  // MARK: 6. One deadline

  /// The trial: a slow 503 took 116 s over two attempts against a 60 s budget. Here the
  /// first answer is a quick 503 and the second never finishes its body: the request must
  /// end at the budget (5 s), not at the attempt timeout (100 s, beyond the time limit).
  @Test(.timeLimit(.minutes(10))) func oneDeadlineCoversEveryAttemptAndASlowBody() async throws {
    let options = HTTPTransportOptions(
      connectTimeout: 5, readTimeout: 100, requestTimeout: 100, maxRetries: 4, maxRetryTime: 5,
      baseDelay: 0.01, maxDelay: 0.02)
    try await HostileServer.run(
      answer: { _, _, hit in
        if hit == 1 { return HostileServer.json(.serviceUnavailable, #"{"message":"busy"}"#) }
        let body = ResponseBody { writer in
          // A byte every 50 ms for up to 10 s: a body that does not end within the budget.
          for _ in 0..<200 {
            try await writer.write(ByteBuffer(string: " "))
            try await Task.sleep(for: .milliseconds(50))
          }
          try await writer.finish(nil)
        }
        return Response(status: .serviceUnavailable, body: body)
      }, options: options,
      test: { base, transport, hits in
        do {
          _ = try await transport.send(HTTPRequestSpec(url: base + "/slow"), source: .huawei)
          Issue.record("the slow body was accepted")
        } catch let error as OrgScopeError {
          #expect(error.description.contains("time budget"), "\(error.description)")
        }
        // A loaded machine may not get the second attempt out within the budget.
        #expect((1...2).contains(hits.value))
      })
  }
}
