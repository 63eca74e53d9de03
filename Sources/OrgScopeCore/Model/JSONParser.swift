/// Why a body is not valid JSON, and where: short enough for one error line, and it never
/// quotes the body itself.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Reason: Sendable, Hashable {
    case empty
    case unexpectedEnd
    case unexpectedByte(UInt8)
    case invalidNumber
    case invalidEscape
    case invalidLiteral
    case controlCharacterInString
    case tooDeep(limit: Int)
    case trailingData
  }

  public let reason: Reason
  /// Byte offset into the body where parsing stopped.
  public let offset: Int

  public init(_ reason: Reason, at offset: Int) {
    self.reason = reason
    self.offset = offset
  }

  public var description: String {
    let what: String
    switch reason {
    case .empty: what = "empty body"
    case .unexpectedEnd: what = "unexpected end (truncated?)"
    case .unexpectedByte(let byte):
      if byte >= 0x21 && byte < 0x7F {
        what = "unexpected character '\(Character(Unicode.Scalar(byte)))'"
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        what = "unexpected byte 0x\(hex.count == 1 ? "0" + hex : hex)"
      }
    case .invalidNumber: what = "invalid number"
    case .invalidEscape: what = "invalid escape in string"
    case .invalidLiteral: what = "invalid literal"
    case .controlCharacterInString: what = "control character in string"
    case .tooDeep(let limit): what = "nested deeper than \(limit) levels"
    case .trailingData: what = "data after the JSON value"
    }
    return "invalid JSON at byte \(offset): \(what)"
  }
}

/// A strict RFC 8259 parser working on bytes. Object key order and number text are kept;
/// nesting is handled with an explicit stack, so hostile input cannot overflow the call stack.
public enum JSONParser {
  /// The deepest nesting accepted. Provider pages are a few levels deep; this only bounds
  /// memory for hostile input.
  public static let maxDepth = 512

  /// Parses one JSON value that must fill the whole input (whitespace around it is fine,
  /// a leading UTF-8 byte order mark is skipped).
  public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
    if let result = try bytes.withContiguousStorageIfAvailable({ buffer in
      var scanner = JSONScanner(buffer)
      return try scanner.parseDocument()
    }) {
      return result
    }
    let copy = Array(bytes)
    return try copy.withUnsafeBufferPointer { buffer in
      var scanner = JSONScanner(buffer)
      return try scanner.parseDocument()
    }
  }

  /// Parses a string's UTF-8 bytes.
  public static func parse(_ text: String) throws -> JSONValue {
    var text = text
    return try text.withUTF8 { buffer in
      var scanner = JSONScanner(buffer)
      return try scanner.parseDocument()
    }
  }
}

private enum Byte {
  static let quote: UInt8 = 0x22
  static let backslash: UInt8 = 0x5C
  static let slash: UInt8 = 0x2F
  static let comma: UInt8 = 0x2C
  static let colon: UInt8 = 0x3A
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D
  static let openBracket: UInt8 = 0x5B
  static let closeBracket: UInt8 = 0x5D
  static let minus: UInt8 = 0x2D
  static let plus: UInt8 = 0x2B
  static let dot: UInt8 = 0x2E
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
  static let lowerE: UInt8 = 0x65
  static let upperE: UInt8 = 0x45
}

/// An open array or object while its members are being read.
private struct Frame {
  var isObject: Bool
  var items: [JSONValue] = []
  var fields: [JSONObject.Field] = []
  /// The key whose value is being read (objects only).
  var key: String = ""
}

