import Foundation
import Synchronization

/// Account records as serialized JSON, made once per record and variant. Generating a
/// record takes microseconds (hashes, names, dates); at 1,000 records a page that
/// is milliseconds of server time per page, which the benchmark would otherwise count
/// against the client. The data is deterministic, so a cached record is the same bytes.
final class RecordCache: Sendable {
  struct Key: Hashable {
    let route: SandboxRoute
    /// A variant of the same record (with or without optional fields): 0 or 1.
    let variant: Int
    let index: Int
  }

  /// One table per route and variant, indexed by record number.
  private let tables = Mutex<[[[UInt8]?]]>([])

  /// The record's bytes, from `make` the first time.
  func bytes(_ key: Key, make: () -> [UInt8]) -> [UInt8] {
    let table = Self.table(key)
    if let hit = tables.withLock({ tables -> [UInt8]? in
      guard table < tables.count, key.index < tables[table].count else { return nil }
      return tables[table][key.index]
    }) {
      return hit
    }
    let made = make()
    tables.withLock { tables in
      while tables.count <= table { tables.append([]) }
      if tables[table].count <= key.index {
        tables[table].append(
          contentsOf: repeatElement(nil, count: key.index + 1 - tables[table].count))
      }
      tables[table][key.index] = made
    }
    return made
  }

  private static func table(_ key: Key) -> Int {
    (SandboxRoute.allCases.firstIndex(of: key.route) ?? 0) * 2 + (key.variant == 0 ? 0 : 1)
  }
}

extension JSONBuilder {
  /// Writes one record, from `cache` when it was made before.
  mutating func record(
    _ route: SandboxRoute, _ index: Int, variant: Int = 0, cache: RecordCache,
    write: (Int, inout JSONBuilder) -> Void
  ) {
    let bytes = cache.bytes(RecordCache.Key(route: route, variant: variant, index: index)) {
      var single = JSONBuilder(capacity: 512)
      write(index, &single)
      return single.bytes
    }
    raw(bytes)
  }
}

/// Record indices of a listing: all of them in id order, or a filtered/sorted list.
enum IndexList {
  case all(Int)
  case some([Int])

  var count: Int {
    switch self {
    case .all(let count): return count
    case .some(let list): return list.count
    }
  }

  subscript(position: Int) -> Int {
    switch self {
    case .all: return position
    case .some(let list): return list[position]
    }
  }
}

/// Filtered and sorted index lists by filter key: paging through a search of 100,000
/// accounts scans them once, not once per page.
actor IndexCache {
  private var entries: [String: [Int]] = [:]
  private var order: [String] = []
  private let capacity = 32

  func indices(for key: String, compute: @Sendable () -> [Int]) -> [Int] {
    if let hit = entries[key] { return hit }
    let value = compute()
    entries[key] = value
    order.append(key)
    if order.count > capacity { entries[order.removeFirst()] = nil }
    return value
  }
}
