import OrgScopeCore

/// Every key binding, as data (bubbles' `key.Binding` with its help): the key switch of the
/// list and the detail pane dispatches through it, text fields edit through it, and the help
/// overlay is drawn from it; a test checks the README's key table against it. A new tab or
/// prompt is one entry here.
public struct KeyMap: Sendable {
  /// The list and the detail pane, in the order the help shows them.
  public let browse: [KeyBinding]
  /// Editing in every prompt (`TextField`).
  public let editing: [KeyBinding]
  /// The prompts' own keys, around the text field.
  public let prompts: [KeyBinding]
  /// The filters dialog (`f`), the export prompt (`e`), the raw view (`v`) and the help.
  public let dialogs: [KeyBinding]

  /// The bindings for `tabCount` tabs: `1`…`N` select them (up to 9).
  public init(tabCount: Int) {
    let digits = (1...max(1, min(9, tabCount))).map { Key.character(Character(String($0))) }
    browse = [
      KeyBinding([(.tab, .nextTab), (.backTab, .previousTab)], "next / previous source"),
      KeyBinding(digits, .jumpToTab, "jump to a source"),
      KeyBinding(
        [(.character("j"), .down), (.character("k"), .up), (.down, .down), (.up, .up)],
        "move in the list"),
      KeyBinding(
        [
          (.pageDown, .pageDown), (.pageUp, .pageUp), (.ctrl("f"), .pageDown),
          (.ctrl("b"), .pageUp), (.ctrl("d"), .pageDown), (.ctrl("u"), .pageUp),
        ], "page down / up"),
      KeyBinding([.character("g"), .home], .first, "the first row"),
      KeyBinding([.character("G"), .end], .last, "the last record (loads every page)"),
      KeyBinding([.character("/")], .search, "search: each key refines", in: [.list]),
      KeyBinding(
        [(.character("n"), .nextMatch), (.character("N"), .previousMatch)],
        "next / previous match"),
      KeyBinding([.escape], .clear, "clear who can, field filter or search", in: [.list]),
      KeyBinding(
        [.character("p")], .whoCan, "who can: by role, by person",
        tabs: .audits),
      KeyBinding(
        [(.character("m"), .mark), (.character("d"), .diff)], "mark a role / compare with it",
        tabs: .policies),
      KeyBinding([.character("w")], .fieldFilter, "filter by fields (status=suspended)"),
      KeyBinding(
        [(.character("s"), .sort), (.character("S"), .reverseSort)],
        "sort by the next column / reverse"),
      KeyBinding([.character("f")], .filters, "filters of this source"),
      KeyBinding(
        [.enter, .character("l"), .right], .focusDetail, "focus the detail pane", in: [.list]),
      KeyBinding(
        [(.character("r"), .reload), (.character("R"), .reloadAll)], "reload this source / all"),
      KeyBinding([.character("v")], .raw, "the record's raw JSON"),
      KeyBinding(
        [(.character("y"), .copyID), (.character("Y"), .copyJSON)],
        "copy the id / the record as JSON"),
      KeyBinding([.character("e")], .export, "export loaded or all rows"),
      KeyBinding([.character("c")], .changes, "only what changed", tabs: .since),
      KeyBinding([.character(":")], .command, "a tab by name (:users, :cf) or :q"),
      KeyBinding([.character("?")], .help, "this help"),
      KeyBinding([.character("q"), .ctrl("c")], .quit, "quit"),
      // The detail pane: the moving keys above scroll it.
      KeyBinding(
        [.escape, .character("h"), .left], .back, "back to the list", in: [.detail]),
      KeyBinding([.character("/")], .findInDetail, "find text in it", in: [.detail]),
    ]
    editing = [
      KeyBinding(
        [(.left, .edit(.left)), (.right, .edit(.right))], "move the cursor", in: [.prompt]),
      KeyBinding([.home, .ctrl("a")], .edit(.home), "to the start", in: [.prompt]),
      KeyBinding([.end, .ctrl("e")], .edit(.end), "to the end", in: [.prompt]),
      KeyBinding(
        [.backspace, .ctrl("h")], .edit(.deleteBack), "delete the character before",
        in: [.prompt]),
      KeyBinding([.delete], .edit(.deleteForward), "delete the character under", in: [.prompt]),
      KeyBinding([.ctrl("u")], .edit(.deleteToStart), "delete to the start", in: [.prompt]),
      KeyBinding([.ctrl("w")], .edit(.deleteWordBack), "delete the word before", in: [.prompt]),
    ]
    prompts = [
      KeyBinding(
        [(.enter, .accept), (.escape, .cancel)], "keep it / clear it", in: [.prompt]),
      KeyBinding(
        [(.down, .down), (.up, .up), (.pageDown, .pageDown), (.pageUp, .pageUp)],
        "move in the list (/ and p)", in: [.prompt]),
      KeyBinding(
        [(.tab, .nextTab), (.backTab, .previousTab)], "keep the search, change source",
        in: [.prompt]),
      KeyBinding(
        [(.enter, .accept), (.tab, .complete), (.escape, .cancel)],
        ": go / complete the name / close", in: [.command]),
    ]
    dialogs = [
      KeyBinding(
        [
          (.down, .nextField), (.up, .previousField), (.tab, .nextField),
          (.backTab, .previousField), (.character("j"), .nextField),
          (.character("k"), .previousField),
        ], "filters: move between the fields", in: [.filters]),
      KeyBinding(
        [(.left, .changeBack), (.right, .changeForward), (.character(" "), .changeForward)],
        "filters: change a choice", in: [.filters]),
      KeyBinding(
        [(.enter, .accept), (.escape, .cancel)], "filters: apply / cancel", in: [.filters]),
      KeyBinding(
        [
          (.character("j"), .exportLoaded(.json)), (.character("c"), .exportLoaded(.csv)),
          (.character("J"), .exportAll(.json)), (.character("C"), .exportAll(.csv)),
        ], "export: loaded / all rows, JSON or CSV", in: [.export]),
      KeyBinding(
        [
          (.pageDown, .pageDown), (.pageUp, .pageUp), (.character(" "), .pageDown),
          (.character("j"), .down), (.character("k"), .up), (.down, .down), (.up, .up),
        ], "help: scroll; any other key closes", in: [.help]),
    ]
  }

