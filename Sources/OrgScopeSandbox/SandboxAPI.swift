import Foundation
import OrgScopeCore

/// Routes a request to the endpoint that serves its path (`SandboxRegistry`) and applies
/// fail rate and faults around the handlers.
struct SandboxAPI: Sendable {
  let data: SandboxData
  let options: SandboxOptions
  let state: SandboxState
  let cache: IndexCache
  let records = RecordCache()
  /// `http://127.0.0.1:PORT`, for URLs when a request has no `Host`.
  let fallbackOrigin: String

  /// The origin the client used (as the real APIs build `next_page_url` from their host);
  /// a `Host` that is not a host and port is not repeated back.
  func origin(of request: SandboxRequest) -> String {
    guard let host = request.header("Host"), !host.isEmpty,
      !host.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }),
      let parts = URLParts("http://" + host)
    else { return fallbackOrigin }
    return parts.origin
  }

  /// The endpoint that serves `request`'s path, with its provider and the captured
  /// segments; nil for unknown paths.
  private func endpoint(_ request: SandboxRequest) -> (
    provider: any SandboxProvider, endpoint: SandboxEndpoint, captured: [String]
  )? {
    let segments = request.path.split(separator: "/", omittingEmptySubsequences: false)
      .map(String.init)
    for (provider, endpoint) in SandboxRegistry.endpoints {
      if let captured = endpoint.match(segments) { return (provider, endpoint, captured) }
    }
    return nil
  }

  /// The answer to `request`, faults included. `--latency` is applied on the connection
  /// (`LatencyHandler`), so that this work happens within it.
  func respond(to request: SandboxRequest) async -> SandboxResponse {
    let number = await state.record(request)
    let requestID =
      IDText.hex16(Mix.hash(data.seed, .faults, number)) + IDText.hex16(UInt64(number))
    let now = Int64(Date().timeIntervalSince1970)
    guard let (provider, endpoint, captured) = endpoint(request) else {
      return notFound(request, requestID: requestID)
    }
    let route = endpoint.route
    var truncate = false
    if let fault = await state.fault(for: route, among: options.faults) {
      switch fault {
      case .html500:
        return FaultBodies.html500(route)
      case .tooManyRequests(let seconds):
        var response = provider.errorBody(
          status: 429, message: "Too many requests", requestID: requestID)
        response.headers.append(Header("Retry-After", String(seconds)))
        return response
      case .slow(let milliseconds):
        await pause(milliseconds: milliseconds)
      case .stall:
        await stall()
        return provider.errorBody(
          status: 503, message: "Sandbox stopped", requestID: requestID)
      case .oversized:
        return FaultBodies.oversized(route)
      case .truncated:
        truncate = true
      }
    }
    if options.failRate > 0, await state.roll() < options.failRate {
      return provider.errorBody(
        status: 503, message: "Service temporarily unavailable (sandbox --fail-rate)",
        requestID: requestID)
    }
    let call = SandboxCall(request: request, captured: captured, requestID: requestID, now: now)
    let response = await endpoint.handle(self, call)
    return truncate ? FaultBodies.truncated(response) : response
  }

  private func notFound(_ request: SandboxRequest, requestID: String) -> SandboxResponse {
    let message = "No such endpoint: \(request.method) \(request.path)"
    if let provider = SandboxRegistry.provider(below: request.path) {
      return provider.notFound(message, requestID: requestID)
    }
    var json = JSONBuilder()
    json.beginObject()
    json.field("message", message)
    json.endObject()
    return .json(404, json)
  }

  private func pause(milliseconds: Int) async {
    try? await Task.sleep(for: .milliseconds(milliseconds), tolerance: .zero)
  }

  /// Holds the request open until the sandbox stops (or ten minutes pass).
  private func stall() async {
    for _ in 0..<6000 {
      if await state.isStopping || Task.isCancelled { return }
      try? await Task.sleep(for: .milliseconds(100))
    }
  }
}
