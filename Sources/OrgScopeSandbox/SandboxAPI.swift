import Foundation
import OrgScopeCore

/// Routes a request to its API by path prefix (each prefix stands in for a provider host)
/// and applies latency, fail rate and faults around the handlers.
struct SandboxAPI: Sendable {
  let data: SandboxData
  let options: SandboxOptions
  let state: SandboxState
  let cache: IndexCache
  let records = RecordCache()
  /// `http://127.0.0.1:PORT`, for URLs when a request has no `Host`.
  let fallbackOrigin: String

  /// The path prefix of each API on the one port, as earlier versions served them (each
  /// API is also served at its real path on the root).
  enum Prefix {
    static let twilioIAM = "/twilio-iam"
    static let twilioPreviewIAM = "/twilio-preview-iam"
    static let twilioOAuth = "/twilio-oauth"
    static let cloudflare = "/cloudflare/client/v4"
    static let sendGrid = "/sendgrid"
    static let huawei = "/huawei"
  }

  /// The origin the client used (as the real APIs build `next_page_url` from their host);
  /// a `Host` that is not a host and port is not repeated back.
  func origin(of request: SandboxRequest) -> String {
    guard let host = request.header("Host"), !host.isEmpty,
      !host.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }),
      let parts = URLParts("http://" + host)
    else { return fallbackOrigin }
    return parts.origin
  }

  /// Which route a path belongs to, and the handler for it; nil for unknown paths.
  private func route(_ request: SandboxRequest) -> (
    SandboxRoute, @Sendable (String, Int64) async -> SandboxResponse
  )? {
    let segments = request.path.split(separator: "/", omittingEmptySubsequences: false)
      .map(String.init)
    func matches(_ pattern: [String?]) -> [String]? {
      guard segments.count == pattern.count else { return nil }
      var captured: [String] = []
      for (segment, expected) in zip(segments, pattern) {
        if let expected {
          if segment != expected { return nil }
        } else {
          captured.append(PercentEncoding.decode(segment[...]))
        }
      }
      return captured
    }
    /// The API's real path at the root, or under its sandbox prefix.
    func api(_ prefix: String, _ path: [String?]) -> [String]? {
      matches([""] + path) ?? matches(["", prefix] + path)
    }
    if api("twilio-oauth", ["v2", "token"]) != nil || api("twilio-oauth", ["v1", "token"]) != nil {
      return (.twilioToken, { _, _ in await self.twilioToken(request) })
    }
    if let captured = api("twilio-preview-iam", ["Organizations", nil, "Accounts"]) {
      return (
        .twilioAccounts,
        { _, _ in await self.twilioAccounts(request, organization: captured[0]) }
      )
    }
    if api("twilio-iam", ["v2", "Organizations", "Roles"]) != nil {
      return (.twilioRoles, { _, _ in await self.twilioRoles(request) })
    }
    if let captured = api("cloudflare", ["client", "v4", "organizations", nil, "accounts"]) {
      return (
        .cloudflare,
        { _, _ in await self.cloudflareAccounts(request, organization: captured[0]) }
      )
    }
    if api("sendgrid", ["v3", "partners", "accounts"]) != nil {
      return (.sendgrid, { _, _ in self.sendGridAccounts(request) })
    }
    if api("huawei", ["v1", "organizations", "accounts"]) != nil {
      return (
        .huawei,
        { requestID, now in await self.huaweiAccounts(request, requestID: requestID, now: now) }
      )
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
    guard let (route, handler) = route(request) else {
      return notFound(request, requestID: requestID)
    }
    var truncate = false
    if let fault = await state.fault(for: route, among: options.faults) {
      switch fault {
      case .html500:
        return FaultBodies.html500(route)
      case .tooManyRequests(let seconds):
        var response = ProviderError.generic(
          route, status: 429, message: "Too many requests", requestID: requestID)
        response.headers.append(Header("Retry-After", String(seconds)))
        return response
      case .slow(let milliseconds):
        await pause(milliseconds: milliseconds)
      case .stall:
        await stall()
        return ProviderError.generic(
          route, status: 503, message: "Sandbox stopped", requestID: requestID)
      case .oversized:
        return FaultBodies.oversized(route)
      case .truncated:
        truncate = true
      }
    }
    if options.failRate > 0, await state.roll() < options.failRate {
      return ProviderError.generic(
        route, status: 503, message: "Service temporarily unavailable (sandbox --fail-rate)",
        requestID: requestID)
    }
    let response = await handler(requestID, now)
    return truncate ? FaultBodies.truncated(response) : response
  }

  private func notFound(_ request: SandboxRequest, requestID: String) -> SandboxResponse {
    let message = "No such endpoint: \(request.method) \(request.path)"
    if request.path.hasPrefix(Prefix.twilioIAM + "/")
      || request.path.hasPrefix(Prefix.twilioPreviewIAM + "/")
      || request.path.hasPrefix(Prefix.twilioOAuth + "/")
    {
      return ProviderError.twilio(404, code: 20404, message)
    }
    if request.path.hasPrefix(Prefix.cloudflare + "/") {
      return ProviderError.cloudflare(404, code: 7000, message)
    }
    if request.path.hasPrefix(Prefix.sendGrid + "/") {
      return ProviderError.sendGrid(404, errorID: "10-40400", message)
    }
    if request.path.hasPrefix(Prefix.huawei + "/") {
      return ProviderError.huawei(404, code: "APIGW.0101", message, requestID: requestID)
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
