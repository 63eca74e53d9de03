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

  /// Independent streams of values, one per kind of record.
  enum Stream: UInt64 {
    case twilioAccounts = 0x7477_6163
    case twilioRoles = 0x7477_726F
    case cloudflare = 0x6366_6C72
    case sendgrid = 0x7367_7264
    case huawei = 0x6877_6569
    case organization = 0x6F72_6773
    case token = 0x746F_6B6E
    case faults = 0x6661_756C
  }
}

/// A bijection on 64-bit integers keyed by the seed: ids carry their record index in a form
/// that looks random but can be turned back into the index (SendGrid's `offset` is an id).
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

/// UTC timestamps without Foundation's formatters (fast and identical everywhere).
enum Timestamp {
  /// `yyyy-MM-ddTHH:mm:ssZ` (or with milliseconds) for seconds since 1970.
  static func iso8601(_ seconds: Int64, milliseconds: Int? = nil) -> String {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = Int(seconds - days * 86_400)
    let (year, month, day) = civil(fromDays: days)
    var text =
      "\(year)-\(pad(month))-\(pad(day))T\(pad(secondOfDay / 3600)):"
      + "\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60))"
    if let milliseconds {
      let ms = String(milliseconds % 1000)
      text += "." + String(repeating: "0", count: 3 - ms.count) + ms
    }
    return text + "Z"
  }

  /// `yyyyMMddTHHmmssZ`, the `X-Sdk-Date` format, parsed back to seconds since 1970.
  static func parseSDKDate(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z")
    else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      Int(String(decoding: bytes[range], as: UTF8.self))
    }
    guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
      let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
  }

  private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

  private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (Int(year), Int(month), Int(day))
  }

  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = Int64(month)
    let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