private struct JSONScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0
  /// Reused for strings with escapes, so each one does not allocate a fresh buffer.
  var scratch: [UInt8] = []

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  mutating func parseDocument() throws -> JSONValue {
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
    skipWhitespace()
    guard index < bytes.count else { throw JSONParseError(.empty, at: index) }
    let value = try parseValue()
    skipWhitespace()
    guard index == bytes.count else { throw JSONParseError(.trailingData, at: index) }
    return value
  }

  @inline(__always)
  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x0A, 0x0D, 0x09: index += 1
      default: return
      }
    }
  }

  /// The next byte after whitespace, without consuming it.
  @inline(__always)
  mutating func peekToken() throws -> UInt8 {
    skipWhitespace()
    guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
    return bytes[index]
  }

  mutating func parseValue() throws -> JSONValue {
    var stack: [Frame] = []
    while true {
      var value: JSONValue
      let byte = try peekToken()
      switch byte {
      case Byte.openBrace:
        index += 1
        if try peekToken() == Byte.closeBrace {
          index += 1
          value = .object(JSONObject())
        } else {
          guard stack.count < JSONParser.maxDepth else {
            throw JSONParseError(.tooDeep(limit: JSONParser.maxDepth), at: index)
          }
          let key = try parseKey()
          stack.append(Frame(isObject: true, key: key))
          continue
        }
      case Byte.openBracket:
        index += 1
        if try peekToken() == Byte.closeBracket {
          index += 1
          value = .array([])
        } else {
          guard stack.count < JSONParser.maxDepth else {
            throw JSONParseError(.tooDeep(limit: JSONParser.maxDepth), at: index)
          }
          stack.append(Frame(isObject: false))
          continue
        }
      case Byte.quote:
        index += 1
        value = .string(try parseString())
      case Byte.minus, Byte.zero...Byte.nine:
        value = .number(try parseNumber())
      case 0x74:  // t
        try expectLiteral("true")
        value = .bool(true)
      case 0x66:  // f
        try expectLiteral("false")
        value = .bool(false)
      case 0x6E:  // n
        try expectLiteral("null")
        value = .null
      default:
        throw JSONParseError(.unexpectedByte(byte), at: index)
      }

      // A value is complete: hand it to the enclosing containers, closing those that end.
      while true {
        guard !stack.isEmpty else { return value }
        let top = stack.count - 1
        let separator = try peekToken()
        if stack[top].isObject {
          let key = stack[top].key
          stack[top].fields.append(JSONObject.Field(key: key, value: value))
          if separator == Byte.comma {
            index += 1
            stack[top].key = try parseKey()
            break
          } else if separator == Byte.closeBrace {
            index += 1
            value = .object(JSONObject(stack.removeLast().fields))
          } else {
            throw JSONParseError(.unexpectedByte(separator), at: index)
          }
        } else {
          stack[top].items.append(value)
          if separator == Byte.comma {
            index += 1
            break
          } else if separator == Byte.closeBracket {
            index += 1
            value = .array(stack.removeLast().items)
          } else {
            throw JSONParseError(.unexpectedByte(separator), at: index)
          }
        }
      }
    }
  }

  /// Reads `"key" :` and leaves the index at the value.
  mutating func parseKey() throws -> String {
    let byte = try peekToken()
    guard byte == Byte.quote else { throw JSONParseError(.unexpectedByte(byte), at: index) }
    index += 1
    let key = try parseString()
    let colon = try peekToken()
    guard colon == Byte.colon else { throw JSONParseError(.unexpectedByte(colon), at: index) }
    index += 1
    return key
  }

  mutating func expectLiteral(_ literal: StaticString) throws {
    let count = literal.utf8CodeUnitCount
    guard index + count <= bytes.count else {
      throw JSONParseError(.unexpectedEnd, at: bytes.count)
    }
    let start = literal.utf8Start
    for offset in 0..<count where bytes[index + offset] != start[offset] {
      throw JSONParseError(.invalidLiteral, at: index + offset)
    }
    index += count
  }

  /// Validates the RFC 8259 number grammar and returns the literal text.
  mutating func parseNumber() throws -> String {
    let start = index
    if bytes[index] == Byte.minus { index += 1 }
    guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
    if bytes[index] == Byte.zero {
      index += 1
    } else if isDigit(bytes[index]) {
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    } else {
      throw JSONParseError(.invalidNumber, at: index)
    }
    if index < bytes.count && bytes[index] == Byte.dot {
      index += 1
      guard index < bytes.count && isDigit(bytes[index]) else {
        throw JSONParseError(.invalidNumber, at: index)
      }
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count && (bytes[index] == Byte.lowerE || bytes[index] == Byte.upperE) {
      index += 1
      if index < bytes.count && (bytes[index] == Byte.plus || bytes[index] == Byte.minus) {
        index += 1
      }
      guard index < bytes.count && isDigit(bytes[index]) else {
        throw JSONParseError(.invalidNumber, at: index)
      }
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
  }

  @inline(__always)
  func isDigit(_ byte: UInt8) -> Bool { byte >= Byte.zero && byte <= Byte.nine }

  /// Reads a string body; the index is just past the opening quote. Strings without escapes
  /// (nearly all of them) are decoded straight from the input bytes.
  mutating func parseString() throws -> String {
    let start = index
    while index < bytes.count {
      let byte = bytes[index]
      if byte == Byte.quote {
        let text = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        index += 1
        return text
      }
      if byte == Byte.backslash { return try parseEscapedString(from: start) }
      if byte < 0x20 { throw JSONParseError(.controlCharacterInString, at: index) }
      index += 1
    }
    throw JSONParseError(.unexpectedEnd, at: index)
  }

  mutating func parseEscapedString(from start: Int) throws -> String {
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
    while index < bytes.count {
      let byte = bytes[index]
      if byte == Byte.quote {
        index += 1
        return String(decoding: scratch, as: UTF8.self)
      }
      if byte < 0x20 { throw JSONParseError(.controlCharacterInString, at: index) }
      guard byte == Byte.backslash else {
        scratch.append(byte)
        index += 1
        continue
      }
      guard index + 1 < bytes.count else { throw JSONParseError(.unexpectedEnd, at: bytes.count) }
      let escape = bytes[index + 1]
      index += 2
      switch escape {
      case Byte.quote: scratch.append(Byte.quote)
      case Byte.backslash: scratch.append(Byte.backslash)
      case Byte.slash: scratch.append(Byte.slash)
      case 0x62: scratch.append(0x08)  // b
      case 0x66: scratch.append(0x0C)  // f
      case 0x6E: scratch.append(0x0A)  // n
      case 0x72: scratch.append(0x0D)  // r
      case 0x74: scratch.append(0x09)  // t
      case 0x75: try appendUnicodeEscape()  // u
      default: throw JSONParseError(.invalidEscape, at: index - 1)
      }
    }
    throw JSONParseError(.unexpectedEnd, at: index)
  }

  /// Reads the four hex digits after `\u` (and a following low surrogate escape, if any).
  /// A lone surrogate becomes U+FFFD, as a lenient reader must not fail on it.
  mutating func appendUnicodeEscape() throws {
    let unit = try readHex4()
    var scalar: UInt32
    if unit >= 0xD800 && unit <= 0xDBFF {
      if index + 6 <= bytes.count && bytes[index] == Byte.backslash && bytes[index + 1] == 0x75,
        let low = hex4(at: index + 2), low >= 0xDC00 && low <= 0xDFFF
      {
        index += 6
        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
      } else {
        scalar = 0xFFFD
      }
    } else if unit >= 0xDC00 && unit <= 0xDFFF {
      scalar = 0xFFFD
    } else {
      scalar = unit
    }
    appendUTF8(scalar)
  }

  mutating func readHex4() throws -> UInt32 {
    guard index + 4 <= bytes.count else { throw JSONParseError(.unexpectedEnd, at: bytes.count) }
    guard let value = hex4(at: index) else { throw JSONParseError(.invalidEscape, at: index) }
    index += 4
    return value
  }

  func hex4(at position: Int) -> UInt32? {
    var value: UInt32 = 0
    for offset in 0..<4 {
      let byte = bytes[position + offset]
      let digit: UInt8
      switch byte {
      case 0x30...0x39: digit = byte - 0x30
      case 0x41...0x46: digit = byte - 0x41 + 10
      case 0x61...0x66: digit = byte - 0x61 + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }

  mutating func appendUTF8(_ scalar: UInt32) {
    switch scalar {
    case 0..<0x80:
      scratch.append(UInt8(scalar))
    case 0x80..<0x800:
      scratch.append(UInt8(0xC0 | (scalar >> 6)))
      scratch.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
      scratch.append(UInt8(0xE0 | (scalar >> 12)))
      scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      scratch.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
      scratch.append(UInt8(0xF0 | (scalar >> 18)))
      scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      scratch.append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }
}
