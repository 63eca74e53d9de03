import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOHTTP2

/// A response whose status line holds a code below 100: not HTTP, and an error here.
///
/// AsyncHTTPClient 1.37.0 takes every head below 200 for an informational one, drops it and
/// then stops the process on a precondition when the response's body or end arrives
/// (`HTTPRequestStateMachine.receivedHTTPResponseEnd`, issue 22 finding 2). Its HTTP/1 and
/// HTTP/2 connections each accept one initializer with the channel, called after the
/// library's own handlers are in place and before a request is written: the guard sits
/// there, right after the decoder, and turns such a head into this error before the library
/// sees it (SECURITY.md, "A status line of 000–099").
public struct InvalidStatusLine: Error, Sendable, Hashable, CustomStringConvertible {
  public var code: Int
  public var description: String {
    "the server's status line is not HTTP (status \(code < 10 ? "00" : code < 100 ? "0" : "")\(code))"
  }
}

/// Installs `StatusLineGuard` on the connections of a client made with `configuration`.
enum StatusLineGuards {
  static func install(on configuration: inout HTTPClient.Configuration) {
    // Where the decoder is not found (a later version of the library), the connection goes
    // on unguarded rather than failing every request; HTTPTests find both decoders.
    configuration.http1_1ConnectionDebugInitializer = { channel in
      channel.eventLoop.submit {
        let pipeline = channel.pipeline.syncOperations
        guard
          let decoder = try? pipeline.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self)
        else { return }
        try pipeline.addHandler(StatusLineGuard(), position: .after(decoder))
      }
    }
    configuration.http2StreamChannelDebugInitializer = { channel in
      channel.eventLoop.submit {
        let pipeline = channel.pipeline.syncOperations
        guard let codec = try? pipeline.handler(type: HTTP2FramePayloadToHTTP1ClientCodec.self)
        else { return }
        try pipeline.addHandler(StatusLineGuard(), position: .after(codec))
      }
    }
  }
}

/// Between the HTTP decoder and AsyncHTTPClient's handler: passes every response part on,
/// unless the head's code is below 100; then the request fails with `InvalidStatusLine`, the
/// connection closes and nothing more of that response reaches the library.
final class StatusLineGuard: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPClientResponsePart
  typealias InboundOut = HTTPClientResponsePart

  private var refused = false

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard !refused else { return }
    if case .head(let head) = unwrapInboundIn(data), head.status.code < 100 {
      refused = true
      context.fireErrorCaught(InvalidStatusLine(code: Int(head.status.code)))
      context.close(promise: nil)
      return
    }
    context.fireChannelRead(data)
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    guard !refused else { return }
    context.fireChannelReadComplete()
  }
}
