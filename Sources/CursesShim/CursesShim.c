#define _GNU_SOURCE 1
#define _XOPEN_SOURCE 700
#include "CursesShim.h"
#include <wchar.h>
#include <langinfo.h>
#include <string.h>
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

int orgscope_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }

/* Search keys are short (a name and an id, about 50 bytes) and typed needles shorter:
   glibc's memmem sets up a general search on every call, which cost more than the search
   itself (about 60 ns a key for a 2-byte needle: 5-7 ms for a second letter refining
   80,000 rows). Finding the first byte with memchr and checking the second in place is
   several times faster here. */
int orgscope_contains_bytes(const void *haystack, long length, const void *needle, long count) {
    if (count <= 0) return 1;
    if (count > length) return 0;
    const unsigned char *h = haystack;
    const unsigned char *n = needle;
    const unsigned char *last = h + (length - count);
    while (h <= last) {
        const unsigned char *p = memchr(h, n[0], (size_t)(last - h) + 1);
        if (p == NULL) return 0;
        if (count == 1 || (p[1] == n[1] && memcmp(p + 2, n + 2, (size_t)(count - 2)) == 0))
            return 1;
        h = p + 1;
    }
    return 0;
}
