/// A source as configured: ready to fetch, or missing credentials (shown as a tab that says
/// what to set, never hidden).
public enum SourceSetup: Sendable {
  case ready(SourceClient)
  case missing(source: SourceID, hint: String)

  public var source: SourceID {
    switch self {
    case .ready(let client): return client.source
    case .missing(let source, _): return source
    }
  }

  public var client: SourceClient? {
    if case .ready(let client) = self { return client }
    return nil
  }
}

extension SourceSetup {
  /// How a `.missing` hint starts for a source that a snapshot file does not hold: the
  /// TUI says so instead of asking for credentials.
  public static let notInSnapshot = "not in this snapshot"
}
