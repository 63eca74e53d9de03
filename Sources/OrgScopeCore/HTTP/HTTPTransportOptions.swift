/// Timeouts, retries and limits of `HTTPClientTransport`.
public struct HTTPTransportOptions: Sendable, Hashable {
  /// Seconds to establish a connection (TCP and TLS).
  public var connectTimeout: Double
  /// Seconds without a byte from the server before giving up on an answer.
  public var readTimeout: Double
  /// Seconds one attempt may take in all, body included.
  public var requestTimeout: Double
  /// Retries after the first attempt (on 429, 502, 503, 504 and connection resets).
  public var maxRetries: Int
  /// Seconds all attempts and waits may take together; a wait past it is not started.
  public var maxRetryTime: Double
  /// First backoff delay in seconds; doubles on each retry, with jitter.
  public var baseDelay: Double
  /// Longest single backoff delay in seconds (Retry-After may ask for more, within
  /// `maxRetryTime`).
  public var maxDelay: Double
  /// Largest response body accepted; a bigger one is refused, not truncated.
  public var maxResponseBytes: Int
  /// `User-Agent` when the request has none.
  public var userAgent: String

  public init(
    connectTimeout: Double = 10, readTimeout: Double = 30, requestTimeout: Double = 60,
    maxRetries: Int = 4, maxRetryTime: Double = 60, baseDelay: Double = 0.5, maxDelay: Double = 8,
    maxResponseBytes: Int = 32 << 20, userAgent: String = "orgscope"
  ) {
    self.connectTimeout = connectTimeout
    self.readTimeout = readTimeout
    self.requestTimeout = requestTimeout
    self.maxRetries = maxRetries
    self.maxRetryTime = maxRetryTime
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.maxResponseBytes = maxResponseBytes
    self.userAgent = userAgent
  }
}
