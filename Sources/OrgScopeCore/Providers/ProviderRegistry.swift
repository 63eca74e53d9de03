/// Every provider, in tab order: the one list of them. Adding a provider is its own file
/// (a `Provider` with a `descriptor`, see README "Adding a provider") and one line here.
public enum ProviderRegistry {
  public static let all: [ProviderDescriptor] = [
    TwilioAccountsProvider.descriptor,
    TwilioRolesProvider.descriptor,
    CloudflareProvider.descriptor,
    SendGridProvider.descriptor,
    HuaweiProvider.descriptor,
    TwilioUsersProvider.descriptor,
  ]

  /// The descriptor of a registered source.
  public static func descriptor(_ source: SourceID) -> ProviderDescriptor {
    guard let descriptor = all.first(where: { $0.id == source }) else {
      preconditionFailure("\(source.rawValue) is not in ProviderRegistry.all")
    }
    return descriptor
  }

  /// The sources whose records carry role policies (`Provider.policy(of:)`), in tab order:
  /// those `roles --source` takes.
  public static var policySources: [SourceID] {
    all.filter { $0.capabilities.policies }.map(\.id)
  }

  /// The policy source `name` names, or the first when `name` is nil (the role audit's
  /// default); a usage error naming the choices for any other name.
  public static func policySource(named name: String? = nil) throws -> SourceID {
    let sources = policySources
    guard let name else {
      guard let first = sources.first else {
        throw OrgScopeError.usage("no source carries role policies")
      }
      return first
    }
    guard let source = sources.first(where: { $0.rawValue == name }) else {
      let choices = sources.map(\.rawValue).joined(separator: ", ")
      throw OrgScopeError.usage(
        "\(name) carries no role policies; sources with role policies: \(choices)")
    }
    return source
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
