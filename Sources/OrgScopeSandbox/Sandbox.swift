import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OrgScopeCore

/// The built-in sandbox: a real HTTP server on 127.0.0.1 that speaks every provider API of
/// `SandboxRegistry` (token endpoints included), with generated deterministic data.
public enum Sandbox {
  /// Starts the server and returns once it listens. Throws `SandboxError` when the options
  /// are invalid or the port cannot be bound.
  /// `log` gets the server's few log lines (the connection limit reached); nil keeps it
  /// quiet (the TUI shares the terminal with `--demo`).
  public static func start(
    _ options: SandboxOptions, log: (@Sendable (String) -> Void)? = nil,
    now: @escaping @Sendable () -> Date = { Date() }
  ) async throws -> RunningSandbox {
    guard (0...65_535).contains(options.port) else {
      throw SandboxError.invalidOption("port \(options.port) is not between 0 and 65535")
    }
    guard options.accounts >= 0, options.roles >= 0 else {
      throw SandboxError.invalidOption("accounts and roles must not be negative")
    }
    guard (0...1).contains(options.failRate) else {
      throw SandboxError.invalidOption("fail rate \(options.failRate) is not between 0 and 1")
    }
    guard options.latencyMilliseconds >= 0, options.tokenLifetimeSeconds > 0 else {
      throw SandboxError.invalidOption("latency must be >= 0 and token lifetime > 0")
    }
    guard options.headerTimeoutSeconds > 0, options.maxConnections > 0 else {
      throw SandboxError.invalidOption("header timeout and connection limit must be positive")
    }
    let data = SandboxData(
      seed: options.seed, accounts: options.accounts, roles: options.roles, epoch: options.epoch)
    let state = SandboxState(seed: options.seed, now: now)
    let api = SandboxAPI(
      data: data, options: options, state: state, cache: IndexCache(),
      fallbackOrigin: "http://127.0.0.1" + (options.port == 0 ? "" : ":\(options.port)"))
    let responder = CallbackResponder<BasicRequestContext> { request, _ in
      let body = try await request.body.collect(upTo: 1 << 20)
      var headers = request.headers.map { Header($0.name.rawName, $0.value) }
      if let authority = request.head.authority { headers.insert(Header("Host", authority), at: 0) }
      let sandboxRequest = SandboxRequest(
        method: request.method.rawValue, path: request.uri.path, rawQuery: request.uri.query ?? "",
        headers: headers, body: Array(body.readableBytesView))
      return Self.hummingbirdResponse(await api.respond(to: sandboxRequest))
    }
    let (ports, portsContinuation) = AsyncStream.makeStream(of: Int?.self)
    let latency = TimeAmount.milliseconds(Int64(options.latencyMilliseconds))
    let headerTimeout = TimeAmount.nanoseconds(Int64(options.headerTimeoutSeconds * 1e9))
    let app = Application(
      responder: responder,
      server: .http1(
        configuration: .init(
          additionalChannelHandlers: [HeaderTimeoutHandler(timeout: headerTimeout)]
            + (latency > .zero ? [LatencyHandler(latency: latency)] : []))),
      configuration: ApplicationConfiguration(
        address: .hostname("127.0.0.1", port: options.port), serverName: nil,
        availableConnectionsDelegate: ConnectionCap(
          limit: options.maxConnections, log: log ?? { _ in })),
      onServerRunning: { channel in
        portsContinuation.yield(channel.localAddress?.port)
        portsContinuation.finish()
      },
      // Quiet: the TUI shares the terminal with `--demo`.
      logger: Logger(label: "orgscope.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
    )
    // On threads of its own: whatever holds the cooperative pool (a CPU-bound test, the
    // TUI's work in `--demo`), the sandbox still answers.
    let task = Task(executorPreference: ServerExecutor.shared) {
      defer { portsContinuation.finish() }
      try await app.run()
    }
    var iterator = ports.makeAsyncIterator()
    guard let reported = await iterator.next(), let port = reported else {
      do {
        try await task.value
      } catch let error as IOError where error.errnoCode == EADDRINUSE {
        throw SandboxError.portInUse(options.port)
      } catch {
        throw SandboxError.startFailed("\(error)")
      }
      throw SandboxError.startFailed("the server stopped before it listened")
    }
    return RunningSandbox(port: port, data: data, options: options, state: state, task: task)
  }

  private static func hummingbirdResponse(_ response: SandboxResponse) -> Response {
    var fields = HTTPFields()
    for header in response.headers {
      if let name = HTTPField.Name(header.name) {
        fields.append(HTTPField(name: name, value: header.value))
      }
    }
    switch response.body {
    case .bytes(let bytes):
      return Response(
        status: HTTPResponse.Status(code: response.status), headers: fields,
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    case .repeated(let prefix, let chunk, let count, let suffix):
      let body = ResponseBody { writer in
        try await writer.write(ByteBuffer(bytes: prefix))
        let buffer = ByteBuffer(bytes: chunk)
        for _ in 0..<count { try await writer.write(buffer) }
        try await writer.write(ByteBuffer(bytes: suffix))
        try await writer.finish(nil)
      }
      return Response(
        status: HTTPResponse.Status(code: response.status), headers: fields, body: body)
    }
  }
}

/// A sandbox that is listening. Everything but the request log is fixed at start.
public final class RunningSandbox: Sendable {
  /// The TCP port on 127.0.0.1.
  public let port: Int
  /// `http://127.0.0.1:PORT`: every API lives at its real path below it (and also under a
  /// path prefix of its own, as earlier versions served it).
  public let baseURL: String
  /// The options it was started with.
  public let options: SandboxOptions
  /// Every variable orgscope needs to use this sandbox: base URLs, demo credentials, ids.
  public let environment: [String: String]
  /// The same variables in a stable order, for `exportLines`.
  public let environmentPairs: [(name: String, value: String)]
  // Each provider adds the ids it publishes (organization ids) in its own file.

  private let state: SandboxState
  /// The generated data (for the ids each provider publishes).
  let data: SandboxData
  private let task: Task<Void, any Error>

  init(
    port: Int, data: SandboxData, options: SandboxOptions, state: SandboxState,
    task: Task<Void, any Error>
  ) {
    self.port = port
    self.data = data
    self.options = options
    self.state = state
    self.task = task
    let base = "http://127.0.0.1:\(port)"
    baseURL = base
    // Each base URL in the form the provider's official SDK takes for its host (only the
    // host differs from the real one): the SDKs keep scheme and host, or add their own
    // paths (`/v1/organizations/accounts`, `/v3/…`), so the APIs are served at the root.
    let pairs = SandboxRegistry.providers.flatMap {
      $0.environment(baseURL: base, data: data, options: options)
    }
    environmentPairs = pairs
    environment = Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
  }

  /// `export NAME='value'` lines (shell-quoted) that point orgscope at this sandbox.
  public var exportLines: String {
    environmentPairs.map { pair in
      "export \(pair.name)='" + pair.value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }.joined(separator: "\n") + "\n"
  }

  /// Every request received so far (the newest 10,000 at most), oldest first.
  public var requestLog: [SandboxRequest] {
    get async { await state.requests() }
  }

  public func clearRequestLog() async { await state.clearLog() }

  /// Stops listening, ends stalled responses and waits until the server is down.
  public func stop() async {
    await state.stop()
    task.cancel()
    _ = try? await task.value
  }

  /// Waits until the server ends (after `stop()` or a fatal error): for `orgscope sandbox`.
  public func waitUntilStopped() async throws {
    try await task.value
  }
}
