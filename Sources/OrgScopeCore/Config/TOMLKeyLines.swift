/// Where each key of a TOML text is set, and the lines its value spans: what TOMLKit does
/// not tell, found by a scan that reads keys and table headers at the start of lines and
/// skips over values (strings, arrays, inline tables) without reading them. It runs before
/// the library, so it also refuses what the library would take too deep or too quietly:
/// key paths of more than `maxDepth` parts, and NUL escapes (the library's strings end at a
/// NUL, and a value would be cut short without a word).
struct KeyLines {
  struct Failure: Error {
    var line: Int
    var key: [String]?
    var message: String
  }

  /// Most parts in a key path: a file nested 50,000 levels deep is an error, not a stack
  /// overflow.
  static let maxDepth = 32

  /// Each key path (headers included) and the lines from its key to the end of its value.
  private(set) var spans: [[String]: ClosedRange<Int>] = [:]

  private let bytes: [UInt8]
  private var position = 0
  private var line = 1

  init(scanning text: String) throws(Failure) {
    bytes = Array(text.utf8)
    try scan()
  }

  /// The line where `path` was set; for a key inside an inline table, its table's line.
  func line(of path: [String]) -> Int {
    var prefix = path[...]
    while !prefix.isEmpty {
      if let span = spans[Array(prefix)] { return span.lowerBound }
      prefix = prefix.dropLast()
    }
    return 1
  }

  /// The key whose value (or header) spans `line`: the innermost, latest set.
  func key(at line: Int) -> [String]? {
    spans.filter { $0.value.contains(line) }
      .max { ($0.value.lowerBound, $0.key.count) < ($1.value.lowerBound, $1.key.count) }?.key
  }

  private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  private func peek(_ offset: Int) -> UInt8? {
    position + offset < bytes.count ? bytes[position + offset] : nil
  }

  private mutating func advance() {
    if current == UInt8(ascii: "\n") { line += 1 }
    position += 1
  }

  private mutating func skipSpaces() {
    while current == UInt8(ascii: " ") || current == UInt8(ascii: "\t") { position += 1 }
  }

  private mutating func skipToLineEnd() {
    while let byte = current, byte != UInt8(ascii: "\n") { position += 1 }
  }

  private mutating func record(_ path: [String], from start: Int) {
    guard !path.isEmpty else { return }
    for length in 1...path.count where spans[Array(path.prefix(length))] == nil {
      spans[Array(path.prefix(length))] = start...max(start, line)
    }
    spans[path] = (spans[path]?.lowerBound ?? start)...max(start, line)
  }

  private mutating func scan() throws(Failure) {
    var table: [String] = []
    while current != nil {
      skipSpaces()
      guard let byte = current else { break }
      switch byte {
      case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        advance()
      case UInt8(ascii: "#"):
        skipToLineEnd()
      case UInt8(ascii: "["):
        position += peek(1) == UInt8(ascii: "[") ? 2 : 1
        let start = line
        // toml++ 3.4 (inside TOMLKit 0.6.0) asserts, rather than failing, on a header that
        // does not start with a key (`[{t]`): such a header is refused here first.
        skipSpaces()
        guard let first = current,
          Self.isBareKeyByte(first) || first == UInt8(ascii: "\"") || first == UInt8(ascii: "'")
        else {
          throw Failure(line: line, key: nil, message: "expected a key in the table header")
        }
        table = try key()
        record(table, from: start)
        skipToLineEnd()
      default:
        let start = line
        let path = table + (try key())
        skipSpaces()
        guard current == UInt8(ascii: "=") else {
          skipToLineEnd()
          continue
        }
        position += 1
        try skipValue(key: path)
        record(path, from: start)
      }
    }
  }

  /// A key: bare or quoted parts joined by dots. An unreadable key ends where it stops
  /// being one; the library says what is wrong with it.
  private mutating func key() throws(Failure) -> [String] {
    var parts: [String] = []
    while true {
      skipSpaces()
      guard let byte = current else { return parts }
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        parts.append(quotedKey(byte))
      } else {
        let start = position
        while let c = current, Self.isBareKeyByte(c) { position += 1 }
        guard position > start else { return parts }
        parts.append(String(decoding: bytes[start..<position], as: UTF8.self))
      }
      guard parts.count <= Self.maxDepth else {
        throw Failure(
          line: line, key: nil, message: "key nested more than \(Self.maxDepth) levels deep")
      }
      skipSpaces()
      guard current == UInt8(ascii: ".") else { return parts }
      position += 1
    }
  }

  private static func isBareKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
      return true
    default:
      return false
    }
  }

  /// A quoted key part as the library decodes it, for the escapes a key would hold.
  private mutating func quotedKey(_ quote: UInt8) -> String {
    position += 1
    var out: [UInt8] = []
    while let byte = current, byte != quote, byte != UInt8(ascii: "\n") {
      if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\"), let next = peek(1) {
        position += 2
        switch next {
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
          let width = next == UInt8(ascii: "u") ? 4 : 8
          let end = min(bytes.count, position + width)
          let digits = String(decoding: bytes[position..<end], as: UTF8.self)
          if let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) {
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
          }
          position = end
        default: out.append(next)
        }
        continue
      }
      out.append(byte)
      position += 1
    }
    if current == quote { position += 1 }
    return String(decoding: out, as: UTF8.self)
  }

  /// Steps over a value up to the end of its line: through strings (a multi-line one to
  /// its end), and through arrays and inline tables to their closing bracket.
  private mutating func skipValue(key: [String]) throws(Failure) {
    var depth = 0
    while let byte = current {
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        try skipString(byte, key: key)
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        depth += 1
        position += 1
      case UInt8(ascii: "]"), UInt8(ascii: "}"):
        depth = max(0, depth - 1)
        position += 1
      case UInt8(ascii: "#"):
        skipToLineEnd()
      case UInt8(ascii: "\n"):
        if depth == 0 { return }
        advance()
      default:
        position += 1
      }
    }
  }

  private mutating func skipString(_ quote: UInt8, key: [String]) throws(Failure) {
    let multiline = peek(1) == quote && peek(2) == quote
    position += multiline ? 3 : 1
    while let byte = current {
      if byte == quote {
        if !multiline {
          position += 1
          return
        }
        if peek(1) == quote && peek(2) == quote {
          position += 3
          while current == quote { position += 1 }
          return
        }
      }
      if byte == UInt8(ascii: "\n") && !multiline { return }
      if byte == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") {
        if isNULEscape() {
          throw Failure(
            line: line, key: key, message: "a NUL character (\\u0000) in a string")
        }
        position += 1
      }
      advance()
    }
  }

  /// `\u0000` or `\U00000000` at the current backslash.
  private func isNULEscape() -> Bool {
    guard let kind = peek(1), kind == UInt8(ascii: "u") || kind == UInt8(ascii: "U") else {
      return false
    }
    let width = kind == UInt8(ascii: "u") ? 4 : 8
    return (2..<2 + width).allSatisfy { peek($0) == UInt8(ascii: "0") }
  }
}
