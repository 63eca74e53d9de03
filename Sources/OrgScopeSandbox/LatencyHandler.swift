import NIOCore
import NIOHTTPTypes

/// `--latency` on the connection itself: an answer's first byte leaves `latency` after its
/// request's head was read off the socket, as if a network round trip stood between them.
///
/// The sandbox's own work (the hop to the handler task, routing, building the page, the hop
/// back) happens within that time, as a remote server's would be hidden in the round trip,
/// so a client's wall time can be set against requests × latency. Work that takes longer
/// than the latency is not cut short: its answer leaves when it is ready.
///
/// It sits after the HTTP codec, on the connection's event loop. HTTP/1 answers in request
/// order, so the due times form a queue; parts of an answer that is not due yet are held,
/// in order, with their promises, and written and flushed when it is.
final class LatencyHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  private let latency: TimeAmount
  /// When each request read and not yet answered may be answered, oldest first.
  private var due = CircularBuffer<NIODeadline>()
  /// Parts written by the application and not passed on yet; a head carries its due time.
  private var held = CircularBuffer<
    (part: HTTPResponsePart, due: NIODeadline?, promise: EventLoopPromise<Void>?)
  >()
  /// A close asked for while parts were held: done after them, so it cannot overtake them.
  private var heldClose: (mode: CloseMode, promise: EventLoopPromise<Void>?)?
  private var timer: Scheduled<Void>?

  init(latency: TimeAmount) {
    self.latency = latency
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if case .head = unwrapInboundIn(data) { due.append(.now() + latency) }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let part = unwrapOutboundIn(data)
    var partDue: NIODeadline?
    if case .head = part { partDue = due.popFirst() }
    if held.isEmpty && (partDue.map { $0 <= .now() } ?? true) {
      context.write(data, promise: promise)
      return
    }
    held.append((part, partDue, promise))
    if timer == nil { release(context: context) }
  }

  /// Passes on the held parts that are due, flushes them, and waits for the next due time.
  private func release(context: ChannelHandlerContext) {
    timer = nil
    var wrote = false
    while let first = held.first {
      if let partDue = first.due, partDue > .now() {
        // On this handler's own event loop: the timer runs where the handler lives.
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: partDue) {
          [weak self] in
          self?.release(context: context)
        }
        break
      }
      held.removeFirst()
      context.write(wrapOutboundOut(first.part), promise: first.promise)
      wrote = true
    }
    if wrote { context.flush() }
    if held.isEmpty, let close = heldClose {
      heldClose = nil
      context.close(mode: close.mode, promise: close.promise)
    }
  }

  func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
    if held.isEmpty || mode == .input {
      context.close(mode: mode, promise: promise)
    } else if let earlier = heldClose {
      // Two closes while held: the wider one wins, both promises are kept.
      let wider: CloseMode = earlier.mode == .all || mode == .all ? .all : mode
      earlier.promise?.futureResult.cascade(to: promise)
      heldClose = (wider, earlier.promise ?? promise)
    } else {
      heldClose = (mode, promise)
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    dropHeld()
    context.fireChannelInactive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    dropHeld()
  }

  /// The connection is gone: nothing held will be written.
  private func dropHeld() {
    timer?.cancel()
    timer = nil
    while let part = held.popFirst() { part.promise?.fail(ChannelError.ioOnClosedChannel) }
    heldClose?.promise?.succeed()
    heldClose = nil
    due.removeAll()
  }
}
