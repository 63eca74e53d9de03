import Foundation

/// What changes while the sandbox runs: issued tokens, faults already spent, the request
/// log, the fail-rate dice and whether it is stopping. One actor, so handlers stay pure.
actor SandboxState {
  private var tokens: [String: Date] = [:]
  private var tokenCounter = 0
  private var spentFaults: Set<String> = []
  private var log: [SandboxRequest] = []
  private var dice: UInt64
  private var requestCounter = 0
  private(set) var isStopping = false
  private let seed: UInt64
  /// The clock that tokens expire by (tests move it instead of waiting).
  private let now: @Sendable () -> Date

  /// Requests kept in the log; older ones are dropped so a long demo does not grow forever.
  static let logLimit = 10_000

  init(seed: UInt64, now: @escaping @Sendable () -> Date = { Date() }) {
    self.seed = seed
    self.now = now
    self.dice = Mix.splitmix(seed ^ Mix.Stream.faults.rawValue)
  }

  func record(_ request: SandboxRequest) -> Int {
    if log.count >= Self.logLimit { log.removeFirst(log.count / 2) }
    log.append(request)
    requestCounter += 1
    return requestCounter
  }

  func requests() -> [SandboxRequest] { log }

  func clearLog() { log.removeAll() }

  /// A number in 0..<1 from the seeded dice (reproducible for the same request order).
  func roll() -> Double {
    dice = Mix.splitmix(dice)
    return Double(dice >> 11) / Double(UInt64(1) << 53)
  }

  /// The fault to apply to this request of `route`, spending a once-only fault.
  func fault(for route: SandboxRoute, among faults: [SandboxFault]) -> SandboxFault.Kind? {
    for (number, fault) in faults.enumerated() where fault.routes.contains(route) {
      if fault.once {
        let key = "\(number):\(route.rawValue)"
        if spentFaults.contains(key) { continue }
        spentFaults.insert(key)
      }
      return fault.kind
    }
    return nil
  }

  func issueToken(lifetime: Int) -> String {
    tokenCounter += 1
    let value = Mix.hash(seed, .token, tokenCounter)
    let token =
      "eyJhbGciOiJIUzI1NiJ9.sandbox." + IDText.hex16(value) + IDText.hex16(Mix.splitmix(value))
    tokens[token] = now().addingTimeInterval(TimeInterval(lifetime))
    return token
  }

  enum TokenState { case valid, expired, unknown }

  func check(token: String) -> TokenState {
    guard let expiry = tokens[token] else { return .unknown }
    return expiry > now() ? .valid : .expired
  }

  func stop() { isStopping = true }
}
