#ifndef ORGSCOPE_CURSES_SHIM_H
#define ORGSCOPE_CURSES_SHIM_H
#include "../../CNCursesw/shim.h"

/// Attribute bits that Swift cannot import because they are macros.
unsigned int orgscope_attr_bold(void);
unsigned int orgscope_attr_reverse(void);
unsigned int orgscope_attr_underline(void);
unsigned int orgscope_attr_dim(void);

/// COLORS and COLOR_PAIRS are mutable C globals that Swift 6 refuses to read.
int orgscope_colors(void);
int orgscope_color_pairs(void);

/// init_extended_pair: pairs and colours beyond a short.
int orgscope_init_pair(int pair, int fg, int bg);

/// Sets the attributes and (extended) colour pair for the next writes.
int orgscope_set_style(WINDOW *win, unsigned int attrs, int pair);

/// Writes `count` wide characters at (y, x).
int orgscope_put(WINDOW *win, int y, int x, const wchar_t *text, int count);

/// One key: returns 0 on timeout, 1 for a character (in *code), 2 for a function key.
int orgscope_read_key(WINDOW *win, unsigned int *code);

/// Asks the terminal for presses of the first button and the wheel, reported at once;
/// returns 1 when it can report them.
int orgscope_enable_mouse(void);

/// After KEY_MOUSE: 1 a press of the first button, 2 the wheel up, 3 the wheel down, 0
/// anything else; the cell in *x and *y.
int orgscope_read_mouse(int *x, int *y);

/// Whether the C library's character set (after setlocale) is UTF-8.
int orgscope_locale_is_utf8(void);

#endif
