import OrgScopeCore

/// The generated organization: every account of every source, computed from (seed, index)
/// on demand, so a page of 100,000 accounts costs only the records on that page.
struct SandboxData: Sendable {
  let seed: UInt64
  /// Accounts served per account source (the later epoch's added ones included).
  let accountCount: Int
  let roleCount: Int
  let epoch: SandboxEpoch
  /// Accounts of the initial epoch: the later one changes some of these and adds more.
  let initialAccounts: Int

  init(seed: UInt64, accounts: Int, roles: Int, epoch: SandboxEpoch = .initial) {
    self.seed = seed
    self.initialAccounts = max(0, accounts)
    self.accountCount = initialAccounts + (epoch == .later ? Self.addedLater(initialAccounts) : 0)
    self.roleCount = max(0, roles)
    self.epoch = epoch
  }

  // MARK: Organization ids

  var twilioOrganizationSID: String {
    "OR" + IDText.recordHex(seed: seed, stream: .organization, index: 1)
  }

  var cloudflareOrganizationID: String {
    IDText.recordHex(seed: seed, stream: .organization, index: 2)
  }

  var huaweiRootID: String {
    "r-" + IDText.lowercaseAlphanumeric(Mix.hash(seed, .organization, 3), length: 4)
  }

  /// The organizational units that hold Huawei accounts (the root holds some directly).
  var huaweiOUIDs: [String] {
    (0..<6).map {
      "ou-" + IDText.lowercaseAlphanumeric(Mix.hash(seed, .organization, 10 + $0), length: 16)
    }
  }

  var huaweiOrganizationID: String {
    "o-" + IDText.lowercaseAlphanumeric(Mix.hash(seed, .organization, 4), length: 32)
  }

  /// The direct parent (root or OU) of Huawei account `index`.
  func huaweiParent(of index: Int) -> String {
    let slot = Int(Mix.hash(seed, .huawei, index, 0x9A) % 8)
    let units = huaweiOUIDs
    return slot < units.count ? units[slot] : huaweiRootID
  }

  // MARK: Names

  private static let companies = [
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
    "Cyberdyne", "Tyrell", "Wonka", "Aperture", "Monarch", "Oscorp", "Pied Piper",
    "Massive Dynamic", "Nakatomi", "Dunder Mifflin", "Prestige Worldwide",
  ]
  private static let units = [
    "Billing", "Support", "Marketing", "Engineering", "Sales", "Operations", "Security",
    "Platform", "Data", "QA", "Staging", "Production", "Sandbox", "Notifications", "Payments",
  ]
  private static let places = [
    "Berlin", "Zürich", "São Paulo", "Kraków", "Montréal", "Reykjavík", "Málaga", "İstanbul",
    "London", "New York", "Singapore", "Sydney", "Toronto", "Austin", "Dublin", "Lagos",
    "Nairobi", "Mumbai", "Seoul", "Ciudad de México",
  ]
  private static let wide = [
    "東京支社", "大阪営業部", "北京研发中心", "서울 지사", "上海客服中心", "台北分公司", "東京支社 ステージング",
  ]
  private static let emoji = [
    "🚀 Launch Team", "🔥 Incident Response", "🌍 Global Ops", "🧪 Experiments",
    "👩‍💻 Developer Relations", "🇨🇭 Zürich Payments",
  ]
  /// Names that try to attack a terminal: OSC title change, clear screen, bidi override,
  /// C1 CSI, SGR colours, bell, DCS. The TUI must show them inert.
  static let hostileNames = [
    "\u{1B}]0;pwned\u{07}Billing", "\u{1B}[2JClear Screen Corp", "Invoice \u{202E}fdp.exe",
    "C1 \u{9B}31mRed\u{9B}0m Ltd", "\u{1B}[31mRed Alert\u{1B}[0m", "Bell\u{07}\u{07} Inc",
    "Tab\tand\nNewline LLC", "\u{1B}P1;2|pwn\u{1B}\\ DCS Holdings", "Zero\u{200B}Width\u{2060}Co",
  ]

