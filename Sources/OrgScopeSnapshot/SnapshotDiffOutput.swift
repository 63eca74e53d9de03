import OrgScopeCore

/// `snapshot diff` as text: a table for eyes, JSON and CSV for scripts.
extension SnapshotDiff {
  /// `{"old": {meta}, "new": {meta}, "summary": [...], "added": [...], "removed": [...],
  /// "changed": [{"source", "id", "name", "fields": [{"path", "old", "new"}], ...}]}`.
  public var json: JSONValue {
    func meta(_ values: [String: String]) -> JSONValue {
      .object(SnapshotSchema.json(meta: values))
    }
    func entry(_ entry: Entry) -> JSONValue {
      .object(
        JSONObject([
          "source": .string(entry.source.rawValue), "id": .string(entry.id),
          "name": .string(entry.name),
        ]))
    }
    func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
    let summary: [JSONValue] = summaries.map { summary in
      var object = JSONObject(["source": .string(summary.source.rawValue)])
      if let skipped = summary.skipped {
        object["skipped"] = .string(skipped)
      } else {
        object["added"] = .number(String(summary.added))
        object["renamed"] = .number(String(summary.renamed))
        object["changed"] = .number(String(summary.changed))
        object["removed"] = .number(String(summary.removed))
      }
      return .object(object)
    }
    let changes: [JSONValue] = changed.map { change in
      var object = JSONObject([
        "source": .string(change.source.rawValue), "id": .string(change.id),
        "name": .string(change.name),
      ])
      if change.renamed { object["old_name"] = .string(change.oldName) }
      object["fields"] = .array(
        change.diff.fields.map { field in
          .object(
            JSONObject([
              "path": .string(field.path), "old": field.old ?? .null, "new": field.new ?? .null,
            ]))
        })
      if change.source.descriptor.capabilities.policies {
        object["allow_added"] = strings(change.diff.allowAdded)
        object["allow_removed"] = strings(change.diff.allowRemoved)
        object["deny_added"] = strings(change.diff.denyAdded)
        object["deny_removed"] = strings(change.diff.denyRemoved)
      }
      return .object(object)
    }
    var object = JSONObject([
      "old": meta(old), "new": meta(new), "summary": .array(summary),
      "added": .array(added.map(entry)), "removed": .array(removed.map(entry)),
      "changed": .array(changes),
    ])
    if let skipped = assignmentsSkipped {
      object["assignments"] = .object(JSONObject(["skipped": .string(skipped)]))
    } else if assignmentsCompared {
      object["assignments"] = .object(
        JSONObject([
          "added": .array(assignmentsAdded.map(\.json)),
          "removed": .array(assignmentsRemoved.map(\.json)),
        ]))
    }
    return .object(object)
  }

  /// One row per added or removed record, and one per changed field (and role entry):
  /// `source,change,id,name,path,old,new`.
  public var csv: String {
    var out = CSV.row(["source", "change", "id", "name", "path", "old", "new"])
    func text(_ value: JSONValue?) -> String {
      guard let value else { return "" }
      switch value {
      case .array, .object: return JSONWriter.compact(value)
      default: return value.displayText
      }
    }
    for entry in added {
      out += CSV.row([entry.source.rawValue, "added", entry.id, entry.name, "", "", ""])
    }
    for entry in removed {
      out += CSV.row([entry.source.rawValue, "removed", entry.id, entry.name, "", "", ""])
    }
    for change in changed {
      let head = [change.source.rawValue, "changed", change.id, change.name]
      for field in change.diff.fields {
        out += CSV.row(head + [field.path, text(field.old), text(field.new)])
      }
      for (path, entries, added) in change.policyEntries {
        for entry in entries {
          out += CSV.row(head + [path, added ? "" : entry, added ? entry : ""])
        }
      }
    }
    // An assignment: its row (identity, role_sid, scope) as JSON on the side it is on.
    for (change, list) in [("added", assignmentsAdded), ("removed", assignmentsRemoved)] {
      for item in list {
        let row = JSONWriter.compact(item.row)
        out += CSV.row(
          [
            SnapshotSchema.Key.assignments, change, item.assignment.sid, item.userName,
            "assignment", change == "added" ? "" : row, change == "added" ? row : "",
          ])
      }
    }
    return out
  }

