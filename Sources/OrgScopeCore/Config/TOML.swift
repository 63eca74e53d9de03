/// A small TOML reader for the config and theme files: comments, bare/quoted/dotted keys,
/// `[table]` and `[a.b]` headers, basic and literal strings (single and multi-line),
/// integers, floats, booleans, arrays and inline tables. Dates and arrays of tables are
/// refused with a clear error: our files never need them.
public enum TOML {
  /// Parses `text`. `file` only names the file in errors.
  public static func parse(_ text: String, file: String? = nil) throws -> TOMLTable {
    var parser = TOMLParser(bytes: Array(text.utf8), file: file)
    return try parser.parseDocument()
  }
}

/// A TOML value.
public indirect enum TOMLValue: Sendable, Hashable {
  case string(String)
  case integer(Int)
  case float(Double)
  case boolean(Bool)
  case array([TOMLValue])
  case table(TOMLTable)

  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  public var integer: Int? {
    if case .integer(let value) = self { return value }
    return nil
  }

  public var boolean: Bool? {
    if case .boolean(let value) = self { return value }
    return nil
  }

  public var array: [TOMLValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  public var table: TOMLTable? {
    if case .table(let value) = self { return value }
    return nil
  }

  /// The TOML type name, for error messages ("expected a string, found an integer").
  public var typeName: String {
    switch self {
    case .string: return "string"
    case .integer: return "integer"
    case .float: return "float"
    case .boolean: return "boolean"
    case .array: return "array"
    case .table: return "table"
    }
  }
}

/// A TOML table that keeps its keys in file order and remembers the line of each key.
public struct TOMLTable: Sendable, Hashable, Sequence {
  public struct Entry: Sendable, Hashable {
    public var key: String
    public var value: TOMLValue
    /// The 1-based line where the key was set (or its table first appeared).
    public var line: Int
  }

  public private(set) var entries: [Entry] = []

  public init() {}

  public var keys: [String] { entries.map(\.key) }
  public var count: Int { entries.count }
  public var isEmpty: Bool { entries.isEmpty }

  public subscript(key: String) -> TOMLValue? {
    entries.first { $0.key == key }?.value
  }

  /// The line where `key` was set, for error messages.
  public func line(of key: String) -> Int? {
    entries.first { $0.key == key }?.line
  }

  public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

  fileprivate func index(of key: String) -> Int? {
    entries.firstIndex { $0.key == key }
  }

  fileprivate mutating func append(_ key: String, _ value: TOMLValue, line: Int) {
    entries.append(Entry(key: key, value: value, line: line))
  }

  fileprivate mutating func replace(at index: Int, with value: TOMLValue) {
    entries[index].value = value
  }
}

/// A syntax error: the file (if named), the 1-based line and what is wrong.
public struct TOMLError: Error, Sendable, Hashable, CustomStringConvertible {
  public var file: String?
  public var line: Int
  public var message: String

  public var description: String {
    if let file { return "\(file):\(line): \(message)" }
    return "line \(line): \(message)"
  }

  /// A key path quoted for an error, or `a key (not shown)` when it does not look like a
  /// setting's name: in a broken file a value (a secret) can run into a key, and errors
  /// never show a secret. Each dotted part must be letters, `_` and `-` (at most 40), or
  /// letters, digits, `_` and `-` (at most 12): tokens are long and hold digits.
  public static func shown(_ path: [String]) -> String {
    let parts = path.flatMap { $0.split(separator: ".", omittingEmptySubsequences: false) }
    let nameLike = parts.allSatisfy { part in
      let plain = part.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "_" || $0 == "-") }
      let short = part.allSatisfy {
        $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-")
      }
      return !part.isEmpty && ((plain && part.count <= 40) || (short && part.count <= 12))
    }
    guard !parts.isEmpty, nameLike else { return "a key (not shown)" }
    return "\"\(path.joined(separator: "."))\""
  }
}

