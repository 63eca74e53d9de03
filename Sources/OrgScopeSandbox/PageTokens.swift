/// Opaque page tokens: the offset of the next record, bound to the filters of the request
/// that produced them, so a client that drops its filters on page 2 gets an error, not a
/// silently different list (one real API's rule, applied to every token API here).
struct PageTokens: Sendable {
  let key: UInt64

  init(seed: UInt64, route: SandboxRoute) {
    var salt: UInt64 = 0
    for byte in route.rawValue.utf8 { salt = Mix.splitmix(salt ^ UInt64(byte)) }
    key = Mix.splitmix(seed ^ salt)
  }

  enum Failure: Error {
    /// Not a token this sandbox issued.
    case malformed
    /// Issued for other filters than the ones sent now.
    case filtersChanged
  }

  func token(offset: Int, filters: String) -> String {
    IDText.hex16(UInt64(offset) ^ key) + IDText.hex16(fingerprint(filters))
  }

  func offset(of token: String, filters: String) throws(Failure) -> Int {
    let utf8 = Array(token.utf8)
    guard utf8.count == 32,
      let masked = UInt64(String(decoding: utf8[0..<16], as: UTF8.self), radix: 16),
      let print = UInt64(String(decoding: utf8[16..<32], as: UTF8.self), radix: 16)
    else { throw .malformed }
    let offset = masked ^ key
    guard offset < UInt64(Int32.max) else { throw .malformed }
    guard print == fingerprint(filters) else { throw .filtersChanged }
    return Int(offset)
  }

  private func fingerprint(_ filters: String) -> UInt64 {
    var value = key ^ 0xF11E
    for byte in filters.utf8 { value = Mix.splitmix(value ^ UInt64(byte)) }
    return value
  }
}
