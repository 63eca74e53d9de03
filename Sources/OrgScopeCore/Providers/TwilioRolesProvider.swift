import Foundation

/// `twilio-roles`: `GET {iam}/v2/Organizations/Roles` with `Search`, `RoleProductGroup`,
/// `ResourceTypes` and `Expand` on the server. The detail pane shows the role's policy.
extension SourceID {
  public static let twilioRoles = SourceID(declaring: "twilio-roles")
}

public struct TwilioRolesProvider: Provider {
  public init() {}

  public var source: SourceID { .twilioRoles }

  /// The API's base URL variable, and the real one.
  static let baseURL = Setting.baseURL("ORGSCOPE_TWILIO_IAM_URL", default: "https://iam.twilio.com")

  static let descriptor = ProviderDescriptor(
    id: .twilioRoles, title: "Twilio roles", shortTitle: "Twilio roles", providerName: "Twilio",
    settings: TwilioAuth.settings + [
      baseURL
    ],
    filters: [
      FilterSpec(
        "product-group", .text(valueName: "group"), parameter: "RoleProductGroup",
        label: "Product group", help: "roles of this product group (RoleProductGroup)",
        offline: { fields, value in
          value.isEmpty || fields["product_group"]?.string?.lowercased() == value.lowercased()
        }),
      FilterSpec(
        "resource-types", .text(valueName: "types"), parameter: "ResourceTypes",
        label: "Resource types",
        help: "roles scoped to any of these comma-separated resource types (ResourceTypes)",
        offline: { fields, value in
          let wanted = Set(
            value.split(separator: ",").map {
              $0.trimmingCharacters(in: .whitespaces).lowercased()
            }.filter { !$0.isEmpty })
          if wanted.isEmpty { return true }
          let types = fields["resource_types"]?.array?.compactMap(\.string) ?? []
          return !Set(types.map { $0.lowercased() }).isDisjoint(with: wanted)
        }),
    ],
    offlineProvider: { TwilioRolesProvider() },
    connect: { context in
      guard let auth = try TwilioAuth.authenticator(context, for: .twilioRoles) else {
        throw OrgScopeError.missingCredentials(source: .twilioRoles, hint: TwilioAuth.hint)
      }
      let base = try context.baseURL(baseURL, for: .twilioRoles)
      return context.client(TwilioRolesProvider(), base: base, auth: auth)
    })

  public var columns: [ColumnSpec] {
    [
      ColumnSpec("Name", width: 28, flexible: true), ColumnSpec("SID", width: 34, identifier: true),
      ColumnSpec("Product", width: 12), ColumnSpec("Level", width: 12, status: true),
      ColumnSpec("Allow/Deny", width: 10),
    ]
  }

  public var capabilities: SourceCapabilities {
    SourceCapabilities(
      serverSearch: true, serverMatchModes: [.contains], policies: true)
  }

  /// Up to 1000 are allowed; roles carry long allow lists, so a smaller page keeps the first
  /// screen quick.
  static func pageSize(_ query: Query) -> Int { min(max(query.pageSize ?? 200, 1), 1000) }

  public func request(base: BaseURL, query: Query, cursor: PageCursor?) throws -> HTTPRequestSpec {
    if case .url(let next) = cursor { return RequestBuilder.get(url: next) }
    var items: [QueryItem] = []
    // Search is sent for every match mode: contains is a superset of the other two, which
    // are then narrowed locally (see LocalFilter).
    if !query.search.isEmpty { items.append(QueryItem("Search", query.search)) }
    items += FilterSpec.queryItems(Self.descriptor.filters, query)
    // The docs say Expand brings "policy details and permissions", which the detail pane
    // and the audit need; so it is always asked for.
    items.append(QueryItem("Expand", "true"))
    items.append(QueryItem("PageSize", String(Self.pageSize(query))))
    if case .token(let token) = cursor { items.append(QueryItem("PageToken", token)) }
    return RequestBuilder.get(base: base, path: "/v2/Organizations/Roles", query: items)
  }

