/// UTC timestamps without Foundation's formatters (fast and identical everywhere).
public enum Timestamp {
  /// `yyyy-MM-ddTHH:mm:ssZ` (or with milliseconds) for seconds since 1970.
  public static func iso8601(_ seconds: Int64, milliseconds: Int? = nil) -> String {
    let (days, secondOfDay) = split(seconds)
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
  public static func parseSDKDate(_ text: String) -> Int64? {
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

  /// `yyyyMMddTHHmmssZ`, the Huawei `X-Sdk-Date` format, for seconds since 1970 (every
  /// request is signed: a `Calendar` took longer than the rest of the signature).
  public static func sdkDate(_ seconds: Int64) -> String {
    let (days, secondOfDay) = split(seconds)
    let (year, month, day) = civil(fromDays: days)
    let four = year < 1000 ? String(repeating: "0", count: 4 - String(year).count) : ""
    return four + "\(year)\(pad(month))\(pad(day))T\(pad(secondOfDay / 3600))"
      + "\(pad(secondOfDay / 60 % 60))\(pad(secondOfDay % 60))Z"
  }

  /// Whole days since 1970 and the second within the day (also before 1970).
  private static func split(_ seconds: Int64) -> (days: Int64, secondOfDay: Int) {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    return (days, Int(seconds - days * 86_400))
  }

  private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

  /// Days since 1970-01-01 to a Gregorian date (H. Hinnant's `civil_from_days`).
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
