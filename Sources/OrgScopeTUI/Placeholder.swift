// The TUI module: App (state, update), Views (pure rendering), Terminal (ncurses).
import OrgScopeCore
