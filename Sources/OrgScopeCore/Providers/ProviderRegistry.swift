/// Every provider, in tab order: the one list of them. Adding a provider is its own file
/// (a `Provider` with a `descriptor`, see README "Adding a provider") and one line here.
public enum ProviderRegistry {
  public static let all: [ProviderDescriptor] = [
    TwilioAccountsProvider.descriptor,
    TwilioRolesProvider.descriptor,
    CloudflareProvider.descriptor,
    SendGridProvider.descriptor,
    HuaweiProvider.descriptor,
  ]

  /// The descriptor of a registered source.
  public static func descriptor(_ source: SourceID) -> ProviderDescriptor {
    guard let descriptor = all.first(where: { $0.id == source }) else {
      preconditionFailure("\(source.rawValue) is not in ProviderRegistry.all")
    }
    return descriptor
  }

  /// The source whose records carry role policies (the role audit's); nil if none does.
  public static var policySource: SourceID? {
    all.first(where: { $0.capabilities.policies })?.id
  }

  /// Every variable some source reads.
  public static var settings: [Setting] {
    var seen: Set<String> = []
    return all.flatMap(\.settings).filter { seen.insert($0.name).inserted }
  }

  /// Every filter of every source, each name once, in registry order.
  public static var filters: [FilterSpec] {
    var seen: Set<String> = []
    return all.flatMap(\.filters).filter { seen.insert($0.name).inserted }
  }
}
