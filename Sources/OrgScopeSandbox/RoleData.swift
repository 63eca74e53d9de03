import OrgScopeCore

/// One generated Twilio role, before it is written as JSON (filters need its fields).
struct SandboxRole: Sendable {
  var sid: String
  var friendlyName: String
  var externalDescription: String
  var productGroup: String
  var productGroupName: String
  var lowestLevel: String
  var allow: [String]
  var deny: [String]?
  var resourceTypes: [String]?
  var dateCreated: String
  var dateUpdated: String

  func write(into json: inout JSONBuilder) {
    json.beginObject()
    json.field("sid", sid)
    json.field("friendly_name", friendlyName)
    json.field("external_description", externalDescription)
    json.field("product_group", productGroup)
    json.field("lowest_level", lowestLevel)
    json.key("role_product_group")
    json.beginObject()
    json.field("product_group", productGroup)
    json.field("friendly_name", productGroupName)
    json.endObject()
    json.key("policy")
    json.beginObject()
    json.key("allow")
    json.stringArray(allow)
    json.key("deny")
    json.stringArray(deny)
    json.field("format", int: 1)
    json.endObject()
    json.key("resource_types")
    json.stringArray(resourceTypes)
    json.field("date_created", dateCreated)
    json.field("date_updated", dateUpdated)
    json.endObject()
  }
}

extension SandboxData {
  private struct ProductGroup {
    var id: String
    var name: String
    var resources: [String]
  }

  private static let groups = [
    ProductGroup(
      id: "billing", name: "Billing",
      resources: [
        "invoices", "billing-profile", "payment-methods", "receipts", "usage-records",
        "invoice.statements",
      ]),
    ProductGroup(
      id: "messaging", name: "Messaging",
      resources: ["services", "messages", "senders", "a2p-brands", "campaigns", "short-codes"]),
    ProductGroup(
      id: "voice", name: "Voice",
      resources: ["calls", "recordings", "conferences", "sip-domains", "trunks", "queues"]),
    ProductGroup(
      id: "iam", name: "Identity and Access",
      resources: ["users", "role-assignments", "oauth-apps", "api-keys", "sso-settings"]),
    ProductGroup(
      id: "numbers", name: "Phone Numbers",
      resources: ["incoming-numbers", "regulatory-bundles", "addresses", "hosted-numbers"]),
    ProductGroup(
      id: "verify", name: "Verify",
      resources: ["services", "verifications", "templates", "rate-limits"]),
    ProductGroup(
      id: "flex", name: "Flex",
      resources: ["workspaces", "workers", "task-queues", "insights", "plugins"]),
    ProductGroup(id: "studio", name: "Studio", resources: ["flows", "executions", "revisions"]),
    ProductGroup(
      id: "conversations", name: "Conversations",
      resources: ["services", "conversations", "participants", "webhooks"]),
    ProductGroup(id: "video", name: "Video", resources: ["rooms", "compositions", "recordings"]),
  ]

  private static let tiers = [
    "Viewer", "Admin", "Editor", "Operator", "Auditor", "Manager", "Analyst", "Support Agent",
    "Developer", "Owner",
  ]
  private static let actions = ["read", "list", "create", "update", "delete"]
  private static let resourceTypeNames = [
    "account", "subaccount", "messaging-service", "phone-number", "flex-workspace",
    "verify-service",
  ]
  private static let levels = ["ORGANIZATION", "ACCOUNT", "SUB_ACCOUNT"]

  /// The actions a tier is granted on its own product group's resources.
  private static func tierActions(_ tier: String) -> [String] {
    switch tier {
    case "Viewer", "Auditor", "Analyst": return ["read", "list"]
    case "Editor", "Developer": return ["read", "list", "create", "update"]
    case "Operator", "Support Agent": return ["read", "list", "update"]
    default: return actions
    }
  }

  /// `/twilio/billing/invoices/read` → `/Twilio/Billing/invoices/READ`.
  private static func mixedCase(_ permission: String) -> String {
    var segments = permission.split(separator: "/", omittingEmptySubsequences: false).map(
      String.init)
    for i in segments.indices where !segments[i].isEmpty && segments[i] != "*" {
      if i <= 2 {
        segments[i] = segments[i].prefix(1).uppercased() + segments[i].dropFirst()
      } else if i == segments.count - 1 {
        segments[i] = segments[i].uppercased()
      }
    }
    return segments.joined(separator: "/")
  }

