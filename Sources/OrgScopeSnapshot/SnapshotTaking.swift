import Foundation
import OrgScopeCore

/// Fetches sources to the end, all at once, through the same paging engine as `list`
/// (`SourceClient.pages`), handing each page to a sink as it arrives: the snapshot file's
/// writer, or memory for `snapshot diff … live`.
public enum SnapshotTaking {
  /// What one source gave: its record count, or the one-line error that stopped it.
  public typealias Outcome = Result<Int, SourceFailure>

  /// A source's error, one line, as the command line prints it.
  public struct SourceFailure: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
  }

  /// The query a snapshot lists a source with: what `list SOURCE` sends, or what its
  /// descriptor asks for instead (a larger page).
  public static func query(for source: SourceID) -> Query { source.descriptor.snapshotQuery }

  /// Lists every ready client of `sources` concurrently, calling `sink` with each page and
  /// `progress` with the running counts. A source that fails keeps the pages it delivered
  /// in the sink; its outcome is the error (the caller decides what to keep).
  public static func fetch(
    _ clients: [SourceClient],
    sink: @escaping @Sendable (SourceID, [Record]) async throws -> Void,
    progress: (@Sendable (SourceID, Int) -> Void)? = nil
  ) async -> [SourceID: Outcome] {
    await withTaskGroup(of: (SourceID, Outcome).self) { group in
      for client in clients {
        group.addTask {
          var count = 0
          do {
            for try await page in client.pages(query: query(for: client.source)) {
              try await sink(client.source, page.records)
              count += page.records.count
              progress?(client.source, count)
            }
            return (client.source, .success(count))
          } catch let error as OrgScopeError {
            return (client.source, .failure(SourceFailure(Sanitizer.clean(error.description))))
          } catch {
            return (
              client.source,
              .failure(SourceFailure(Sanitizer.clean("\(client.source.providerName): \(error)")))
            )
          }
        }
      }
      var outcomes: [SourceID: Outcome] = [:]
      for await (source, outcome) in group { outcomes[source] = outcome }
      return outcomes
    }
  }

  /// `taken_at` for `date`: UTC, ISO 8601, seconds.
  public static func timestamp(_ date: Date) -> String {
    Timestamp.iso8601(Int64(date.timeIntervalSince1970.rounded(.down)))
  }

  /// The default file name's time part: `20261202T114007Z`.
  public static func fileStamp(_ date: Date) -> String {
    Timestamp.sdkDate(Int64(date.timeIntervalSince1970.rounded(.down)))
  }

  /// `$XDG_DATA_HOME/orgscope/snapshots` (default `~/.local/share/orgscope/snapshots`).
  public static func folder(environment: [String: String]) -> String {
    let data =
      environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(
        ".local/share")
    return (data as NSString).appendingPathComponent("orgscope/snapshots")
  }

  /// `FOLDER/PROFILE-YYYYMMDDTHHMMSSZ.db`.
  public static func defaultPath(profile: String, date: Date, environment: [String: String])
    -> String
  {
    let safe = String(
      profile.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    return (folder(environment: environment) as NSString).appendingPathComponent(
      "\(safe)-\(fileStamp(date)).db")
  }
}

extension SnapshotTaking {
  /// What `take` wrote.
  public struct Taken: Sendable {
    /// The snapshot file.
    public var path: String
    /// Each failed source's error (redacted), as recorded in the file.
    public var errors: [String]
    /// A source named but not configured, or one that failed: the file holds the rest.
    public var failed: Bool
  }

  /// `orgscope snapshot`: fetches every ready source of `setups` (only those in `wanted`
  /// when it is not empty) to the end and writes them to `path` with `meta`. A named
  /// source that is not configured, or a source whose fetch fails, is recorded in the file
  /// as an error (its records left out) and makes `failed` true.
  /// - Parameters:
  ///   - created: gets the temporary file's path the moment it exists (to delete it on a
  ///     signal).
  ///   - progress: given the sources that will be fetched, returns the per-source count
  ///     callback, if any.
  public static func take(
    setups: [SourceSetup], wanted: [SourceID], meta: [String: String], path: String,
    replace: Bool, redact: @Sendable (String) -> String,
    created: (String) -> Void = { _ in },
    progress: ([SourceID]) -> (@Sendable (SourceID, Int) -> Void)? = { _ in nil }
  ) async throws -> Taken {
    var meta = meta
    var clients: [SourceClient] = []
    var failed = false
    for setup in setups where wanted.isEmpty || wanted.contains(setup.source) {
      switch setup {
      case .ready(let client): clients.append(client)
      case .missing(let source, let hint):
        // Only a source named on the command line must be there.
        guard !wanted.isEmpty else { continue }
        meta[SnapshotSchema.Key.error(source.rawValue)] =
          OrgScopeError.missingCredentials(source: source, hint: hint).description
        failed = true
      }
    }
    if clients.isEmpty {
      throw OrgScopeError.configuration(
        "no source is configured: set the credentials of at least one (see orgscope --help), or try --demo"
      )
    }
    let writer: SnapshotWriter
    do {
      writer = try await SnapshotWriter.create(path: path, replace: replace, created: created)
    } catch let error as SnapshotError {
      throw error.orgScopeError
    }
    let outcomes = await fetch(
      clients, sink: { source, records in try await writer.insert(records, source: source) },
      progress: progress(clients.map(\.source)))
    var errors: [String] = []
    for client in clients {
      let name = client.source.rawValue
      switch outcomes[client.source] {
      case .success?:
        meta[SnapshotSchema.Key.count(name)] = String(await writer.count(client.source))
      case .failure(let failure)?:
        // Redacted once more here: the file goes to auditors.
        let message = redact(failure.message)
        meta[SnapshotSchema.Key.error(name)] = message
        errors.append(message)
        failed = true
      case nil: break
      }
    }
    do {
      for client in clients where meta[SnapshotSchema.Key.error(client.source.rawValue)] != nil {
        try await writer.discard(client.source)
      }
      let written = try await writer.finish(meta: meta)
      return Taken(path: written, errors: errors, failed: failed)
    } catch let error as SnapshotError {
      await writer.abandon()
      throw error.orgScopeError
    } catch {
      await writer.abandon()
      throw error
    }
  }
}