  /// A display name for account `index` of `stream`; the first few show every kind of
  /// name on the first screen, the rest are mostly plain with some of each.
  func accountName(_ stream: Mix.Stream, _ index: Int) -> String {
    let h = Mix.hash(seed, stream, index, 0x4E)
    func pick(_ list: [String], _ shift: UInt64) -> String {
      list[Int((h >> shift) % UInt64(list.count))]
    }
    switch index {
    case 2: return pick(Self.wide, 8)
    case 3: return pick(Self.emoji, 8)
    case 4: return Self.hostileNames[Int(seed % UInt64(Self.hostileNames.count))]
    default: break
    }
    let company = pick(Self.companies, 8)
    let unit = pick(Self.units, 16)
    let place = pick(Self.places, 24)
    switch h % 100 {
    case 0..<4: return pick(Self.wide, 32)
    case 4..<7: return pick(Self.emoji, 32)
    case 7..<9: return pick(Self.hostileNames, 32)
    case 9..<40: return "\(company) \(unit) \(place)"
    case 40..<70: return "\(company) \(place)"
    case 70..<90: return "\(company) \(unit)"
    // (A later epoch's replacement account shows a number like the others.)
    default: return "\(company) \(unit) \(place) \(index % Self.replacementBase)"
    }
  }

  private func date(_ stream: Mix.Stream, _ index: Int, salt: UInt64) -> Int64 {
    // 2014-01-01 plus up to about ten years.
    1_388_534_400 + Int64(Mix.hash(seed, stream, index, salt) % 315_000_000)
  }

  // MARK: Twilio accounts

  func twilioAccountSID(_ index: Int) -> String {
    "AC"
      + IDText.recordHex(
        seed: seed, stream: .twilioAccounts, index: identity(.twilioAccounts, index))
  }

  func writeTwilioAccount(_ index: Int, into json: inout JSONBuilder) {
    let change = laterChange(.twilioAccounts, index)
    let index = identity(.twilioAccounts, index)
    let h = Mix.hash(seed, .twilioAccounts, index, 0x57)
    let statuses = [
      "active", "active", "active", "active", "suspended", "pending_closure", "closed",
    ]
    json.beginObject()
    json.field("account_sid", twilioAccountSID(index))
    json.field("friendly_name", displayName(.twilioAccounts, index, change))
    json.field("status", change == .closed ? "closed" : statuses[Int(h % UInt64(statuses.count))])
    json.field("owner_sid", "US" + IDText.hex16(Mix.splitmix(h)) + IDText.hex16(h))
    json.field("date_created", Timestamp.iso8601(date(.twilioAccounts, index, salt: 1)))
    json.endObject()
  }

  // MARK: Cloudflare

  func cloudflareID(_ index: Int) -> String {
    IDText.recordHex(seed: seed, stream: .cloudflare, index: identity(.cloudflare, index))
  }

  /// nil for the accounts whose `name` is null (about one in forty).
  func cloudflareName(_ index: Int) -> String? {
    let change = laterChange(.cloudflare, index)
    let index = identity(.cloudflare, index)
    if index > 5, Mix.hash(seed, .cloudflare, index, 0x11) % 40 == 0 { return nil }
    return displayName(.cloudflare, index, change)
  }

  func writeCloudflareAccount(_ index: Int, into json: inout JSONBuilder) {
    let closed = laterChange(.cloudflare, index) == .closed
    let name = cloudflareName(index)
    let index = identity(.cloudflare, index)
    let h = Mix.hash(seed, .cloudflare, index, 0x22)
    let created = date(.cloudflare, index, salt: 2)
    json.beginObject()
    json.field("id", cloudflareID(index))
    json.field("name", name)
    json.field("type", h % 5 == 0 ? "enterprise" : "standard")
    json.key("settings")
    json.beginObject()
    json.field("abuse_contact_email", h & 0x10 == 0 ? "abuse+\(index)@example.com" : nil)
    json.field(
      "access_approval_expiry",
      h & 0x20 == 0 ? nil : Timestamp.iso8601(created + 86_400 * 400, milliseconds: 117))
    json.field("api_access_enabled", bool: h & 0x40 == 0 ? nil : h & 0x80 == 0)
    json.field("default_nameservers", h & 0x100 == 0 ? "cloudflare.standard" : nil)
    // Later, a "closed" account has two-factor enforcement turned off (it has no status).
    json.field("enforce_twofactor", bool: h & 0x200 == 0 && !closed)
    json.field("use_account_custom_ns_by_default", bool: h & 0x400 == 0 ? false : nil)
    json.endObject()
    json.field("created_on", Timestamp.iso8601(created, milliseconds: Int((h >> 40) % 1000)))
    if h % 7 == 0 {
      json.key("managed_by")
      json.beginObject()
      json.field("parent_org_id", cloudflareOrganizationID)
      json.field("parent_org_name", "Acme Holdings")
      json.endObject()
    }
    json.endObject()
  }

  // MARK: SendGrid

  func sendGridID(_ index: Int) -> String {
    "sg" + IDText.recordHex(seed: seed, stream: .sendgrid, index: identity(.sendgrid, index))
  }

