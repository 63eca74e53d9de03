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

  /// A date between 2014 and 2024, fixed per record and salt.
  func date(_ stream: Mix.Stream, _ index: Int, salt: UInt64) -> Int64 {
    // 2014-01-01 plus up to about ten years.
    1_388_534_400 + Int64(Mix.hash(seed, stream, index, salt) % 315_000_000)
  }
}
