/// Every error orgscope reports. Descriptions are one line, name the provider, the HTTP
/// status and the provider's own message, and never contain a credential.
public enum OrgScopeError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The provider answered with an error status (decoded from its own error body).
  case api(APIError)
  /// The request did not get an answer: connection refused, timeout, reset, TLS.
  case network(source: SourceID, message: String)
  /// The answer was not what the API promises (truncated JSON, HTML instead of JSON).
  case invalidResponse(source: SourceID, status: Int, message: String)
  /// A URL points to another origin than the configured one, or is plain http off loopback.
  case refusedURL(source: SourceID, message: String)
  /// Credentials for this source are not set: `hint` says which variables to set.
  case missingCredentials(source: SourceID, hint: String)
  /// The configuration (file, environment, flags) is wrong.
  case configuration(String)
  /// The command line is wrong.
  case usage(String)

  /// The process exit code: 1 for API and network errors, 2 for usage and configuration.
  public var exitCode: Int32 {
    switch self {
    case .api, .network, .invalidResponse, .refusedURL: return 1
    case .missingCredentials, .configuration, .usage: return 2
    }
  }

  public var description: String {
    switch self {
    case .api(let error): return error.description
    case .network(let source, let message):
      return "\(source.providerName): network error: \(message)"
    case .invalidResponse(let source, let status, let message):
      return "\(source.providerName): HTTP \(status): invalid response: \(message)"
    case .refusedURL(let source, let message): return "\(source.providerName): refused: \(message)"
    case .missingCredentials(let source, let hint):
      return "\(source.providerName): no credentials: set \(hint)"
    case .configuration(let message): return "configuration: \(message)"
    case .usage(let message): return "usage: \(message)"
    }
  }
}

/// A provider's error answer, decoded from its own error body.
public struct APIError: Sendable, Hashable, CustomStringConvertible {
  public var source: SourceID
  public var status: Int
  /// The provider's code (`20404`, `10-40100`, `Organizations.1001`), if it sent one.
  public var code: String?
  public var message: String
  /// The provider's request id (Huawei `X-Request-Id`), if any.
  public var requestID: String?

  public init(
    source: SourceID, status: Int, code: String?, message: String, requestID: String? = nil
  ) {
    self.source = source
    self.status = status
    self.code = code
    self.message = message
    self.requestID = requestID
  }

  public var description: String {
    var text = "\(source.providerName): HTTP \(status)"
    if let code, !code.isEmpty { text += " (code \(code))" }
    text += ": \(message)"
    if let requestID, !requestID.isEmpty { text += " [request \(requestID)]" }
    return text
  }
}
