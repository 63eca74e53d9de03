import Foundation

/// Reading error answers: the provider's JSON when there is one, otherwise a short,
/// sanitized excerpt (an HTML page's title, the start of a truncated body) or the reason
/// phrase. Never the whole body, never request headers.
public enum ErrorBody {
  /// Bodies larger than this are not parsed for an error message (a proxy's huge page).
  static let parseLimit = 1 << 20

  /// An error answer with every known secret taken out of its body and header values,
  /// before anything reads it: codes, ids, titles and excerpts are all cut from the body
  /// or headers later, and a secret must not be cut in half before it is recognised.
  /// A body over `parseLimit` is shortened to its start first (no error reader looks
  /// further).
  public static func redacting(
    _ response: HTTPResponseData, with redact: (String) -> String
  ) -> HTTPResponseData {
    var clean = response
    let text = String(decoding: response.body.prefix(parseLimit), as: UTF8.self)
    let redacted = redact(text)
    if redacted != text || response.body.count > parseLimit { clean.body = Array(redacted.utf8) }
    clean.headers = response.headers.map { Header($0.name, redact($0.value)) }
    return clean
  }

  /// The error with every field a provider wrote (code, message, request id) passed through
  /// `redact` once more, after decoding.
  public static func redacting(_ error: APIError, with redact: (String) -> String) -> APIError {
    var clean = error
    clean.code = error.code.map(redact)
    clean.message = redact(error.message)
    clean.requestID = error.requestID.map(redact)
    return clean
  }

  /// The body as a JSON object, if it is one.
  static func object(_ body: [UInt8]) -> JSONObject? {
    guard !body.isEmpty, body.count <= parseLimit else { return nil }
    return (try? JSONParser.parse(body))?.object
  }

  /// A message for a body that has no usable provider error: HTML title, excerpt, or the
  /// reason phrase.
  public static func fallbackMessage(status: Int, body: [UInt8]) -> String {
    let reason = reasonPhrase(status)
    let head = String(decoding: body.prefix(4096), as: UTF8.self)
    let trimmed = head.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return reason }
    let lower = trimmed.lowercased()
    if lower.hasPrefix("<") || lower.contains("<html") {
      if let title = htmlTitle(trimmed), !title.isEmpty {
        return "\(reason) (HTML page: \(Sanitizer.line(title, limit: 100)))"
      }
      return "\(reason) (HTML page)"
    }
    if lower.hasPrefix("{") || lower.hasPrefix("[") {
      if (try? JSONParser.parse(body)) == nil {
        return "\(reason) (invalid JSON body: \(Sanitizer.line(trimmed, limit: 80)))"
      }
      return "\(reason) (unexpected JSON body: \(Sanitizer.line(trimmed, limit: 80)))"
    }
    return "\(reason) (\(Sanitizer.line(trimmed, limit: 120)))"
  }

  /// The first string among `keys` in `object`, sanitized.
  static func firstString(_ object: JSONObject, _ keys: String...) -> String? {
    for key in keys {
      if let text = PageReader.scalarText(object[key]), !text.isEmpty {
        return Sanitizer.line(text, limit: 300)
      }
    }
    return nil
  }

  private static func htmlTitle(_ text: String) -> String? {
    let lower = text.lowercased()
    guard let open = lower.range(of: "<title"),
      let openEnd = lower[open.upperBound...].firstIndex(of: ">"),
      let close = lower[openEnd...].range(of: "</title")
    else { return nil }
    // Lower-casing can change lengths outside ASCII; map offsets through UTF-8 to be safe.
    let start = lower.utf8.distance(from: lower.startIndex, to: lower.index(after: openEnd))
    let end = lower.utf8.distance(from: lower.startIndex, to: close.lowerBound)
    let bytes = Array(text.utf8)
    guard start <= end, end <= bytes.count else { return nil }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// The HTTP reason phrase for common statuses (`HTTP 503` otherwise).
  public static func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 405: return "Method Not Allowed"
    case 408: return "Request Timeout"
    case 409: return "Conflict"
    case 410: return "Gone"
    case 413: return "Payload Too Large"
    case 422: return "Unprocessable Entity"
    case 429: return "Too Many Requests"
    case 500: return "Internal Server Error"
    case 501: return "Not Implemented"
    case 502: return "Bad Gateway"
    case 503: return "Service Unavailable"
    case 504: return "Gateway Timeout"
    default: return "HTTP \(status)"
    }
  }
}
