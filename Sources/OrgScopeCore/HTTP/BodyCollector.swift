import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Collects a response on its event loop: the body is gathered there, within the size limit,
/// and handed over once, instead of crossing threads chunk by chunk.
final class BodyCollector: HTTPClientResponseDelegate, @unchecked Sendable {
  typealias Response = HTTPResponseData
  private let source: SourceID
  private let limit: Int
  private let sent: Once
  // Touched on the request's event loop only.
  private var head: HTTPResponseHead?
  private var body: [UInt8] = []

  init(source: SourceID, limit: Int, sent: Once) {
    self.source = source
    self.limit = limit
    self.sent = sent
  }

  func didSendRequest(task: HTTPClient.Task<Response>) {
    sent.run()
  }

  func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead)
    -> EventLoopFuture<Void>
  {
    self.head = head
    if let length = head.headers.first(name: "content-length").flatMap(Int.init) {
      guard length <= limit else {
        return task.eventLoop.makeFailedFuture(
          OrgScopeError.invalidResponse(
            source: source, status: Int(head.status.code),
            message: "response body of \(length) bytes is larger than the \(limit)-byte limit"))
      }
      body.reserveCapacity(length)
    }
    return task.eventLoop.makeSucceededVoidFuture()
  }

  func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer)
    -> EventLoopFuture<Void>
  {
    guard body.count + buffer.readableBytes <= limit else {
      return task.eventLoop.makeFailedFuture(
        OrgScopeError.invalidResponse(
          source: source, status: Int(head?.status.code ?? 0),
          message: "response body is larger than the \(limit)-byte limit"))
    }
    body.append(contentsOf: buffer.readableBytesView)
    return task.eventLoop.makeSucceededVoidFuture()
  }

  func didFinishRequest(task: HTTPClient.Task<Response>) throws -> HTTPResponseData {
    guard let head else { throw HTTPClientError.remoteConnectionClosed }
    return HTTPResponseData(
      status: Int(head.status.code), headers: head.headers.map { Header($0.name, $0.value) },
      body: body)
  }
}
