/// Deterministic randomness without state: every value is a hash of (seed, stream, index),
/// so any record can be generated on its own, in any order, for any page.
enum Mix {
  static func splitmix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  static func hash(_ seed: UInt64, _ stream: Stream, _ index: Int, _ salt: UInt64 = 0) -> UInt64 {
    splitmix(splitmix(splitmix(seed ^ stream.rawValue) ^ UInt64(bitPattern: Int64(index))) ^ salt)
  }

  /// Independent streams of values, one per kind of record. Each provider declares the
  /// streams of its records in its file (`extension Mix.Stream { static let … }`).
  struct Stream: Sendable, Hashable {
    let rawValue: UInt64

    static let organization = Stream(rawValue: 0x6F72_6773)
    static let token = Stream(rawValue: 0x746F_6B6E)
    static let faults = Stream(rawValue: 0x6661_756C)
  }
}

/// A bijection on 64-bit integers keyed by the seed: ids carry their record index in a form
/// that looks random but can be turned back into the index (an API whose paging cursor is a record id).
struct IndexScrambler: Sendable {
  let key: UInt64
  private static let multiplier: UInt64 = 0xD6E8_FEB8_6659_FD93
  private static let inverse: UInt64 = {
    var inverse = multiplier
    for _ in 0..<6 { inverse = inverse &* (2 &- multiplier &* inverse) }
    return inverse
  }()

  init(seed: UInt64, stream: Mix.Stream) {
    key = Mix.splitmix(seed ^ stream.rawValue ^ 0x5CA7_B1E5)
  }

  func scramble(_ index: Int) -> UInt64 {
    var value = UInt64(bitPattern: Int64(index)) ^ key
    value = value &* Self.multiplier
    value ^= value >> 32
    return value
  }

  func unscramble(_ value: UInt64) -> Int? {
    var original = value ^ (value >> 32)
    original = original &* Self.inverse
    let index = Int(bitPattern: UInt(original ^ key))
    return index >= 0 ? index : nil
  }
}

/// Hex and base-36 text for ids.
enum IDText {
  private static let hexDigits = Array("0123456789abcdef".utf8)
  private static let base36 = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

  static func hex16(_ value: UInt64) -> String {
    var bytes = [UInt8](repeating: 0, count: 16)
    var rest = value
    for position in (0..<16).reversed() {
      bytes[position] = hexDigits[Int(rest & 0xF)]
      rest >>= 4
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func lowercaseAlphanumeric(_ value: UInt64, length: Int) -> String {
    var bytes = [UInt8]()
    var rest = value
    for step in 0..<length {
      if step > 0, step % 12 == 0 { rest = Mix.splitmix(rest) }
      bytes.append(base36[Int(rest % 36)])
      rest /= 36
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// 32 hex digits: a hash (for looks) and the scrambled index (to find the record again).
  static func recordHex(seed: UInt64, stream: Mix.Stream, index: Int) -> String {
    let scrambler = IndexScrambler(seed: seed, stream: stream)
    return hex16(Mix.hash(seed, stream, index, 0x1D)) + hex16(scrambler.scramble(index))
  }

  /// The index of a `recordHex` id, or nil if it is not one this sandbox issued.
  static func index(ofRecordHex text: Substring, seed: UInt64, stream: Mix.Stream) -> Int? {
    guard text.utf8.count == 32, let low = UInt64(text.suffix(16), radix: 16) else { return nil }
    let scrambler = IndexScrambler(seed: seed, stream: stream)
    guard let index = scrambler.unscramble(low),
      recordHex(seed: seed, stream: stream, index: index) == text
    else { return nil }
    return index
  }
}