private struct TOMLParser {
  let bytes: [UInt8]
  let file: String?
  var position = 0
  var line = 1
  var root = TOMLTable()
  /// Tables opened by a `[header]` or an inline table: a second header for them is an error.
  var closedTables: Set<[String]> = []
  var inlineTables: Set<[String]> = []
  /// The key whose value is being read, named in errors (a value never is: it may be a
  /// secret).
  var currentKey: String?
  /// Arrays and inline tables open around the current position.
  var depth = 0
  /// Deepest nesting of arrays and inline tables, and most parts in a key path: a file
  /// nested 50,000 levels deep is an error, not a stack overflow.
  static let maxDepth = 32

  init(bytes: [UInt8], file: String?) {
    self.bytes = bytes
    self.file = file
  }

  func fail(_ message: String, line: Int? = nil) -> TOMLError {
    let context = currentKey.map { " (in the value of \(TOMLError.shown([$0])))" } ?? ""
    return TOMLError(file: file, line: line ?? self.line, message: message + context)
  }

  /// Enters an array or inline table, refusing nesting beyond `maxDepth`.
  mutating func enter() throws {
    depth += 1
    if depth > TOMLParser.maxDepth {
      throw fail("nested more than \(TOMLParser.maxDepth) levels deep")
    }
  }

  var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  func peek(_ offset: Int) -> UInt8? {
    position + offset < bytes.count ? bytes[position + offset] : nil
  }

  mutating func advance() {
    if current == UInt8(ascii: "\n") { line += 1 }
    position += 1
  }

