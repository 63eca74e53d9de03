/// Which moment of the organization the sandbox serves. `later` is the same organization
/// some weeks on, for trying and testing `snapshot diff` and `--since`: some accounts
/// closed (each provider's records show it in their own way), some renamed, some removed
/// (replaced by new ones in their place), more added at the end, and some roles widened.
public enum SandboxEpoch: String, Sendable, Hashable, CaseIterable {
  case initial
  case later
}

extension SandboxData {
  /// What the later epoch did to an account slot of the initial one.
  enum LaterChange: Sendable, Hashable {
    case replaced
    case renamed
    case closed
  }

  /// Accounts the later epoch adds after the initial ones (per source).
  static func addedLater(_ initial: Int) -> Int { initial == 0 ? 0 : max(2, initial / 100) }

  /// Generator index of an account that replaced the one in slot `index`.
  static let replacementBase = 1 << 40
  /// Offset of the generator index whose name a renamed account takes.
  static let renameBase = 1_000_003

  /// The change at slot `index` of `stream` (nil in the initial epoch, for the added
  /// accounts, and for the first six, which show every kind of name on the first screen).
  func laterChange(_ stream: Mix.Stream, _ index: Int) -> LaterChange? {
    guard epoch == .later, index >= 6, index < initialAccounts else { return nil }
    switch Mix.hash(seed, stream, index, 0x1A7E) % 40 {
    case 0: return .replaced
    case 1: return .renamed
    case 2: return .closed
    default: return nil
    }
  }

  /// The generator index of the account in slot `index`: itself, or for a replaced one a
  /// fresh index (a new id, name and fields). Applying it twice changes nothing.
  func identity(_ stream: Mix.Stream, _ index: Int) -> Int {
    laterChange(stream, index) == .replaced ? index + Self.replacementBase : index
  }

  /// The display name of generator index `index`, another one when it was renamed.
  func displayName(_ stream: Mix.Stream, _ index: Int, _ change: LaterChange?) -> String {
    change == .renamed ? accountName(stream, index + Self.renameBase) : accountName(stream, index)
  }
}