  /// The summary line of each source, then the records added, removed and changed (each
  /// changed field as `path: old → new`, role entries as `+ allow …` / `- deny …`). Text
  /// from the providers is shown with its control characters made visible.
  public func table(unicode: Bool = true) -> String {
    let arrow = unicode ? " → " : " -> "
    func show(_ text: String) -> String { Sanitizer.visible(text) }
    func value(_ value: JSONValue?) -> String {
      guard let value else { return "(absent)" }
      switch value {
      case .string(let text): return show(JSONWriter.quoted(text))
      case .null: return "null"
      default: return show(JSONWriter.compact(value))
      }
    }
    // The meta comes from the files: shown like provider text.
    var out =
      "old: \(show(old[SnapshotSchema.Key.takenAt] ?? "?"))  new: \(show(new[SnapshotSchema.Key.takenAt] ?? "?"))\n"
    for summary in summaries { out += show(summary.line) + "\n" }
    if let line = assignmentsLine { out += show(line) + "\n" }
    func section(_ title: String, _ entries: [Entry]) {
      guard !entries.isEmpty else { return }
      out += "\n\(title):\n"
      for entry in entries {
        out += "  \(entry.source.rawValue)  \(show(entry.id))  \(show(entry.name))\n"
      }
    }
    section("added", added)
    section("removed", removed)
    for (title, list) in [
      ("assignments added", assignmentsAdded), ("assignments removed", assignmentsRemoved),
    ] where !list.isEmpty {
      out += "\n\(title):\n"
      for item in list {
        out +=
          "  \(show(item.assignment.sid))  \(show(item.userName))  \(show(item.role))  in \(show(item.scopeName))\n"
      }
    }
    if !changed.isEmpty {
      out += "\nchanged:\n"
      for change in changed {
        out += "  \(change.source.rawValue)  \(show(change.id))  \(show(change.name))\n"
        for field in change.diff.fields {
          out += "    \(show(field.path)): \(value(field.old))\(arrow)\(value(field.new))\n"
        }
        for (path, entries, added) in change.policyEntries {
          let effect = path.hasSuffix("allow") ? "allow" : "deny"
          for entry in entries { out += "    \(added ? "+" : "-") \(effect) \(show(entry))\n" }
        }
      }
    }
    return out
  }
}

extension SnapshotDiff.Change {
  /// The role's entries added and removed, by policy path.
  var policyEntries: [(path: String, entries: [String], added: Bool)] {
    [
      ("policy.allow", diff.allowAdded, true), ("policy.allow", diff.allowRemoved, false),
      ("policy.deny", diff.denyAdded, true), ("policy.deny", diff.denyRemoved, false),
    ].filter { !$0.1.isEmpty }
  }
}

extension SnapshotDiff.Assignment {
  /// `{"identity", "role_sid", "scope"}`: the stored row but its sid.
  var row: JSONValue {
    .object(
      JSONObject([
        "identity": .string(assignment.identity), "role_sid": .string(assignment.roleSID),
        "scope": .string(assignment.scope),
      ]))
  }

  /// `{"sid", "identity", "user_name", "role_sid", "role", "scope", "scope_name"}`.
  var json: JSONValue {
    .object(
      JSONObject([
        "sid": .string(assignment.sid), "identity": .string(assignment.identity),
        "user_name": .string(userName), "role_sid": .string(assignment.roleSID),
        "role": .string(role), "scope": .string(assignment.scope),
        "scope_name": .string(scopeName),
      ]))
  }
}
