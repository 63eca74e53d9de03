import OrgScopeCore

/// Writes JSON straight into bytes, in the order the fields are written: the benchmark
/// lists 100,000 records through the sandbox, and providers' key order should stay stable.
struct JSONBuilder {
  private(set) var bytes: [UInt8] = []
  /// One entry per open container: true until its first element is written.
  private var isFirst: [Bool] = []
  private var afterKey = false

  init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

  private mutating func separate() {
    if afterKey {
      afterKey = false
      return
    }
    if let first = isFirst.last {
      if !first { bytes.append(UInt8(ascii: ",")) }
      isFirst[isFirst.count - 1] = false
    }
  }

  mutating func beginObject() {
    separate()
    bytes.append(UInt8(ascii: "{"))
    isFirst.append(true)
  }

  mutating func endObject() {
    isFirst.removeLast()
    bytes.append(UInt8(ascii: "}"))
  }

  mutating func beginArray() {
    separate()
    bytes.append(UInt8(ascii: "["))
    isFirst.append(true)
  }

  mutating func endArray() {
    isFirst.removeLast()
    bytes.append(UInt8(ascii: "]"))
  }

  /// Appends an already serialized value.
  mutating func raw(_ value: [UInt8]) {
    separate()
    bytes.append(contentsOf: value)
  }

  mutating func key(_ name: String) {
    separate()
    appendString(name)
    bytes.append(UInt8(ascii: ":"))
    afterKey = true
  }

  mutating func string(_ value: String?) {
    separate()
    if let value { appendString(value) } else { appendLiteral("null") }
  }

  mutating func int(_ value: Int) {
    separate()
    appendLiteral(String(value))
  }

  mutating func bool(_ value: Bool?) {
    separate()
    switch value {
    case .some(true): appendLiteral("true")
    case .some(false): appendLiteral("false")
    case .none: appendLiteral("null")
    }
  }

  mutating func null() {
    separate()
    appendLiteral("null")
  }

  mutating func field(_ name: String, _ value: String?) {
    key(name)
    string(value)
  }

  mutating func field(_ name: String, int value: Int) {
    key(name)
    int(value)
  }

  mutating func field(_ name: String, bool value: Bool?) {
    key(name)
    bool(value)
  }

  mutating func stringArray(_ values: [String]?) {
    guard let values else {
      null()
      return
    }
    beginArray()
    for value in values { string(value) }
    endArray()
  }

  private mutating func appendLiteral(_ text: String) {
    bytes.append(contentsOf: text.utf8)
  }

  private mutating func appendString(_ text: String) {
    JSONWriter.appendString(text, to: &bytes)
  }
}
