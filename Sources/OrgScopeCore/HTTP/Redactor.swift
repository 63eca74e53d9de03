import Foundation

/// Replaces every known secret in a text with `***`. Shared by reference because secrets
/// appear while running (an OAuth access token), and every log line and error text must
/// pass through the same set.
public final class Redactor: @unchecked Sendable {
  private let lock = NSLock()
  /// Longest first, so a secret that contains another is replaced whole.
  private var secrets: [String] = []

  public init(secrets: [String] = []) {
    add(secrets)
  }

  /// Adds secrets (and their percent-encoded forms, as they appear in form bodies and URLs).
  public func add(_ newSecrets: [String]) {
    var forms: [String] = []
    for secret in newSecrets where !secret.isEmpty {
      forms.append(secret)
      let encoded = Redactor.formEncode(secret)
      if encoded != secret { forms.append(encoded) }
    }
    guard !forms.isEmpty else { return }
    lock.lock()
    defer { lock.unlock() }
    for form in forms where !secrets.contains(form) { secrets.append(form) }
    secrets.sort { $0.count > $1.count }
  }

  public func add(_ secret: String) { add([secret]) }

  /// `text` with every secret replaced by `***`.
  public func redact(_ text: String) -> String {
    lock.lock()
    let current = secrets
    lock.unlock()
    var out = text
    for secret in current where out.contains(secret) {
      out = out.replacingOccurrences(of: secret, with: "***")
    }
    return out
  }

  /// `application/x-www-form-urlencoded` encoding of one value: unreserved bytes kept.
  static func formEncode(_ text: String) -> String { RequestBuilder.encode(text) }
}