  public func decodePage(_ response: PageResponse, query: Query, cursor: PageCursor?) throws
    -> Page
  {
    let body = response.body
    let page = try PageReader.object(body)
    let (list, values) = try TwilioWire.records(page, key: "roles")
    let records = try PageReader.records(values, list: list, idKey: "sid") {
      PageReader.scalarText($0["friendly_name"]) ?? ""
    }
    return Page(records: records, next: TwilioWire.nextCursor(page))
  }

  public func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage? {
    TwilioWire.peekNext(response.body)
  }

  public func cells(of record: Record) -> [String] {
    let fields = record.fields
    let policy = PolicyLists(fields)
    let group =
      PageReader.scalarText(fields["product_group"])
      ?? PageReader.scalarText(fields[path: "role_product_group", "product_group"]) ?? ""
    return [
      record.name, record.id, group, PageReader.scalarText(fields["lowest_level"]) ?? "",
      "\(policy.allow.count)/\(policy.deny.count)",
    ]
  }

  public func decodeError(status: Int, headers: [Header], body: [UInt8]) -> APIError {
    TwilioWire.decodeError(source: source, status: status, headers: headers, body: body)
  }

  /// `policy.allow` / `policy.deny` (null or missing = empty); nil without a `policy`.
  public func policy(of record: Record) -> RolePolicy? {
    guard let policy = record.fields["policy"]?.object else { return nil }
    return RolePolicy(
      id: record.id, name: record.name, allow: policy["allow"]?.array?.compactMap(\.string) ?? [],
      deny: policy["deny"]?.array?.compactMap(\.string) ?? [])
  }

  /// `1 permission`, `2 permissions`.
  static func permissions(_ count: Int) -> String {
    "\(count.formatted) \(count == 1 ? "permission" : "permissions")"
  }

  /// The detail pane, its deny notes computed here (they can take long: the TUI computes
  /// them off its thread and calls `details(of:notes:)`).
  public func details(of record: Record) -> [DetailSection] {
    details(of: record, notes: policy(of: record).map(Self.notes(of:)) ?? [])
  }

  /// Which deny entries cut into which allow entries, decided on the patterns: none for a
  /// role without deny entries (nothing to decide).
  public static func notes(of role: RolePolicy) -> [RoleAudit.EntryNote] {
    role.deny.isEmpty ? [] : RoleAudit.notes(for: role)
  }

