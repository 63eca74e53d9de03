import Foundation
import Synchronization

/// Replaces every known secret in a text with `***`. Shared by reference because secrets
/// appear while running (an OAuth access token), and every log line and error text must
/// pass through the same set.
///
/// Each secret is matched in every spelling it may take on its way to a message: raw,
/// percent-encoded (form bodies, URLs; upper- and lower-case hex), JSON-escaped (a server
/// echoing it in a JSON string) and backslash-escaped as Swift and C print strings (`\r`,
/// `\u{1B}`, `\x1b`). A value shorter than `minimumLength` is not masked in free text: a
/// one-character token would otherwise mask every "e" on the screen (such values are never
/// printed in the first place).
public final class Redactor: Sendable {
  /// Shorter values are not searched for in text.
  public static let minimumLength = 8

  /// Longest first, so a secret that contains another is replaced whole.
  private let secrets = Mutex<[String]>([])

  public init(secrets: [String] = []) {
    add(secrets)
  }

  /// Adds secrets in all their spellings (see the type's documentation).
  public func add(_ newSecrets: [String]) {
    var forms: [String] = []
    for secret in newSecrets {
      for candidate in [secret, secret.trimmingCharacters(in: .whitespacesAndNewlines)]
      where candidate.count >= Redactor.minimumLength {
        for form in Redactor.spellings(of: candidate) where !forms.contains(form) {
          forms.append(form)
        }
      }
    }
    guard !forms.isEmpty else { return }
    secrets.withLock { secrets in
      for form in forms where !secrets.contains(form) { secrets.append(form) }
      secrets.sort { $0.utf8.count > $1.utf8.count }
    }
  }

  public func add(_ secret: String) { add([secret]) }

  /// `text` with every secret replaced by `***`.
  public func redact(_ text: String) -> String {
    let current = secrets.withLock { $0 }
    var out = text
    for secret in current where out.contains(secret) {
      out = out.replacingOccurrences(of: secret, with: "***")
    }
    return out
  }

  /// Whether `text` holds a known secret in any spelling.
  public func reveals(_ text: String) -> Bool { redact(text) != text }

  /// The spellings of one secret, the raw one first.
  static func spellings(of secret: String) -> [String] {
    var forms = [secret]
    func add(_ form: String) {
      if !form.isEmpty && !forms.contains(form) { forms.append(form) }
    }
    let encoded = formEncode(secret)
    add(encoded)
    add(lowerHexEscapes(encoded))
    add(percentEncodeAll(secret, upper: true))
    add(percentEncodeAll(secret, upper: false))
    let json = JSONWriter.quoted(secret)
    add(String(json.dropFirst().dropLast()))
    add(jsonEscapedFully(secret))
    add(unicodeEscaped(secret, upper: false))
    add(unicodeEscaped(secret, upper: true))
    add(String(secret.debugDescription.dropFirst().dropLast()))
    add(cEscaped(secret))
    return forms
  }

  /// `application/x-www-form-urlencoded` encoding of one value: unreserved bytes kept.
  static func formEncode(_ text: String) -> String { PercentEncoding.encode(text) }

  /// Every `%XX` with lower-case hex digits.
  private static func lowerHexEscapes(_ text: String) -> String {
    var out = ""
    var pending = 0
    for character in text {
      if character == "%" {
        pending = 2
        out.append(character)
      } else if pending > 0 {
        pending -= 1
        out += character.lowercased()
      } else {
        out.append(character)
      }
    }
    return out
  }

  /// Every byte that is not alphanumeric as `%XX`.
  private static func percentEncodeAll(_ text: String, upper: Bool) -> String {
    var out = ""
    for byte in text.utf8 {
      if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
        || (0x61...0x7A).contains(byte)
      {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: upper)
        out += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return out
  }

  /// JSON escaping of everything outside printable ASCII (and `/` as `\/`), as some
  /// servers write it.
  private static func jsonEscapedFully(_ text: String) -> String {
    var out = ""
    for unit in text.utf16 {
      switch unit {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x2F: out += "\\/"
      case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
      default: out += String(format: "\\u%04x", unit)
      }
    }
    return out
  }

  /// Every character but letters and digits as a JSON `\uXXXX` escape, as some encoders
  /// write anything outside `[A-Za-z0-9]`.
  private static func unicodeEscaped(_ text: String, upper: Bool) -> String {
    var out = ""
    for unit in text.utf16 {
      if unit < 0x80, let scalar = Unicode.Scalar(unit),
        (0x30...0x39).contains(unit) || (0x41...0x5A).contains(unit)
          || (0x61...0x7A).contains(unit)
      {
        out.unicodeScalars.append(scalar)
      } else {
        out += String(format: upper ? "\\u%04X" : "\\u%04x", unit)
      }
    }
    return out
  }

  /// C-style escapes: `\r`, `\n`, `\t`, `\xHH` for other controls.
  private static func cEscaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x0D: out += "\\r"
      case 0x0A: out += "\\n"
      case 0x09: out += "\\t"
      case 0x5C: out += "\\\\"
      case 0..<0x20, 0x7F: out += String(format: "\\x%02x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