  func role(_ index: Int) -> SandboxRole {
    let groups = Self.groups
    let group = groups[index % groups.count]
    let tier = Self.tiers[(index / groups.count) % Self.tiers.count]
    let round = index / (groups.count * Self.tiers.count)
    let h = Mix.hash(seed, .twilioRoles, index, 0x66)
    var name = "\(group.name) \(tier)"
    if round > 0 { name += " (custom \(round))" }

    var allow: [String] = []
    var seen = Set<String>()
    func add(_ permission: String) {
      if seen.insert(permission).inserted { allow.append(permission) }
    }
    switch tier {
    case "Owner":
      add("/twilio/\(group.id)/*")
      if h % 3 == 0 { add("/twilio/*") }
    case "Admin", "Manager":
      for resource in group.resources { add("/twilio/\(group.id)/\(resource)/*") }
    case "Auditor":
      // Overlaps every group's entries without covering or being covered by them.
      add("/twilio/*/read")
    case "Operator":
      add("/twilio/\(group.id)/users/*")
    default: break
    }
    for resource in group.resources {
      for action in Self.tierActions(tier) { add("/twilio/\(group.id)/\(resource)/\(action)") }
    }
    // Cross-group read access up to a size of 10–80 permissions, as real roles have.
    let target = 10 + Int(h % 71)
    var step = 0
    while allow.count < target, step < 400 {
      let other = groups[Int(Mix.hash(seed, .twilioRoles, index, UInt64(step) + 1000) % 10)]
      let resource = other.resources[step % other.resources.count]
      let action = step % 9 == 8 ? "*" : Self.actions[step / 3 % 2]
      add("/twilio/\(other.id)/\(resource)/\(action)")
      step += 1
    }

    // Custom roles are written by hand, in any case: /Twilio/Billing/invoices/READ.
    if round > 0, h % 4 == 1 { allow = allow.map(Self.mixedCase) }

    var deny: [String]?
    switch (h >> 8) % 10 {
    case 0, 1:
      deny = [
        "/twilio/billing/payment-methods/*", "/twilio/\(group.id)/\(group.resources[0])/delete",
      ]
    case 2:
      deny = ["/twilio/iam/api-keys/create", "/twilio/iam/api-keys/delete"]
    case 3 where tier == "Owner" || tier == "Admin":
      deny = ["/twilio/iam/*"]
    case 4 where index % 4 == 0:
      deny = []
    default:
      deny = nil
    }

    // Two special roles of the first round, for audits to find:
    // the identity Owner holds everything but may delete nothing;
    if round == 0, tier == "Owner", group.id == "iam" {
      allow = ["*"]
      deny = ["/twilio/*/delete"]
    }
    // each Analyst grants exactly what the Viewer of its group grants, written otherwise
    // (other case, other order, one entry that another already covers).
    if round == 0, tier == "Analyst" {
      let viewer = role(index % groups.count)
      allow = viewer.allow.reversed().map(Self.mixedCase)
      if let first = viewer.allow.first { allow.append(first) }
      deny = viewer.deny?.map(Self.mixedCase)
    }

    var resourceTypes: [String]?
    if (h >> 16) % 5 < 2 {
      let count = 1 + Int((h >> 20) % 3)
      let start = Int((h >> 24) % UInt64(Self.resourceTypeNames.count))
      resourceTypes = (0..<count).map {
        Self.resourceTypeNames[(start + $0) % Self.resourceTypeNames.count]
      }
    }

    let created = 1_700_000_000 + Int64((h >> 28) % 40_000_000)
    let description =
      tier == "Viewer" || tier == "Auditor"
      ? "View-only access to \(group.name.lowercased()) resources within the organization"
      : "\(tier) access to \(group.name.lowercased()) resources (\(allow.count) permissions)"
    var role = SandboxRole(
      sid: "IX" + IDText.recordHex(seed: seed, stream: .twilioRoles, index: index),
      friendlyName: name,
      externalDescription: description,
      productGroup: group.id,
      productGroupName: group.name,
      lowestLevel: Self.levels[Int((h >> 32) % 3)],
      allow: allow,
      deny: deny,
      resourceTypes: resourceTypes,
      dateCreated: Timestamp.iso8601(created),
      dateUpdated: Timestamp.iso8601(created + Int64((h >> 40) % 9_000_000)))
    widened(&role, index: index)
    return role
  }
}
