import OrgScopeCore
import Synchronization

/// Builds the `SourceClient` of a source from the variables a sandbox publishes
/// (`RunningSandbox.environment`, or `orgscope sandbox`'s export lines), through the
/// product's own configuration and provider registry, so the bench measures what runs.
enum BenchClients {
  static func make(
    _ source: SourceID, environment: [String: String], transport: any HTTPTransport
  ) throws -> SourceClient {
    let configuration = try Configuration.load(environment: environment, readFile: false)
    switch configuration.makeSources(transport: transport).first(where: { $0.source == source }) {
    case .ready(let client)?: return client
    case .missing(_, let hint)?:
      throw BenchError.failed("\(source): \(hint): point the bench at a sandbox")
    case nil: throw BenchError.usage("unknown source \(source)")
    }
  }

  /// The sources that list accounts (not role policies), in tab order.
  static var accountSources: [SourceID] {
    SourceID.allCases.filter { !$0.descriptor.capabilities.policies }
  }

  /// Whether `environment` points any source somewhere (a sandbox's variables).
  static func configured(_ environment: [String: String]) -> Bool {
    environment.keys.contains { Configuration.knownKeys.contains($0) }
  }
}

/// A transport that counts the token requests (the only POSTs) it passes on.
final class CountingTransport: HTTPTransport {
  let inner: any HTTPTransport
  private let posts = Atomic<Int>(0)

  init(_ inner: any HTTPTransport) { self.inner = inner }

  var tokenRequests: Int { posts.load(ordering: .relaxed) }

  func send(
    _ request: HTTPRequestSpec, source: SourceID, sent: @escaping @Sendable () -> Void
  ) async throws -> HTTPResponseData {
    if request.method == .post { posts.add(1, ordering: .relaxed) }
    return try await inner.send(request, source: source, sent: sent)
  }

  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    try await send(request, source: source, sent: {})
  }

  func send(
    _ request: HTTPRequestSpec, source: SourceID, declaredBy authenticator: any Authenticator
  ) async throws -> HTTPResponseData {
    if request.method == .post { posts.add(1, ordering: .relaxed) }
    return try await inner.send(request, source: source, declaredBy: authenticator)
  }

  func redact(_ text: String) -> String { inner.redact(text) }
}