  /// The binding of `key` in `place` on `tab`. A key bound only on other tabs (`p` off the
  /// roles tab) still finds its binding, whose action says why it does nothing here.
  public func binding(for key: Key, in place: KeyPlace, on tab: SourceTab?) -> KeyBinding? {
    let candidates = (browse + prompts + dialogs).filter {
      $0.places.contains(place) && $0.action(for: key) != nil
    }
    return candidates.first { $0.tabs.admits(tab) } ?? candidates.first
  }

  /// The action of `key` in `place` on `tab`.
  public func action(for key: Key, in place: KeyPlace, on tab: SourceTab?) -> KeyAction? {
    binding(for: key, in: place, on: tab)?.action(for: key)
  }

  /// What an editing key does in a text field.
  public static func editAction(for key: Key) -> TextField.Action? {
    for binding in editingBindings {
      if case .edit(let action) = binding.action(for: key) { return action }
    }
    return nil
  }

  private static let editingBindings = KeyMap(tabCount: 1).editing

  /// The help overlay: sections of (keys, what they do).
  public var helpSections: [(title: String, lines: [(keys: String, help: String)])] {
    func lines(_ bindings: [KeyBinding]) -> [(keys: String, help: String)] {
      bindings.map { ($0.label(arrows: false), $0.describedHelp) }
    }
    return [
      ("", lines(browse.filter { $0.places.contains(.list) })),
      (
        "Detail pane: the keys above scroll it", lines(browse.filter { !$0.places.contains(.list) })
      ),
      ("Prompts (/ w p :, filters): editing", lines(editing)),
      ("", lines(prompts) + [("paste", "a line, typed at the cursor")]),
      ("Dialogs", lines(dialogs)),
      ("", [("mouse", "click a tab or row; wheel scrolls")]),
    ]
  }

