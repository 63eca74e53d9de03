import Foundation

/// A page that is valid JSON but not the shape the API promises (`accounts` missing, a
/// record without an id). `SourceClient` reports it as `OrgScopeError.invalidResponse`.
public struct PageDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Reading the parts of a page that every provider needs, with typed errors.
enum PageReader {
  /// The body as a JSON object.
  static func object(_ body: [UInt8]) throws -> JSONObject {
    guard let object = try JSONParser.parse(body).object else {
      throw PageDecodeError("expected a JSON object")
    }
    return object
  }

  /// The array under `key`, or a decode error naming it.
  static func array(_ object: JSONObject, _ key: String) throws -> [JSONValue] {
    guard let value = object[key] else { throw PageDecodeError("\"\(key)\" is missing") }
    guard let array = value.array else { throw PageDecodeError("\"\(key)\" is not an array") }
    return array
  }

  /// The records of a page's list (`list` names it in errors): each element must be an
  /// object with an `idKey`; `name` reads its display name from its fields.
  static func records(
    _ values: [JSONValue], list: String, idKey: String, name: (JSONObject) -> String
  ) throws -> [Record] {
    var records: [Record] = []
    records.reserveCapacity(values.count)
    for (index, value) in values.enumerated() {
      guard let fields = value.object else {
        throw PageDecodeError("\(list)[\(index)] is not an object")
      }
      guard let id = scalarText(fields[idKey]), !id.isEmpty else {
        throw PageDecodeError("\(list)[\(index)] has no \"\(idKey)\"")
      }
      records.append(Record(id: id, name: name(fields), fields: fields))
    }
    return records
  }

  /// A string or number as text; nil for anything else.
  static func scalarText(_ value: JSONValue?) -> String? {
    switch value {
    case .string(let text)?, .number(let text)?: return text
    case .bool(let flag)?: return flag ? "true" : "false"
    default: return nil
    }
  }

  /// A non-empty string, or nil (null, missing, empty or not a string).
  static func nonEmptyString(_ value: JSONValue?) -> String? {
    guard let text = value?.string, !text.isEmpty else { return nil }
    return text
  }

  /// `2025-05-04T09:42:00Z` as `2025-05-04 09:42` for a list column; other text unchanged.
  static func shortDate(_ value: JSONValue?) -> String {
    guard let text = scalarText(value) else { return "" }
    let bytes = Array(text.utf8)
    guard bytes.count >= 16, bytes[4] == 0x2D, bytes[7] == 0x2D,
      bytes[10] == 0x54 || bytes[10] == 0x20,
      bytes[13] == 0x3A
    else { return text }
    var short = Array(bytes[0..<16])
    short[10] = 0x20
    return String(decoding: short, as: UTF8.self)
  }
}

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

/// Builds detail sections: every field the provider sent, nested objects flattened as
/// `settings.enforce_twofactor` lines.
enum DetailBuilder {
  /// One line per scalar, following objects and arrays of objects; `skipping` top-level
  /// keys that have their own section.
  static func fieldLines(_ object: JSONObject, skipping: Set<String> = []) -> [DetailLine] {
    var lines: [DetailLine] = []
    for field in object where !skipping.contains(field.key) {
      append(field.value, key: field.key, to: &lines)
    }
    return lines
  }

  static func append(_ value: JSONValue, key: String, to lines: inout [DetailLine]) {
    switch value {
    case .null:
      lines.append(DetailLine(key: key, value: "null", style: .dim))
    case .object(let object):
      if object.count == 0 {
        lines.append(DetailLine(key: key, value: "{}", style: .dim))
      }
      for field in object { append(field.value, key: key + "." + field.key, to: &lines) }
    case .array(let items):
      if items.isEmpty {
        lines.append(DetailLine(key: key, value: "[]", style: .dim))
      } else if items.allSatisfy(isScalar) {
        lines.append(DetailLine(key: key, value: items.map(\.displayText).joined(separator: ", ")))
      } else {
        for (index, item) in items.enumerated() {
          append(item, key: "\(key)[\(index)]", to: &lines)
        }
      }
    default:
      lines.append(DetailLine(key: key, value: value.displayText))
    }
  }

  private static func isScalar(_ value: JSONValue) -> Bool {
    switch value {
    case .array, .object: return false
    default: return true
    }
  }
}
