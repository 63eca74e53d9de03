/// The one bounded fan-out: many independent requests (every user's role assignments) with
/// at most `concurrency` in flight, one deadline for the whole batch, and progress as each
/// one ends. Retries, 429 and `Retry-After` stay where they are, in the transport: each
/// operation is an ordinary request (or a list paged by the one engine).
public enum FanOut {
  /// Requests in flight by default.
  public static let defaultConcurrency = 8
  /// The whole batch's time bound by default.
  public static let defaultDeadline = Duration.seconds(600)

  /// `operation` applied to every item, the answers in the items' order. At most
  /// `concurrency` (at least 1) operations run at once. The first error ends the batch: the
  /// operations still running are cancelled and nothing more starts. Past `deadline`
  /// (counted from the call) the batch ends with one error naming `source`. `progress`
  /// gets (done, total) after each operation ends, in the order they end.
  public static func map<Item: Sendable, Output: Sendable>(
    _ items: [Item], concurrency: Int = defaultConcurrency,
    deadline: Duration? = defaultDeadline, source: SourceID,
    progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in },
    _ operation: @escaping @Sendable (Item) async throws -> Output
  ) async throws -> [Output] {
    guard !items.isEmpty else { return [] }
    let width = max(1, concurrency)
    return try await withThrowingTaskGroup(of: (Int, Output)?.self) { group in
      if let deadline {
        group.addTask {
          do {
            try await Task.sleep(for: deadline)
          } catch {
            return nil  // Cancelled: the batch ended first.
          }
          throw OrgScopeError.network(
            source: source,
            message:
              "\(items.count.formatted) requests did not end within \(deadline.components.seconds)s"
          )
        }
      }
      var next = 0
      func start() {
        let position = next
        let item = items[position]
        next += 1
        group.addTask { (position, try await operation(item)) }
      }
      while next < min(width, items.count) { start() }
      var results = [Output?](repeating: nil, count: items.count)
      var done = 0
      do {
        while done < items.count, let finished = try await group.next() {
          guard let (position, output) = finished else { continue }
          results[position] = output
          done += 1
          progress(done, items.count)
          if next < items.count { start() }
        }
      } catch {
        group.cancelAll()
        throw error
      }
      group.cancelAll()
      return results.compactMap { $0 }
    }
  }
}
