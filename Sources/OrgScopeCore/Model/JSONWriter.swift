/// Writes `JSONValue`s back out as valid JSON, keeping key order and the numbers' literal
/// text, for `list --format json|ndjson` and exports.
public enum JSONWriter {
  /// One line, no spaces: what ndjson needs.
  public static func compact(_ value: JSONValue) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(256)
    write(value, into: &output, indent: nil, level: 0)
    return String(decoding: output, as: UTF8.self)
  }

  /// Indented with `indent` spaces per level, for humans.
  public static func pretty(_ value: JSONValue, indent: Int = 2) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(256)
    write(value, into: &output, indent: max(0, indent), level: 0)
    return String(decoding: output, as: UTF8.self)
  }

  /// Appends the compact form of `value` to `output`, so callers writing many records can
  /// reuse one buffer.
  public static func appendCompact(_ value: JSONValue, to output: inout [UInt8]) {
    write(value, into: &output, indent: nil, level: 0)
  }

  /// Appends `value` pretty-printed as if it stood `level` levels deep (its closing
  /// bracket indented to `level`), for writing a long array one element at a time.
  public static func appendPretty(
    _ value: JSONValue, to output: inout [UInt8], indent: Int = 2, level: Int
  ) {
    write(value, into: &output, indent: max(0, indent), level: level)
  }

  /// A JSON string literal for `text`, quotes included.
  public static func quoted(_ text: String) -> String {
    var output: [UInt8] = []
    appendString(text, to: &output)
    return String(decoding: output, as: UTF8.self)
  }

  private static func write(
    _ value: JSONValue, into output: inout [UInt8], indent: Int?, level: Int
  ) {
    switch value {
    case .null: output.append(contentsOf: "null".utf8)
    case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
    case .number(let text):
      // A number built in code (not parsed) may not be valid JSON; a string keeps it readable.
      if isValidNumber(text) {
        output.append(contentsOf: text.utf8)
      } else {
        appendString(text, to: &output)
      }
    case .string(let text): appendString(text, to: &output)
    case .array(let items):
      guard !items.isEmpty else {
        output.append(contentsOf: "[]".utf8)
        return
      }
      output.append(0x5B)
      for (position, item) in items.enumerated() {
        if position > 0 { output.append(0x2C) }
        newline(into: &output, indent: indent, level: level + 1)
        write(item, into: &output, indent: indent, level: level + 1)
      }
      newline(into: &output, indent: indent, level: level)
      output.append(0x5D)
    case .object(let object):
      guard object.count > 0 else {
        output.append(contentsOf: "{}".utf8)
        return
      }
      output.append(0x7B)
      for (position, field) in object.fields.enumerated() {
        if position > 0 { output.append(0x2C) }
        newline(into: &output, indent: indent, level: level + 1)
        appendString(field.key, to: &output)
        output.append(0x3A)
        if indent != nil { output.append(0x20) }
        write(field.value, into: &output, indent: indent, level: level + 1)
      }
      newline(into: &output, indent: indent, level: level)
      output.append(0x7D)
    }
  }

  private static func newline(into output: inout [UInt8], indent: Int?, level: Int) {
    guard let indent else { return }
    output.append(0x0A)
    output.append(contentsOf: repeatElement(0x20, count: indent * level))
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends a string literal, quotes included: the one JSON string escaper, for Core's
  /// output and the sandbox's answers alike. Besides what JSON requires, it escapes as `\u` sequences
  /// everything that could change a terminal when the output is shown: DEL, the C1
  /// controls (U+0080–U+009F, which some terminals run as CSI, OSC, …), the bidi
  /// embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E,
  /// U+200F, U+061C) and the line and paragraph separators (U+2028, U+2029). The result
  /// is valid JSON that parses back to exactly the same text.
  public static func appendString(_ text: String, to output: inout [UInt8]) {
    output.append(0x22)
    var text = text
    text.withUTF8 { bytes in
      var runStart = 0
      var position = 0
      while position < bytes.count {
        let byte = bytes[position]
        if byte >= 0x80 {
          // Multi-byte forms of the scalars to escape: C2 80–9F, D8 9C, E2 80 8E/8F/A8–AE,
          // E2 81 A6–A9.
          var scalar: UInt32?
          var length = 1
          if byte == 0xC2, position + 1 < bytes.count, (0x80...0x9F).contains(bytes[position + 1]) {
            scalar = UInt32(bytes[position + 1])
            length = 2
          } else if byte == 0xD8, position + 1 < bytes.count, bytes[position + 1] == 0x9C {
            scalar = 0x061C
            length = 2
          } else if byte == 0xE2, position + 2 < bytes.count {
            let second = bytes[position + 1]
            let third = bytes[position + 2]
            if second == 0x80,
              third == 0x8E || third == 0x8F || (0xA8...0xAE).contains(third)
            {
              scalar = 0x2000 + UInt32(third - 0x80)
              length = 3
            } else if second == 0x81, (0xA6...0xA9).contains(third) {
              scalar = 0x2040 + UInt32(third - 0x80)
              length = 3
            }
          }
          if let scalar {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            output.append(contentsOf: [0x5C, 0x75])
            for shift in [12, 8, 4, 0] { output.append(hexDigits[Int((scalar >> shift) & 0xF)]) }
            position += length
            runStart = position
          } else {
            position += 1
          }
          continue
        }
        position += 1
        guard byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F else { continue }
        output.append(
          contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<(position - 1)]))
        runStart = position
        output.append(0x5C)
        switch byte {
        case 0x22: output.append(0x22)
        case 0x5C: output.append(0x5C)
        case 0x0A: output.append(0x6E)
        case 0x0D: output.append(0x72)
        case 0x09: output.append(0x74)
        case 0x08: output.append(0x62)
        case 0x0C: output.append(0x66)
        default:
          // DEL is legal JSON but escaped too, so no raw control byte reaches a terminal.
          output.append(contentsOf: [0x75, 0x30, 0x30])
          output.append(hexDigits[Int(byte >> 4)])
          output.append(hexDigits[Int(byte & 0x0F)])
        }
      }
      output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }
    output.append(0x22)
  }

  /// Whether `text` follows the RFC 8259 number grammar.
  static func isValidNumber(_ text: String) -> Bool {
    var bytes = text.utf8[...]
    func digits() -> Int {
      var count = 0
      while let byte = bytes.first, byte >= 0x30 && byte <= 0x39 {
        bytes = bytes.dropFirst()
        count += 1
      }
      return count
    }
    if bytes.first == 0x2D { bytes = bytes.dropFirst() }
    if bytes.first == 0x30 {
      bytes = bytes.dropFirst()
    } else if digits() == 0 {
      return false
    }
    if bytes.first == 0x2E {
      bytes = bytes.dropFirst()
      if digits() == 0 { return false }
    }
    if bytes.first == 0x65 || bytes.first == 0x45 {
      bytes = bytes.dropFirst()
      if bytes.first == 0x2B || bytes.first == 0x2D { bytes = bytes.dropFirst() }
      if digits() == 0 { return false }
    }
    return bytes.isEmpty
  }
}