  /// With `notes` nil, each deny entry says its notes are being computed.
  public func details(of record: Record, notes: [RoleAudit.EntryNote]?) -> [DetailSection] {
    let policy = PolicyLists(record.fields)
    var summary = [
      DetailLine(key: "allow", value: Self.permissions(policy.allow.count), style: .allow),
      DetailLine(key: "deny", value: Self.permissions(policy.deny.count), style: .deny),
    ]
    let types = record.fields["resource_types"]
    if types == nil || types?.isNull == true {
      summary.append(
        DetailLine(key: "resource_types", value: "none (not resource-scoped)", style: .dim))
    } else if let types {
      var lines: [DetailLine] = []
      DetailBuilder.append(types, key: "resource_types", to: &lines)
      summary += lines
    }
    let level = PageReader.scalarText(record.fields["lowest_level"]) ?? ""
    summary.append(DetailLine(key: "lowest_level", value: level))
    if let other = record.fields["policy"]?.object {
      for field in other where field.key != "allow" && field.key != "deny" {
        DetailBuilder.append(field.value, key: "policy." + field.key, to: &summary)
      }
    }
    // Which deny entries cut into which allow entries, decided on the patterns; what is
    // past the audit's bounds is said to be, never guessed.
    var allowNotes: [String: RoleAudit.EntryNote] = [:]
    var denyNotes: [String: RoleAudit.EntryNote] = [:]
    for note in notes ?? [] {
      if let reason = note.tooComplex {
        summary.append(DetailLine(key: "deny notes", value: reason, style: .dim))
      } else if note.isDeny {
        denyNotes[note.entry] = note
      } else {
        allowNotes[note.entry] = note
      }
    }
    var sections = [
      DetailSection(
        title: "Role", lines: DetailBuilder.fieldLines(record.fields, skipping: ["policy"])),
      DetailSection(title: "Policy", lines: summary),
    ]
    let undecided = "too complex to decide for "
    for group in policy.groups() {
      var lines: [DetailLine] = []
      for permission in group.allow {
        lines.append(DetailLine(key: "allow", value: permission, style: .allow, indent: 1))
        guard let note = allowNotes[permission] else { continue }
        if note.others.isEmpty && note.fully == true {
          // Taken whole by entries each too complex to tell about alone.
          lines.append(
            DetailLine(
              key: "", value: "fully denied by some of " + note.undecided.joined(separator: ", "),
              style: .deny, indent: 2))
          continue
        }
        if !note.others.isEmpty {
          let how =
            switch note.fully {
            case true?: "fully denied by "
            case false?: "partly denied by "
            case nil: "denied (whether fully is too complex to decide) by "
            }
          lines.append(
            DetailLine(
              key: "", value: how + note.others.joined(separator: ", "), style: .deny, indent: 2))
        }
        if !note.undecided.isEmpty {
          lines.append(
            DetailLine(
              key: "",
              value: "whether it is cut: " + undecided + note.undecided.joined(separator: ", "),
              style: .dim, indent: 2))
        }
      }
      for permission in group.deny {
        lines.append(DetailLine(key: "deny", value: permission, style: .deny, indent: 1))
        if notes == nil {
          lines.append(
            DetailLine(key: "", value: "what it cuts: computing…", style: .dim, indent: 2))
        } else if let note = denyNotes[permission] {
          var cuts =
            note.others.isEmpty
            ? (note.undecided.isEmpty ? "cuts no allow entry" : "cuts no allow entry known")
            : "cuts " + note.others.joined(separator: ", ")
          if !note.undecided.isEmpty {
            cuts += "; " + undecided + note.undecided.joined(separator: ", ")
          }
          lines.append(DetailLine(key: "", value: cuts, style: .dim, indent: 2))
        }
      }
      let counts =
        "\(group.allow.count) allow" + (group.deny.isEmpty ? "" : ", \(group.deny.count) deny")
      sections.append(DetailSection(title: "\(group.prefix)/… (\(counts))", lines: lines))
    }
    return sections
  }
}

/// The allow and deny lists of a role, grouped for the detail pane.
private struct PolicyLists {
  var allow: [String]
  var deny: [String]

  /// Reads `policy.allow` and `policy.deny` (null or missing = empty).
  init(_ role: JSONObject) {
    allow = (role[path: "policy", "allow"]?.array ?? []).map(\.displayText)
    deny = (role[path: "policy", "deny"]?.array ?? []).map(\.displayText)
  }

  struct Group {
    var prefix: String
    var allow: [String] = []
    var deny: [String] = []
  }

  /// Groups by `PermissionPattern.group(of:)` (`/twilio/billing`, case folded), sorted by
  /// prefix; within a group the role's own order is kept.
  func groups() -> [Group] {
    // Case is ignored in matching, so `/Twilio/Billing/…` belongs with `/twilio/billing/…`.
    var byPrefix: [String: Group] = [:]
    for permission in allow {
      let prefix = PermissionPattern.group(of: permission)
      byPrefix[prefix.lowercased(), default: Group(prefix: prefix)].allow.append(permission)
    }
    for permission in deny {
      let prefix = PermissionPattern.group(of: permission)
      byPrefix[prefix.lowercased(), default: Group(prefix: prefix)].deny.append(permission)
    }
    return byPrefix.sorted { $0.key < $1.key }.map(\.value)
  }
}