  /// How the README and the help name a key: `↓` or `Down`.
  public static func name(of key: Key, arrows: Bool) -> String {
    switch key {
    case .character(" "): return "Space"
    case .character(let character): return String(character)
    case .up: return arrows ? "↑" : "Up"
    case .down: return arrows ? "↓" : "Down"
    case .left: return arrows ? "←" : "Left"
    case .right: return arrows ? "→" : "Right"
    case .pageUp: return "PgUp"
    case .pageDown: return "PgDn"
    case .home: return "Home"
    case .end: return "End"
    case .enter: return "Enter"
    case .escape: return "Esc"
    case .tab: return "Tab"
    case .backTab: return "Shift-Tab"
    case .backspace: return "Backspace"
    case .delete: return "Delete"
    case .ctrl(let letter): return "Ctrl-" + letter.uppercased()
    case .paste: return "paste"
    }
  }
}

/// Where a binding applies.
public enum KeyPlace: Sendable, Hashable {
  case list
  case detail
  /// A text prompt: `/`, `w`, `p`, the detail pane's `/`.
  case prompt
  /// The command line (`:`).
  case command
  case filters
  case export
  case help
}

/// Which tabs a binding works on.
public enum KeyTabs: Sendable, Hashable {
  case any
  /// Sources whose records carry role policies (the roles tab).
  case policies
  /// The roles tab and the users tab ("who can", by role and by person).
  case audits
  /// Tabs browsed with `--since`.
  case since

  func admits(_ tab: SourceTab?) -> Bool {
    switch self {
    case .any: return true
    case .policies: return tab?.capabilities.policies ?? false
    case .audits: return (tab?.capabilities.policies ?? false) || App.isPeopleTab(tab)
    case .since: return tab?.since != nil
    }
  }

  /// How the help says it.
  var prefix: String {
    switch self {
    case .any: return ""
    case .policies: return "roles: "
    case .audits: return ""
    case .since: return "--since: "
    }
  }
}

/// What a key does.
public enum KeyAction: Sendable, Hashable {
  case nextTab, previousTab, jumpToTab
  case down, up, pageDown, pageUp, first, last
  case focusDetail, back, clear
  case search, findInDetail, nextMatch, previousMatch
  case whoCan, mark, diff, fieldFilter, sort, reverseSort, filters
  case reload, reloadAll, raw, copyID, copyJSON, export, changes, help, quit
  /// `:` opens the command line; Tab there completes a name.
  case command, complete
  /// A text field's editing key.
  case edit(TextField.Action)
  /// Enter and Esc in a prompt or a dialog.
  case accept, cancel
  case nextField, previousField, changeBack, changeForward
  case exportLoaded(ExportRequest.Format)
  case exportAll(ExportRequest.Format)
}

/// Keys, what each does, where, and the line of help that says so.
public struct KeyBinding: Sendable {
  /// The keys in the order the help names them, each with its action.
  public let keys: [(key: Key, action: KeyAction)]
  public let help: String
  public let places: Set<KeyPlace>
  public let tabs: KeyTabs

  init(
    _ keys: [(Key, KeyAction)], _ help: String, in places: Set<KeyPlace> = [.list, .detail],
    tabs: KeyTabs = .any
  ) {
    self.keys = keys.map { (key: $0.0, action: $0.1) }
    self.help = help
    self.places = places
    self.tabs = tabs
  }

  init(
    _ keys: [Key], _ action: KeyAction, _ help: String,
    in places: Set<KeyPlace> = [.list, .detail], tabs: KeyTabs = .any
  ) {
    self.init(keys.map { ($0, action) }, help, in: places, tabs: tabs)
  }

  public func action(for key: Key) -> KeyAction? {
    keys.first { $0.key == key }?.action
  }

  /// The help line: which tabs, then what it does.
  public var describedHelp: String { tabs.prefix + help }

  /// The keys as the help shows them (`1-5` for the tab digits).
  public func label(arrows: Bool) -> String {
    names(arrows: arrows).joined(separator: " ")
  }

  /// Each key's name; a run of tab digits `1`…`N` is one name, `1-N`.
  public func names(arrows: Bool) -> [String] {
    if keys.count > 1, keys.allSatisfy({ $0.action == .jumpToTab }) {
      return ["1-\(keys.count)"]
    }
    return keys.map { KeyMap.name(of: $0.key, arrows: arrows) }
  }
}
