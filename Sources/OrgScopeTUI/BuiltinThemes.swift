// Generated from themes/*.toml (a test checks they stay identical): the executable must
// not depend on the repository being next to it at run time.

/// The five built-in themes, as TOML text.
enum BuiltinThemes {
  static let sources: [String: String] = [
    "default": #"""
    # orgscope theme "default": the terminal's own background and foreground, accents in the
    # basic 16 colours so it reads well on dark and light terminals alike.
    # Slots are tables; each takes fg, bg (a name, 0-255, "#rrggbb" or "default") and the
    # attributes bold, reverse, underline, dim. A partial theme merges over this one.

    [title]
    fg = "cyan"
    bold = true

    [tab]
    fg = "default"

    [tab_active]
    fg = "black"
    bg = "cyan"
    bold = true

    [header]
    fg = "default"
    bold = true
    underline = true

    [list]
    fg = "default"

    [cursor]
    fg = "black"
    bg = "cyan"

    [cursor_inactive]
    fg = "default"
    bg = "default"
    reverse = true

    [border]
    fg = "bright_black"

    [dim]
    fg = "bright_black"

    [detail_key]
    fg = "cyan"

    [detail_value]
    fg = "default"

    [heading]
    fg = "yellow"
    bold = true

    [status]
    fg = "default"

    [status_error]
    fg = "bright_white"
    bg = "red"
    bold = true

    [status_warn]
    fg = "yellow"
    bold = true

    [status_info]
    fg = "green"

    [policy_allow]
    fg = "green"

    [policy_deny]
    fg = "red"
    bold = true

    [search]
    fg = "yellow"
    bold = true

    [dialog]
    fg = "default"

    [dialog_selected]
    fg = "black"
    bg = "yellow"

    [key]
    fg = "cyan"
    bold = true
    """#,
    "dark": #"""
    # orgscope theme "dark": a dark background with 256-colour accents.
    # Only what differs from "default" is needed; missing slots fall back to it.

    [title]
    fg = "#5fafff"
    bg = 234
    bold = true

    [tab]
    fg = 250
    bg = 236

    [tab_active]
    fg = 16
    bg = "#5fafff"
    bold = true

    [header]
    fg = 252
    bg = 235
    bold = true
    underline = false

    [list]
    fg = 252
    bg = 234

    [cursor]
    fg = 16
    bg = "#87afd7"

    [cursor_inactive]
    fg = 252
    bg = 239
    reverse = false

    [border]
    fg = 240
    bg = 234

    [dim]
    fg = 244
    bg = 234

    [detail_key]
    fg = "#87afd7"
    bg = 234

    [detail_value]
    fg = 252
    bg = 234

    [heading]
    fg = "#ffd75f"
    bg = 234
    bold = true

    [status]
    fg = 250
    bg = 236

    [status_error]
    fg = 231
    bg = 124
    bold = true

    [status_warn]
    fg = 16
    bg = 214

    [status_info]
    fg = 114
    bg = 236

    [policy_allow]
    fg = 114
    bg = 234

    [policy_deny]
    fg = 203
    bg = 234
    bold = true

    [search]
    fg = "#ffd75f"
    bg = 236
    bold = true

    [dialog]
    fg = 252
    bg = 238

    [dialog_selected]
    fg = 16
    bg = "#ffd75f"

    [key]
    fg = "#5fafff"
    bg = 236
    bold = true
    """#,
    "light": #"""
    # orgscope theme "light": dark text on a light background.

    [title]
    fg = 25
    bg = 255
    bold = true

    [tab]
    fg = 238
    bg = 253

    [tab_active]
    fg = 231
    bg = 25
    bold = true

    [header]
    fg = 235
    bg = 254
    bold = true
    underline = false

    [list]
    fg = 235
    bg = 255

    [cursor]
    fg = 231
    bg = 31

    [cursor_inactive]
    fg = 235
    bg = 250
    reverse = false

    [border]
    fg = 247
    bg = 255

    [dim]
    fg = 244
    bg = 255

    [detail_key]
    fg = 25
    bg = 255

    [detail_value]
    fg = 235
    bg = 255

    [heading]
    fg = 130
    bg = 255
    bold = true

    [status]
    fg = 238
    bg = 253

    [status_error]
    fg = 231
    bg = 160
    bold = true

    [status_warn]
    fg = 130
    bg = 253
    bold = true

    [status_info]
    fg = 28
    bg = 253

    [policy_allow]
    fg = 28
    bg = 255

    [policy_deny]
    fg = 160
    bg = 255
    bold = true

    [search]
    fg = 130
    bg = 253
    bold = true

    [dialog]
    fg = 235
    bg = 252

    [dialog_selected]
    fg = 231
    bg = 130

    [key]
    fg = 25
    bg = 253
    bold = true
    """#,
    "high-contrast": #"""
    # orgscope theme "high-contrast": pure black and white with bright, bold accents.

    [title]
    fg = "bright_white"
    bg = "black"
    bold = true

    [tab]
    fg = "bright_white"
    bg = "black"

    [tab_active]
    fg = "black"
    bg = "bright_yellow"
    bold = true

    [header]
    fg = "bright_white"
    bg = "black"
    bold = true
    underline = true

    [list]
    fg = "bright_white"
    bg = "black"

    [cursor]
    fg = "black"
    bg = "bright_white"
    bold = true

    [cursor_inactive]
    fg = "bright_white"
    bg = "black"
    reverse = true

    [border]
    fg = "bright_white"
    bg = "black"

    [dim]
    fg = "white"
    bg = "black"

    [detail_key]
    fg = "bright_cyan"
    bg = "black"
    bold = true

    [detail_value]
    fg = "bright_white"
    bg = "black"

    [heading]
    fg = "bright_yellow"
    bg = "black"
    bold = true
    underline = true

    [status]
    fg = "bright_white"
    bg = "black"

    [status_error]
    fg = "bright_white"
    bg = "red"
    bold = true

    [status_warn]
    fg = "black"
    bg = "bright_yellow"
    bold = true

    [status_info]
    fg = "bright_green"
    bg = "black"
    bold = true

    [policy_allow]
    fg = "bright_green"
    bg = "black"
    bold = true

    [policy_deny]
    fg = "bright_white"
    bg = "red"
    bold = true

    [search]
    fg = "black"
    bg = "bright_cyan"
    bold = true

    [dialog]
    fg = "bright_white"
    bg = "black"

    [dialog_selected]
    fg = "black"
    bg = "bright_yellow"
    bold = true

    [key]
    fg = "bright_yellow"
    bg = "black"
    bold = true
    """#,
    "mono": #"""
    # orgscope theme "mono": no colour at all, only attributes (what NO_COLOR looks like).

    [title]
    fg = "default"
    bg = "default"
    bold = true

    [tab]
    fg = "default"
    bg = "default"

    [tab_active]
    fg = "default"
    bg = "default"
    reverse = true
    bold = true

    [header]
    bg = "default"
    fg = "default"
    bold = true
    underline = true

    [list]
    bg = "default"
    fg = "default"

    [cursor]
    fg = "default"
    bg = "default"
    reverse = true

    [cursor_inactive]
    fg = "default"
    bg = "default"
    underline = true

    [border]
    bg = "default"
    fg = "default"

    [dim]
    bg = "default"
    fg = "default"
    dim = true

    [detail_key]
    bg = "default"
    fg = "default"
    bold = true

    [detail_value]
    bg = "default"
    fg = "default"

    [heading]
    bg = "default"
    fg = "default"
    bold = true
    underline = true

    [status]
    bg = "default"
    fg = "default"

    [status_error]
    fg = "default"
    bg = "default"
    reverse = true
    bold = true

    [status_warn]
    bg = "default"
    fg = "default"
    bold = true

    [status_info]
    bg = "default"
    fg = "default"

    [policy_allow]
    bg = "default"
    fg = "default"

    [policy_deny]
    bg = "default"
    fg = "default"
    bold = true
    reverse = true

    [search]
    bg = "default"
    fg = "default"
    bold = true

    [dialog]
    bg = "default"
    fg = "default"

    [dialog_selected]
    fg = "default"
    bg = "default"
    reverse = true

    [key]
    bg = "default"
    fg = "default"
    bold = true
    """#,
  ]
}