  /// The index of a SendGrid id (the `offset` parameter), nil if no such account.
  func sendGridIndex(of id: String) -> Int? {
    guard id.hasPrefix("sg"),
      var index = IDText.index(ofRecordHex: id.dropFirst(2), seed: seed, stream: .sendgrid)
    else { return nil }
    // A replacement account of the later epoch sits in the slot of the one it replaced.
    if index >= Self.replacementBase {
      index -= Self.replacementBase
      guard laterChange(.sendgrid, index) == .replaced else { return nil }
    } else if laterChange(.sendgrid, index) == .replaced {
      return nil
    }
    return index < accountCount ? index : nil
  }

  func writeSendGridAccount(_ index: Int, into json: inout JSONBuilder) {
    let change = laterChange(.sendgrid, index)
    let index = identity(.sendgrid, index)
    let h = Mix.hash(seed, .sendgrid, index, 0x33)
    let created = date(.sendgrid, index, salt: 3)
    json.beginObject()
    json.field("id", sendGridID(index))
    // Only `id` and `created_at` are required: some accounts have nothing else.
    if h % 9 != 0 || change == .renamed {
      let local = ["billing", "ops", "admin", "noreply", "team", "dev"][Int((h >> 8) % 6)]
      let domain =
        change == .renamed ? "renamed\(h % 97).example.org" : "customer\(h % 97).example.com"
      json.field("email", "\(local)+\(index)@\(domain)")
    }
    json.field("created_at", Timestamp.iso8601(created))
    if h % 11 != 0 {
      json.field("updated_at", Timestamp.iso8601(created + Int64((h >> 20) % 40_000_000)))
    }
    json.endObject()
  }

  // MARK: Huawei

  func huaweiID(_ index: Int) -> String {
    IDText.recordHex(seed: seed, stream: .huawei, index: identity(.huawei, index))
  }

  /// Huawei names follow the API's own pattern (`^[a-zA-Z][0-9a-zA-Z_-]+$`); descriptions
  /// carry the non-ASCII and hostile text.
  func huaweiName(_ index: Int) -> String {
    let h = Mix.hash(seed, .huawei, index, 0x44)
    let prefixes = ["paas_iam", "prod", "dev", "test", "bigdata", "ecs-ops", "obs_backup", "cdn"]
    let regions = ["cn-north-4", "ap-southeast-1", "eu-west-101", "la-south-2", "af-south-1"]
    let prefix = prefixes[Int(h % UInt64(prefixes.count))]
    switch (h >> 8) % 3 {
    case 0: return "\(prefix)_\(100_000 + index)"
    case 1: return "\(prefix)-\(regions[Int((h >> 16) % 5)])-\(index)"
    default: return "\(prefix)\(index)"
    }
  }

  func writeHuaweiAccount(_ index: Int, contactInfo: Bool, into json: inout JSONBuilder) {
    let change = laterChange(.huawei, index)
    let index = identity(.huawei, index)
    let h = Mix.hash(seed, .huawei, index, 0x55)
    let statuses = ["active", "ACTIVE", "Active", "suspended", "Suspended", "pending_closure"]
    let id = IDText.recordHex(seed: seed, stream: .huawei, index: index)
    json.beginObject()
    json.field("id", id)
    json.field("urn", "organizations::\(huaweiID(0)):account:\(huaweiOrganizationID)/\(id)")
    json.field("join_method", h % 3 == 0 ? "invited" : "created")
    json.field("joined_at", Timestamp.iso8601(date(.huawei, index, salt: 5)))
    json.field("name", huaweiName(change == .renamed ? index + Self.renameBase : index))
    json.field(
      "status", change == .closed ? "suspended" : statuses[Int((h >> 4) % UInt64(statuses.count))])
    if h % 4 == 0 {
      json.field("description", accountName(.huawei, index))
    }
    if contactInfo {
      switch (h >> 12) % 4 {
      case 0:
        // The API's own way of saying "no phone": the literal string "null,".
        json.field("mobile_phone", "null,")
        json.field("intl_number_prefix", "null,")
        json.field("email", nil)
      case 1:
        json.field("mobile_phone", "1\(3 + h % 7)\(100_000_000 + h % 899_999_999)")
        json.field("intl_number_prefix", "0086")
        json.field("email", "admin\(index)@example.cn")
      case 2:
        json.field("mobile_phone", "null,")
        json.field("intl_number_prefix", "null,")
        json.field("email", "ops.\(index)@example.com")
      default:
        json.field("mobile_phone", "\(600_000_000 + h % 99_999_999)")
        json.field("intl_number_prefix", "0041")
        json.field("email", nil)
      }
    }
    json.endObject()
  }
}