  mutating func skipSpaces() {
    while let byte = current, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
      position += 1
    }
  }

  mutating func skipComment() throws {
    guard current == UInt8(ascii: "#") else { return }
    while let byte = current, byte != UInt8(ascii: "\n") {
      if byte < 0x20 && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") {
        throw fail("control character in a comment")
      }
      position += 1
    }
  }

  /// After a key/value or header: spaces, an optional comment, then a newline or the end.
  mutating func expectLineEnd() throws {
    skipSpaces()
    try skipComment()
    if current == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { position += 1 }
    guard let byte = current else { return }
    guard byte == UInt8(ascii: "\n") else {
      throw fail("unexpected text after the value; expected the end of the line")
    }
    advance()
  }

  /// Whitespace, newlines and comments (inside arrays).
  mutating func skipTrivia() throws {
    while let byte = current {
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
        advance()
      case UInt8(ascii: "#"):
        try skipComment()
      default:
        return
      }
    }
  }

  mutating func parseDocument() throws -> TOMLTable {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    var tablePath: [String] = []
    while current != nil {
      try skipTrivia()
      guard let byte = current else { break }
      if byte == UInt8(ascii: "[") {
        tablePath = try parseHeader()
      } else {
        let keyLine = line
        let key = try parseKey()
        skipSpaces()
        guard current == UInt8(ascii: "=") else {
          throw fail("expected \"=\" after the key \(TOMLError.shown(key))")
        }
        position += 1
        skipSpaces()
        guard tablePath.count + key.count <= TOMLParser.maxDepth else {
          throw fail("key nested more than \(TOMLParser.maxDepth) levels deep")
        }
        currentKey = (tablePath + key).joined(separator: ".")
        let value = try parseValue()
        try insert(value, at: tablePath + key, line: keyLine, dotted: key.count > 1)
        try expectLineEnd()
        currentKey = nil
      }
    }
    return root
  }

  mutating func parseHeader() throws -> [String] {
    let headerLine = line
    position += 1
    if current == UInt8(ascii: "[") {
      throw fail("arrays of tables ([[...]]) are not supported")
    }
    skipSpaces()
    let path = try parseKey()
    skipSpaces()
    guard current == UInt8(ascii: "]") else {
      throw fail("expected \"]\" to close the table header")
    }
    position += 1
    if closedTables.contains(path) || inlineTables.contains(path) {
      throw fail("table \(TOMLError.shown(path)) is defined twice", line: headerLine)
    }
    closedTables.insert(path)
    try ensureTable(at: path, line: headerLine)
    try expectLineEnd()
    return path
  }

  /// A key: bare or quoted parts joined by dots.
  mutating func parseKey() throws -> [String] {
    var parts: [String] = []
    while true {
      skipSpaces()
      guard let byte = current else { throw fail("expected a key, found the end of the file") }
      if byte == UInt8(ascii: "\"") {
        if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
          throw fail("a multi-line string cannot be a key")
        }
        parts.append(try parseBasicString())
      } else if byte == UInt8(ascii: "'") {
        if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
          throw fail("a multi-line string cannot be a key")
        }
        parts.append(try parseLiteralString())
      } else {
        let start = position
        while let c = current, isBareKeyByte(c) { position += 1 }
        guard position > start else { throw fail("expected a key, found \(describe(byte))") }
        parts.append(String(decoding: bytes[start..<position], as: UTF8.self))
      }
      skipSpaces()
      guard current == UInt8(ascii: ".") else { return parts }
      guard parts.count < TOMLParser.maxDepth else {
        throw fail("key nested more than \(TOMLParser.maxDepth) levels deep")
      }
      position += 1
    }
  }

  func isBareKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
      return true
    default:
      return false
    }
  }

  mutating func parseValue() throws -> TOMLValue {
    guard let byte = current else { throw fail("expected a value, found the end of the file") }
    switch byte {
    case UInt8(ascii: "\""):
      if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
        return .string(try parseMultilineBasicString())
      }
      return .string(try parseBasicString())
    case UInt8(ascii: "'"):
      if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
        return .string(try parseMultilineLiteralString())
      }
      return .string(try parseLiteralString())
    case UInt8(ascii: "["):
      return try parseArray()
    case UInt8(ascii: "{"):
      return try parseInlineTable()
    default:
      return try parseScalarWord()
    }
  }

  mutating func parseBasicString() throws -> String {
    let startLine = line
    position += 1
    var out: [UInt8] = []
    while true {
      guard let byte = current, byte != UInt8(ascii: "\n") else {
        throw fail("unterminated string", line: startLine)
      }
      if byte == UInt8(ascii: "\"") {
        position += 1
        return String(decoding: out, as: UTF8.self)
      }
      if byte == UInt8(ascii: "\\") {
        try parseEscape(into: &out)
      } else {
        if byte < 0x20 && byte != UInt8(ascii: "\t") {
          throw fail("control character in a string; use an escape")
        }
        out.append(byte)
        position += 1
      }
    }
  }

  mutating func parseMultilineBasicString() throws -> String {
    let startLine = line
    position += 3
    if current == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { position += 1 }
    if current == UInt8(ascii: "\n") { advance() }
    var out: [UInt8] = []
    while true {
      guard let byte = current else { throw fail("unterminated string", line: startLine) }
      if byte == UInt8(ascii: "\""), peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
        position += 3
        // Up to two quotes right before the closing three belong to the content.
        var extra = 0
        while current == UInt8(ascii: "\""), extra < 2 {
          out.append(UInt8(ascii: "\""))
          position += 1
          extra += 1
        }
        return String(decoding: out, as: UTF8.self)
      }
      if byte == UInt8(ascii: "\\") {
        if lineEndingBackslash() {
          position += 1
          skipWhitespaceAndNewlines()
          continue
        }
        try parseEscape(into: &out)
      } else {
        out.append(byte)
        advance()
      }
    }
  }

  /// A backslash followed only by spaces up to the end of the line trims the line break.
  func lineEndingBackslash() -> Bool {
    var index = position + 1
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
      case UInt8(ascii: "\n"): return true
      default: return false
      }
    }
    return false
  }

  mutating func skipWhitespaceAndNewlines() {
    while let byte = current,
      byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
        || byte == UInt8(ascii: "\r")
    {
      advance()
    }
  }

  mutating func parseEscape(into out: inout [UInt8]) throws {
    position += 1
    guard let code = current else { throw fail("unterminated escape") }
    position += 1
    switch code {
    case UInt8(ascii: "b"): out.append(0x08)
    case UInt8(ascii: "t"): out.append(0x09)
    case UInt8(ascii: "n"): out.append(0x0A)
    case UInt8(ascii: "f"): out.append(0x0C)
    case UInt8(ascii: "r"): out.append(0x0D)
    case UInt8(ascii: "e"): out.append(0x1B)
    case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
    case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
    case UInt8(ascii: "u"), UInt8(ascii: "U"):
      let width = code == UInt8(ascii: "u") ? 4 : 8
      guard position + width <= bytes.count,
        let value = UInt32(
          String(decoding: bytes[position..<position + width], as: UTF8.self), radix: 16),
        let scalar = Unicode.Scalar(value)
      else {
        throw fail("invalid unicode escape; expected \\u and 4 or \\U and 8 hex digits")
      }
      position += width
      out.append(contentsOf: Array(String(Character(scalar)).utf8))
    default:
      throw fail("invalid escape in a string")
    }
  }

  mutating func parseLiteralString() throws -> String {
    let startLine = line
    position += 1
    let start = position
    while let byte = current, byte != UInt8(ascii: "'") {
      if byte == UInt8(ascii: "\n") { break }
      position += 1
    }
    guard current == UInt8(ascii: "'") else { throw fail("unterminated string", line: startLine) }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    position += 1
    return text
  }

  mutating func parseMultilineLiteralString() throws -> String {
    let startLine = line
    position += 3
    if current == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { position += 1 }
    if current == UInt8(ascii: "\n") { advance() }
    let start = position
    while true {
      guard let byte = current else { throw fail("unterminated string", line: startLine) }
      if byte == UInt8(ascii: "'"), peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
        var end = position
        position += 3
        var extra = 0
        while current == UInt8(ascii: "'"), extra < 2 {
          position += 1
          end += 1
          extra += 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
      }
      advance()
    }
  }

  mutating func parseArray() throws -> TOMLValue {
    let startLine = line
    try enter()
    defer { depth -= 1 }
    position += 1
    var items: [TOMLValue] = []
    while true {
      try skipTrivia()
      guard let byte = current else { throw fail("unterminated array", line: startLine) }
      if byte == UInt8(ascii: "]") {
        position += 1
        return .array(items)
      }
      items.append(try parseValue())
      try skipTrivia()
      if current == nil { throw fail("unterminated array", line: startLine) }
      if current == UInt8(ascii: ",") {
        position += 1
      } else if current != UInt8(ascii: "]") {
        throw fail("expected \",\" or \"]\" in the array, found \(describe(current))")
      }
    }
  }

  mutating func parseInlineTable() throws -> TOMLValue {
    try enter()
    defer { depth -= 1 }
    position += 1
    var table = TOMLTable()
    skipSpaces()
    if current == UInt8(ascii: "}") {
      position += 1
      return .table(table)
    }
    while true {
      skipSpaces()
      let keyLine = line
      let key = try parseKey()
      skipSpaces()
      guard current == UInt8(ascii: "=") else { throw fail("expected \"=\" in the inline table") }
      position += 1
      skipSpaces()
      let value = try parseValue()
      try TOMLParser.insert(value, into: &table, at: key[...], line: keyLine, file: file)
      skipSpaces()
      if current == UInt8(ascii: ",") {
        position += 1
      } else if current == UInt8(ascii: "}") {
        position += 1
        return .table(table)
      } else {
        throw fail("expected \",\" or \"}\" in the inline table, found \(describe(current))")
      }
    }
  }

  /// Booleans, integers and floats: everything up to a delimiter.
  mutating func parseScalarWord() throws -> TOMLValue {
    let start = position
    while let byte = current,
      !(byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
        || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]")
        || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "#"))
    {
      position += 1
    }
    let word = String(decoding: bytes[start..<position], as: UTF8.self)
    if word.isEmpty { throw fail("expected a value, found \(describe(current))") }
    if word == "true" { return .boolean(true) }
    if word == "false" { return .boolean(false) }
    if let integer = TOMLParser.integer(word) { return .integer(integer) }
    if let float = TOMLParser.float(word) { return .float(float) }
    if word.count >= 10, word.prefix(4).allSatisfy(\.isNumber), word.dropFirst(4).first == "-" {
      throw fail("dates are not supported; quote the value")
    }
    throw fail("invalid value (not shown); strings need quotes")
  }

  static func integer(_ word: String) -> Int? {
    var text = Substring(word)
    if text.contains("__") || text.hasPrefix("_") || text.hasSuffix("_") { return nil }
    var sign = 1
    if text.hasPrefix("+") || text.hasPrefix("-") {
      if text.hasPrefix("-") { sign = -1 }
      text = text.dropFirst()
    }
    var radix = 10
    for (prefix, base) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
      guard sign == 1, word.first != "+" else { return nil }
      radix = base
      text = text.dropFirst(2)
    }
    let digits = text.filter { $0 != "_" }
    guard !digits.isEmpty, !digits.hasPrefix("+"), !digits.hasPrefix("-") else { return nil }
    if radix == 10, digits.count > 1, digits.hasPrefix("0") { return nil }
    guard let value = Int(digits, radix: radix) else { return nil }
    return sign * value
  }

  static func float(_ word: String) -> Double? {
    switch word {
    case "inf", "+inf": return .infinity
    case "-inf": return -.infinity
    case "nan", "+nan", "-nan": return .nan
    default: break
    }
    let text = word.filter { $0 != "_" }
    guard text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
      text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
      !text.hasPrefix("."), !text.hasSuffix(".")
    else { return nil }
    return Double(text)
  }

  /// What was found, for an error: punctuation is named, anything else is not (it may be
  /// part of a secret).
  func describe(_ byte: UInt8?) -> String {
    guard let byte else { return "the end of the file" }
    if byte == UInt8(ascii: "\n") { return "the end of the line" }
    if "=[]{},.\"'#".utf8.contains(byte) {
      return "\"\(String(decoding: [byte], as: UTF8.self))\""
    }
    return "other text"
  }

  mutating func ensureTable(at path: [String], line: Int) throws {
    try TOMLParser.ensureTable(in: &root, at: path[...], line: line, file: file)
  }

  mutating func insert(_ value: TOMLValue, at path: [String], line: Int, dotted: Bool) throws {
    for length in 1..<path.count where inlineTables.contains(Array(path.prefix(length))) {
      throw fail(
        "cannot add keys to the inline table \(TOMLError.shown(Array(path.prefix(length)))))")
    }
    try TOMLParser.insert(value, into: &root, at: path[...], line: line, file: file)
    if case .table = value { inlineTables.insert(path) }
  }

  static func ensureTable(
    in table: inout TOMLTable, at path: ArraySlice<String>, line: Int, file: String?
  ) throws {
    guard let key = path.first else { return }
    if let index = table.index(of: key) {
      guard case .table(var inner) = table.entries[index].value else {
        throw TOMLError(
          file: file, line: line,
          message: "\(TOMLError.shown([key])) is already a value, not a table")
      }
      try ensureTable(in: &inner, at: path.dropFirst(), line: line, file: file)
      table.replace(at: index, with: .table(inner))
    } else {
      var inner = TOMLTable()
      try ensureTable(in: &inner, at: path.dropFirst(), line: line, file: file)
      table.append(key, .table(inner), line: line)
    }
  }

  static func insert(
    _ value: TOMLValue, into table: inout TOMLTable, at path: ArraySlice<String>, line: Int,
    file: String?
  ) throws {
    guard let key = path.first else { return }
    if path.count == 1 {
      if let previous = table.line(of: key) {
        throw TOMLError(
          file: file, line: line,
          message: "duplicate key \(TOMLError.shown([key])) (first set on line \(previous))")
      }
      table.append(key, value, line: line)
      return
    }
    if let index = table.index(of: key) {
      guard case .table(var inner) = table.entries[index].value else {
        throw TOMLError(
          file: file, line: line,
          message: "\(TOMLError.shown([key])) is already a value, not a table")
      }
      try insert(value, into: &inner, at: path.dropFirst(), line: line, file: file)
      table.replace(at: index, with: .table(inner))
    } else {
      var inner = TOMLTable()
      try insert(value, into: &inner, at: path.dropFirst(), line: line, file: file)
      table.append(key, .table(inner), line: line)
    }
  }
}
