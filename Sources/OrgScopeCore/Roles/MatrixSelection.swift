extension RoleAudit {
  /// `roles matrix --roles A,B`: the `chosen` roles as columns, in the order given, and only
  /// the rows one of them touches (grants all or some of); rows still come from every
  /// role's entries, so a chosen role's coverage of another role's entry shows too.
  public static func matrix(
    _ index: inout PolicyIndex, filter: String = "", chosen: [Int]
  ) -> Matrix {
    var result = matrix(&index, filter: filter, columns: chosen)
    result.rows.removeAll { row in row.cells.allSatisfy { $0 == .none } }
    return result
  }
}
