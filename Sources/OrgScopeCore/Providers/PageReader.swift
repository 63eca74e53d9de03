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
  /// object with an `idKey`; `name` reads its display name from its fields, `aliases` the
  /// other texts the local search finds it by.
  static func records(
    _ values: [JSONValue], list: String, idKey: String, name: (JSONObject) -> String,
    aliases: (JSONObject) -> [String] = { _ in [] }
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
      records.append(Record(id: id, name: name(fields), fields: fields, aliases: aliases(fields)))
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
