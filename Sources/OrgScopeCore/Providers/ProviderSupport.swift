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

  /// Element `index` of a record list, which must be an object with an `idKey`.
  static func record(_ value: JSONValue, at index: Int, list: String, idKey: String) throws -> (
    JSONObject, String
  ) {
    guard let object = value.object else {
      throw PageDecodeError("\(list)[\(index)] is not an object")
    }
    guard let id = scalarText(object[idKey]), !id.isEmpty else {
      throw PageDecodeError("\(list)[\(index)] has no \"\(idKey)\"")
    }
    return (object, id)
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
        return "\(reason) (HTML page: \(sanitize(title, limit: 100)))"
      }
      return "\(reason) (HTML page)"
    }
    if lower.hasPrefix("{") || lower.hasPrefix("[") {
      if (try? JSONParser.parse(body)) == nil {
        return "\(reason) (invalid JSON body: \(sanitize(trimmed, limit: 80)))"
      }
      return "\(reason) (unexpected JSON body: \(sanitize(trimmed, limit: 80)))"
    }
    return "\(reason) (\(sanitize(trimmed, limit: 120)))"
  }

  /// The first string among `keys` in `object`, sanitized.
  static func firstString(_ object: JSONObject, _ keys: String...) -> String? {
    for key in keys {
      if let text = PageReader.scalarText(object[key]), !text.isEmpty {
        return sanitize(text, limit: 300)
      }
    }
    return nil
  }

  /// One line of at most `limit` characters: controls, escape sequences and bidi controls
  /// removed, whitespace runs collapsed.
  public static func sanitize(_ text: String, limit: Int = 160) -> String {
    var output = ""
    var pendingSpace = false
    var count = 0
    var scalars = text.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
      let value = scalar.value
      if value == 0x1B {
        skipEscapeSequence(&scalars)
        continue
      }
      if scalar.properties.isWhitespace || value < 0x20 || (0x7F...0x9F).contains(value) {
        pendingSpace = !output.isEmpty
        continue
      }
      if (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
        || value == 0x200E || value == 0x200F
      {
        continue
      }
      if pendingSpace {
        output.unicodeScalars.append(" ")
        count += 1
        pendingSpace = false
      }
      if count >= limit {
        output += "…"
        break
      }
      output.unicodeScalars.append(scalar)
      count += 1
    }
    return output
  }

  /// Skips the rest of an escape sequence after ESC (CSI up to its final byte, OSC/DCS up
  /// to BEL or ST, otherwise one character).
  private static func skipEscapeSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
    guard let introducer = scalars.next() else { return }
    switch introducer {
    case "[":
      while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
    case "]", "P", "_", "^", "X":
      var previous: Unicode.Scalar = " "
      while let next = scalars.next() {
        if next.value == 0x07 || (previous.value == 0x1B && next == "\\") { break }
        previous = next
      }
    default: break
    }
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

  /// Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date.
  public static func retryAfter(_ headers: [Header], now: Date = Date()) -> Double? {
    guard let raw = headers.first(where: { $0.name.lowercased() == "retry-after" })?.value else {
      return nil
    }
    let value = raw.trimmingCharacters(in: .whitespaces)
    if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return seconds }
    guard let date = httpDate(value) else { return nil }
    return max(0, date.timeIntervalSince(now))
  }

  private static let months = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]

  /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form servers send.
  static func httpDate(_ text: String) -> Date? {
    let parts = text.split(separator: " ")
    guard parts.count == 6, parts[5].uppercased() == "GMT", let day = Int(parts[1]),
      let month = months.firstIndex(of: parts[2].lowercased()), let year = Int(parts[3])
    else { return nil }
    let time = parts[4].split(separator: ":").compactMap { Int($0) }
    guard time.count == 3, (1...31).contains(day), (0...23).contains(time[0]),
      (0...59).contains(time[1]), (0...60).contains(time[2])
    else { return nil }
    let days = daysFromCivil(year: year, month: month + 1, day: day)
    let seconds = days * 86_400 + time[0] * 3_600 + time[1] * 60 + time[2]
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  /// Days since 1970-01-01 (Howard Hinnant's algorithm), so no calendar or locale is needed.
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
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
