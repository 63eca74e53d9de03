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

  /// What `fetch` got: each source's outcome and, when the people were listed live, their
  /// role assignments.
  public struct Fetched: Sendable {
    public var outcomes: [SourceID: Outcome]
    /// The assignments' count (each sent to the sink) or the error that stopped them; nil
    /// when no live users source was fetched, or it failed.
    public var assignments: Outcome?
    /// Users the users source counted (`totalResults`), when it said.
    public var totalUsers: Int?
  }

  /// Lists every ready client of `sources` concurrently, calling `sink` with each page and
  /// `progress` with the running counts. A source that fails keeps the pages it delivered
  /// in the sink; its outcome is the error (the caller decides what to keep). Once the
  /// users source (`twilio-users`, live) is listed, its people's role assignments are
  /// fetched by the same fan-out as `who-can` (`PeopleDirectory.assignments`) and handed to
  /// `assignments`, while the other sources go on.
  public static func fetch(
    _ clients: [SourceClient],
    sink: @escaping @Sendable (SourceID, [Record]) async throws -> Void,
    assignments: @escaping @Sendable ([RoleAssignment]) async throws -> Void = { _ in },
    progress: (@Sendable (SourceID, Int) -> Void)? = nil,
    assignmentsProgress: @escaping @Sendable (_ done: Int, _ users: Int) -> Void = { _, _ in }
  ) async -> Fetched {
    typealias Done = (source: SourceID, outcome: Outcome, people: Outcome?, total: Int?)
    return await withTaskGroup(of: Done.self) { group in
      for client in clients {
        group.addTask {
          let isPeople = client.source == TwilioUsersProvider.sourceID && client.offline == nil
          var count = 0
          var sids: [String] = []
          var total: Int?
          do {
            for try await page in client.pages(query: query(for: client.source)) {
              try await sink(client.source, page.records)
              count += page.records.count
              if isPeople {
                sids += page.records.map(\.id)
                total = page.total ?? total
              }
              progress?(client.source, count)
            }
          } catch {
            return (client.source, .failure(failure(error, client.source)), nil, nil)
          }
          guard isPeople else { return (client.source, .success(count), nil, nil) }
          do {
            let found = try await PeopleDirectory.assignments(
              of: sids, users: client, progress: assignmentsProgress)
            try await assignments(found)
            return (client.source, .success(count), .success(found.count), total)
          } catch {
            return (client.source, .success(count), .failure(failure(error, client.source)), total)
          }
        }
      }
      var fetched = Fetched(outcomes: [:])
      for await done in group {
        fetched.outcomes[done.source] = done.outcome
        if let people = done.people {
          fetched.assignments = people
          fetched.totalUsers = done.total
        }
      }
      return fetched
    }
  }

  /// A source's error in one line, cleaned.
  private static func failure(_ error: Error, _ source: SourceID) -> SourceFailure {
    if let error = error as? OrgScopeError {
      return SourceFailure(Sanitizer.clean(error.description))
    }
    return SourceFailure(Sanitizer.clean("\(source.providerName): \(error)"))
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
  ///   - assignmentsProgress: (users done, users) as each user's role assignments are in.
  public static func take(
    setups: [SourceSetup], wanted: [SourceID], meta: [String: String], path: String,
    replace: Bool, redact: @Sendable (String) -> String,
    created: (String) -> Void = { _ in },
    progress: ([SourceID]) -> (@Sendable (SourceID, Int) -> Void)? = { _ in nil },
    assignmentsProgress: @escaping @Sendable (_ done: Int, _ users: Int) -> Void = { _, _ in }
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
    let fetched = await fetch(
      clients, sink: { source, records in try await writer.insert(records, source: source) },
      assignments: { try await writer.insert($0) }, progress: progress(clients.map(\.source)),
      assignmentsProgress: assignmentsProgress)
    let outcomes = fetched.outcomes
    var errors: [String] = []
    switch fetched.assignments {
    case .success?:
      meta[SnapshotSchema.Key.count(SnapshotSchema.Key.assignments)] = String(
        await writer.assignmentCount)
      if let total = fetched.totalUsers, let users = outcomes[.twilioUsers],
        case .success(let listed) = users, total > listed
      {
        meta[SnapshotSchema.Key.total(TwilioUsersProvider.sourceID.rawValue)] = String(total)
      }
    case .failure(let failure)?:
      let message = redact("role assignments: " + failure.message)
      meta[SnapshotSchema.Key.error(SnapshotSchema.Key.assignments)] = message
      errors.append(message)
      failed = true
    case nil: break
    }
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
      if meta[SnapshotSchema.Key.error(SnapshotSchema.Key.assignments)] != nil {
        try await writer.discardAssignments()
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
