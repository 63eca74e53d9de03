import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import OrgScopeSandbox
import Testing

@testable import OrgScopeCore

/// A loopback server that answers every request with `answer`, counting requests: the
/// hostile servers of issue 15's trial (echoing secrets, paging forever, answering slowly).
enum HostileServer {
  static func run(
    answer:
      @escaping @Sendable (_ path: String, _ query: String, _ hit: Int) async throws ->
      Response,
    options: HTTPTransportOptions = HTTPTransportOptions(maxRetries: 0),
    secrets: [String] = [],
    test body:
      @Sendable (_ base: String, _ transport: HTTPClientTransport, _ hits: Counter)
      async throws -> Void
  ) async throws {
    let hits = Counter()
    let responder = CallbackResponder<BasicRequestContext> { request, _ in
      let hit = hits.increment()
      return try await answer(request.uri.path, request.uri.query ?? "", hit)
    }
    let app = Application(responder: responder)
    try await ServerExecutor.run {
      try await app.test(.live) { client in
        // The test's own steps back on the cooperative pool: the server's threads serve.
        try await ServerExecutor.leave {
          let port = try #require(client.port)
          let transport = HTTPClientTransport(
            options: options, environment: [:], redactor: Redactor(secrets: secrets))
          do {
            try await body("http://127.0.0.1:\(port)", transport, hits)
          } catch {
            await transport.shutdown()
            throw error
          }
          await transport.shutdown()
        }
      }
    }
  }

  static func json(
    _ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = [:]
  ) -> Response {
    var fields = headers
    fields[.contentType] = "application/json"
    return Response(
      status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  @discardableResult func increment() -> Int {
    lock.withLock {
      count += 1
      return count
    }
  }
  var value: Int { lock.withLock { count } }
}

/// The clients of every registered source on `base`, in registry order, each built by its
/// descriptor from a configuration that sets every variable: base URLs to `base`, every
/// secret to `token` (Twilio then uses it as a ready access token), other text to `OR1`.
func everySource(base: String, transport: any HTTPTransport, token: String) throws
  -> [SourceClient]
{
  var values: [String: String] = [:]
  for setting in ProviderRegistry.settings {
    switch setting.kind {
    case .baseURL: values[setting.name] = base
    case .secret: values[setting.name] = token
    case .text: values[setting.name] = "OR1"
    case .choice(let words): values[setting.name] = words.first
    }
  }
  return try Configuration(values: values).makeSources(transport: transport).map { setup in
    guard let client = setup.client else {
      throw OrgScopeError.usage("\(setup.source) is not ready with every variable set")
    }
    return client
  }
}

/// The client of `source` among `everySource`.
func oneSource(
  _ source: SourceID, base: String, transport: any HTTPTransport, token: String = "t0123456789"
) throws -> SourceClient {
  try #require(
    try everySource(base: base, transport: transport, token: token).first {
      $0.source == source
    })
}

/// Scratch files for one test.
enum Scratch {
  static func directory() throws -> String {
    let dir = NSTemporaryDirectory() + "orgscope-hardening-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  static func configFile(_ text: String, mode: mode_t = 0o600) throws -> String {
    let path = try directory() + "/config.toml"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    chmod(path, mode)
    return path
  }
}

/// A loopback server below HTTP: every connection's first bytes are answered with `reply`,
/// as written (a status line no HTTP server library would send, such as `099`).
enum RawServer {
  static func run(
    reply: String, test body: @Sendable (_ base: String) async throws -> Void
  ) async throws {
    let channel = try await ServerBootstrap(group: HTTPClientTransport.loop)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(Answer(reply: reply))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    let port = try #require(channel.localAddress?.port)
    do {
      try await body("http://127.0.0.1:\(port)")
    } catch {
      try? await channel.close()
      throw error
    }
    try await channel.close()
  }

  private final class Answer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reply: String
    var answered = false
    init(reply: String) { self.reply = reply }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      guard !answered else { return }
      answered = true
      context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply)), promise: nil)
    }
  }
}
