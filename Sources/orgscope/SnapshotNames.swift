import Foundation
import OrgScopeCore
import OrgScopeSnapshot

/// The words that stand for a snapshot wherever a snapshot file is taken: `latest`, the
/// newest snapshot of the profile in the data folder, and (for `snapshot diff`'s NEW)
/// `live`, every source fetched now. A file so named is given as `./latest`.
enum SnapshotName {
  static let latest = "latest"
  static let live = "live"

  /// The profile whose snapshots `latest` looks among: `demo` with `--demo` (what
  /// `snapshot --demo` records), else `--profile`, `ORGSCOPE_PROFILE` or `default`.
  static func profile(demo: Bool, profile: String?, environment: [String: String]) -> String {
    demo ? "demo" : Configuration.profileName(profile, environment: environment)
  }

  /// The newest snapshot of `profile` in the data folder, if there is one.
  static func newest(profile: String, environment: [String: String]) async -> String? {
    await SnapshotFolder.newest(
      in: SnapshotTaking.folder(environment: environment), profile: profile)
  }

  /// The file `text` names: the newest snapshot of the command's profile for `latest`
  /// (a usage error when there is none), else `text` itself.
  static func path(_ text: String, _ common: CommonOptions) async throws -> String {
    guard text == latest else { return text }
    let environment = ProcessInfo.processInfo.environment
    let profile = common.profileName
    guard let path = await newest(profile: profile, environment: environment) else {
      throw OrgScopeError.usage(
        "latest: no snapshot of profile \(profile) in \(SnapshotTaking.folder(environment: environment)) (orgscope snapshot takes one)"
      )
    }
    return path
  }
}

extension CommonOptions {
  /// The profile the command runs as, and records in the snapshots it takes.
  var profileName: String {
    SnapshotName.profile(
      demo: demo, profile: profile, environment: ProcessInfo.processInfo.environment)
  }
}

extension SnapshotOption {
  /// `--snapshot`'s file, `latest` resolved.
  func resolved(_ common: CommonOptions) async throws -> String? {
    guard let path else { return nil }
    return try await SnapshotName.path(path, common)
  }
}
