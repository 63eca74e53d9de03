import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Closes a connection that does not send a complete request in time: from when it opens,
/// and again from the end of each answer (which makes it the idle timeout between
/// requests too). A slowloris client, trickling a head a byte at a time, cannot hold the
/// connection: the clock runs until the request is whole, its body included, however many
/// bytes arrive (a body that never completes held a connection forever).
///
/// It sits after the HTTP codec, so it sees request heads and answer ends.
final class HeaderTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  private let timeout: TimeAmount
  private var timer: Scheduled<Void>?
  /// Requests whose head arrived and whose answer has not ended.
  private var open = 0

  init(timeout: TimeAmount) { self.timeout = timeout }

  func handlerAdded(context: ChannelHandlerContext) {
    if context.channel.isActive { arm(context: context) }
  }

  func channelActive(context: ChannelHandlerContext) {
    arm(context: context)
    context.fireChannelActive()
  }

  func handlerRemoved(context: ChannelHandlerContext) { disarm() }

  func channelInactive(context: ChannelHandlerContext) {
    disarm()
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head: open += 1
    // The request is whole: its answer may take what it takes (unless it was answered
    // already, and the idle clock runs).
    case .end: if open > 0 { disarm() }
    case .body: break
    }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    guard case .end = unwrapOutboundIn(data) else {
      context.write(data, promise: promise)
      return
    }
    open = max(0, open - 1)
    guard open == 0 else {
      context.write(data, promise: promise)
      return
    }
    // The clock starts when the answer has left, not when its end was queued: a large
    // answer to a slow reader may take longer than the timeout to drain.
    let written = promise ?? context.eventLoop.makePromise(of: Void.self)
    let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
    written.futureResult.assumeIsolated().whenComplete { _ in
      let (handler, context) = loopBound.value
      if handler.open == 0, context.channel.isActive { handler.arm(context: context) }
    }
    context.write(data, promise: written)
  }

  private func arm(context: ChannelHandlerContext) {
    disarm()
    let loop = context.eventLoop.assumeIsolated()
    let channel = context.channel
    timer = loop.scheduleTask(in: timeout) {
      channel.close(promise: nil)
    }
  }

  private func disarm() {
    timer?.cancel()
    timer = nil
  }
}

/// At most `limit` open connections: Hummingbird stops accepting while it is reached (new
/// connections wait in the kernel's listen backlog), and `log` gets one line each time the
/// limit is reached.
struct ConnectionCap: AvailableConnectionsDelegate {
  let limit: Int
  let log: @Sendable (String) -> Void
  var count = 0

  init(limit: Int, log: @escaping @Sendable (String) -> Void) {
    self.limit = max(1, limit)
    self.log = log
  }

  mutating func connectionOpened() {
    count += 1
    if count == limit {
      log(
        "sandbox: \(limit) connections open, the limit; new connections wait until one closes")
    }
  }

  mutating func connectionClosed() { count -= 1 }

  func isAcceptingNewConnections() -> Bool { count < limit }
}
