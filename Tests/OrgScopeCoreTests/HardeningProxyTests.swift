import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import OrgScopeCore

/// Issue 15, finding 9: proxies that cannot be used, and a 407.
@Suite struct HardeningProxyTests {
  // MARK: 8. Proxies

  @Test(arguments: [
    ("https_proxy", "socks5://user:proxypassword@proxy.corp:1080", "socks5"),
    ("HTTPS_PROXY", "http://user:proxypassword@proxy.corp:99999", "port"),
    ("HTTP_PROXY", "http://user:proxypassword@proxy.corp:port", "port"),
    ("https_proxy", "https://user:proxypassword@proxy.corp:3128", "https://"),
    ("HTTPS_PROXY", "http://user:proxypassword@[bad", "proxy URL"),
  ])
  func anUnusableProxyVariableIsAnErrorNamingIt(name: String, value: String, reason: String)
    async throws
  {
    let settings = ProxySettings(environment: [name: value])
    let problem = try #require(settings.problems.first)
    #expect(problem.hasPrefix(name + ": "), "\(problem)")
    #expect(problem.contains(reason), "\(problem)")
    #expect(!problem.contains("proxypassword"))
    #expect(throws: OrgScopeError.self) { try settings.validate() }
    // Loopback is never proxied, so the variable does not matter there.
    let scheme = name.lowercased().hasPrefix("https") ? "https" : "http"
    #expect(settings.problem(scheme: scheme, host: "127.0.0.1") == nil)
    // (Plain http off loopback is refused anyway; https is where a proxy matters.)
    guard scheme == "https" else { return }
    // Never a silent direct connection: the request is refused before connecting.
    let transport = HTTPClientTransport(environment: [name: value])
    do {
      _ = try await transport.send(
        HTTPRequestSpec(url: "\(scheme)://orgscope-test.invalid/x"), source: .cloudflare)
      Issue.record("sent without the proxy")
    } catch let error as OrgScopeError {
      #expect(error.description.contains(name), "\(error.description)")
      #expect(!error.description.contains("proxypassword"))
    }
    await transport.shutdown()
  }

  /// The trial: a proxy answering 407 got 15 CONNECTs in 10 s.
  @Test(.timeLimit(.minutes(10))) func aProxyAsking407IsReportedOnceWithoutACONNECTStorm()
    async throws
  {
    let connections = Counter()
    let group = MultiThreadedEventLoopGroup.singleton
    let server = try await ServerBootstrap(group: group)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        connections.increment()
        return channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(ProxyAuthRequired())
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    let port = try #require(server.localAddress?.port)
    let transport = HTTPClientTransport(
      options: HTTPTransportOptions(connectTimeout: 5, maxRetries: 3, maxRetryTime: 10),
      environment: ["HTTPS_PROXY": "http://127.0.0.1:\(port)"])
    do {
      _ = try await transport.send(
        HTTPRequestSpec(url: "https://orgscope-test.invalid/x"), source: .sendgrid)
      Issue.record("no error through a 407 proxy")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("proxy asks for authentication"), "\(error.description)")
    } catch {
      Issue.record("unexpected \(error)")
    }
    await transport.shutdown()
    try await server.close()
    #expect(connections.value == 1)
  }
}

/// Answers whatever it reads with 407, as a proxy that wants credentials does.
final class ProxyAuthRequired: ChannelInboundHandler, Sendable {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer
  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let answer =
      "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\n"
      + "Content-Length: 0\r\nConnection: close\r\n\r\n"
    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer)), promise: nil)
    context.close(promise: nil)
  }
}
