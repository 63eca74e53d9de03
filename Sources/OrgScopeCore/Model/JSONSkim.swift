#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads one member of a JSON document without building the rest of it: the paging engine
/// learns where the next page is (`page_info.next_marker` at the end of a 300 KB Huawei
/// page, say) in a fraction of a full parse, asks for that page, and decodes this one while
/// the next is on the wire.
///
/// It answers only when sure: a path through object keys written without escapes. Anything
/// it does not fully understand (a malformed document, an escaped key, a repeated key on the
/// path) gives `.unknown`, and the caller decodes the page in full instead.
public enum JSONSkim {
  public enum Answer: Sendable, Hashable {
    /// The value at the path, parsed.
    case value(JSONValue)
    /// The document is well formed up to the path, and the path is not in it.
    case absent
    /// Not sure: decode the whole page.
    case unknown
  }

  /// The value at `path`, a chain of object keys from the top level.
  public static func value(at path: [String], in bytes: [UInt8]) -> Answer {
    bytes.withUnsafeBufferPointer { buffer in
      var skimmer = Skimmer(bytes: buffer)
      guard let range = skimmer.find(path.map { Array($0.utf8) }) else { return .unknown }
      guard let range = range else { return .absent }
      guard let value = try? JSONParser.parse(buffer[range]) else { return .unknown }
      return .value(value)
    }
  }

  /// The number of elements of the array at `path`; nil when unsure or not an array.
  public static func count(at path: [String], in bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { buffer in
      var skimmer = Skimmer(bytes: buffer)
      guard case .some(.some(let range)) = skimmer.find(path.map { Array($0.utf8) }) else {
        return nil
      }
      var inner = Skimmer(bytes: buffer, position: range.lowerBound)
      return inner.countArray()
    }
  }
}

extension JSONSkim.Answer {
  /// What a provider makes of the value (nil when absent); nil when unsure.
  public func peeked<T>(_ read: (JSONValue?) -> T) -> T? {
    switch self {
    case .value(let value): return read(value)
    case .absent: return read(nil)
    case .unknown: return nil
    }
  }
}

private struct Skimmer {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  init(bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
    self.bytes = bytes
    self.position = position
  }

  /// `nil`: unsure; `.some(nil)`: absent; `.some(range)`: the bytes of the value.
  mutating func find(_ path: [[UInt8]]) -> Range<Int>?? {
    skipBOM()
    var remaining = path[...]
    while let key = remaining.popFirst() {
      skipWhitespace()
      guard peek() == UInt8(ascii: "{") else { return nil }
      position += 1
      var found: Range<Int>?
      var first = true
      while true {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
          position += 1
          break
        }
        if !first {
          guard peek() == UInt8(ascii: ",") else { return nil }
          position += 1
          skipWhitespace()
        }
        first = false
        guard let name = readPlainKey() else { return nil }
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { return nil }
        position += 1
        skipWhitespace()
        let start = position
        guard skipValue() else { return nil }
        if name.elementsEqual(key) {
          // A repeated key: parsers disagree on which wins, so do not guess.
          if found != nil { return nil }
          found = start..<position
        }
      }
      guard let found else { return .some(nil) }
      if remaining.isEmpty { return .some(found) }
      position = found.lowerBound
    }
    return .some(nil)
  }

  /// Elements of the array that starts here; nil when it is not a well-formed array.
  mutating func countArray() -> Int? {
    guard peek() == UInt8(ascii: "[") else { return nil }
    position += 1
    skipWhitespace()
    if peek() == UInt8(ascii: "]") { return 0 }
    var count = 0
    while true {
      skipWhitespace()
      guard skipValue() else { return nil }
      count += 1
      skipWhitespace()
      switch peek() {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "]"): return count
      default: return nil
      }
    }
  }

  func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

  mutating func skipBOM() {
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
  }

  mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  /// A key without escapes, as raw bytes; nil for anything else.
  mutating func readPlainKey() -> UnsafeBufferPointer<UInt8>? {
    guard peek() == UInt8(ascii: "\"") else { return nil }
    let start = position + 1
    var index = start
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: "\""):
        position = index + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
      case UInt8(ascii: "\\"): return nil
      default: index += 1
      }
    }
    return nil
  }

  /// Moves past one value; false when the bytes are not a complete value.
  mutating func skipValue() -> Bool {
    guard let byte = peek() else { return false }
    switch byte {
    case UInt8(ascii: "\""): return skipString()
    case UInt8(ascii: "{"), UInt8(ascii: "["): return skipContainer()
    default:
      // A number or a literal: the full parse checks its spelling.
      let start = position
      while position < bytes.count {
        switch bytes[position] {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D:
          return position > start
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["):
          return false
        default: position += 1
        }
      }
      return position > start
    }
  }

  /// Most of a page is string contents: the closing quote is found with `memchr`, and
  /// taken when an even number of backslashes precede it. (A raw control byte inside a
  /// string is not checked here: such a page fails the full decode, which always follows.)
  mutating func skipString() -> Bool {
    guard let base = bytes.baseAddress else { return false }
    var from = position + 1
    while from < bytes.count {
      guard let found = memchr(base + from, 0x22, bytes.count - from) else { return false }
      let quote = base.distance(to: UnsafePointer(found.assumingMemoryBound(to: UInt8.self)))
      var backslashes = 0
      while quote - backslashes - 1 > position && bytes[quote - backslashes - 1] == 0x5C {
        backslashes += 1
      }
      if backslashes % 2 == 0 {
        position = quote + 1
        return true
      }
      from = quote + 1
    }
    return false
  }

  /// Brackets balanced, strings skipped; the full parse checks everything else.
  mutating func skipContainer() -> Bool {
    var stack: [UInt8] = []
    while position < bytes.count {
      let byte = bytes[position]
      switch byte {
      case UInt8(ascii: "\""):
        guard skipString() else { return false }
        continue
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard stack.count < 512 else { return false }
        stack.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        guard stack.popLast() == byte else { return false }
        if stack.isEmpty {
          position += 1
          return true
        }
      default: break
      }
      position += 1
    }
    return false
  }
}
