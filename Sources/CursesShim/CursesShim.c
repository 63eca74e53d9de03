#define _GNU_SOURCE 1
#define _XOPEN_SOURCE 700
#include "CursesShim.h"
#include <wchar.h>
#include <langinfo.h>
#include <strings.h>

unsigned int orgscope_attr_bold(void) { return (unsigned int)A_BOLD; }
unsigned int orgscope_attr_reverse(void) { return (unsigned int)A_REVERSE; }
unsigned int orgscope_attr_underline(void) { return (unsigned int)A_UNDERLINE; }
unsigned int orgscope_attr_dim(void) { return (unsigned int)A_DIM; }

int orgscope_colors(void) { return COLORS; }
int orgscope_color_pairs(void) { return COLOR_PAIRS; }

int orgscope_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }

int orgscope_set_style(WINDOW *win, unsigned int attrs, int pair) {
    return wattr_set(win, (attr_t)attrs, 0, &pair);
}

int orgscope_put(WINDOW *win, int y, int x, const wchar_t *text, int count) {
    return mvwaddnwstr(win, y, x, text, count);
}

int orgscope_read_key(WINDOW *win, unsigned int *code) {
    wint_t value = 0;
    int result = wget_wch(win, &value);
    *code = (unsigned int)value;
    if (result == KEY_CODE_YES) return 2;
    if (result == OK) return 1;
    return 0;
}

int orgscope_enable_mouse(void) {
    /* A press is reported as it happens: no wait to tell a click from a double click. */
    mouseinterval(0);
    mmask_t wanted = BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED;
    return mousemask(wanted, NULL) != 0;
}

int orgscope_read_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON4_PRESSED) return 2;
    if (event.bstate & BUTTON5_PRESSED) return 3;
    if (event.bstate & BUTTON1_PRESSED) return 1;
    return 0;
}

int orgscope_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0);
}
