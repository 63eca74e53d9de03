/// The one percent-encoding codec: request URLs, Huawei's canonical request, the sandbox's
/// links and the proxy's credentials all encode and decode here.
public enum PercentEncoding {
  /// Percent-encodes all but the RFC 3986 unreserved `A-Z a-z 0-9 - . _ ~`, with upper-case
  /// hex: `name.contains` keeps its dot and a space is `%20`, never `+`.
  public static func encode(_ text: String) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      if isUnreserved(byte) {
        output.append(byte)
      } else {
        output.append(0x25)
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0F)])
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes `%XX` escapes; an invalid escape is kept as it is. With `plusIsSpace`, `+` is a
  /// space (form encoding, as a server's query strings may use).
  public static func decode(_ text: Substring, plusIsSpace: Bool = false) -> String {
    guard text.utf8.contains(where: { $0 == 0x25 || (plusIsSpace && $0 == 0x2B) }) else {
      return String(text)
    }
    var output: [UInt8] = []
    var bytes = text.utf8[...]
    while let byte = bytes.popFirst() {
      if byte == 0x25, bytes.count >= 2, let high = hexValue(bytes[bytes.startIndex]),
        let low = hexValue(bytes[bytes.index(after: bytes.startIndex)])
      {
        output.append(high << 4 | low)
        bytes = bytes.dropFirst(2)
      } else if byte == 0x2B && plusIsSpace {
        output.append(0x20)
      } else {
        output.append(byte)
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
  }

  private static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: return true
    default: return false
    }
  }
}
