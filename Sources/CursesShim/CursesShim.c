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

/* Putting the terminal back when the process dies of a fatal signal (issue 22): a crash
   must not leave an admin's SSH session in the alternate screen with the cursor hidden and
   mouse reports typed into the shell. Only async-signal-safe calls: tcsetattr, write,
   sigaction, raise. */
#include <signal.h>
#include <termios.h>
#include <unistd.h>

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT};
#define CRASH_SIGNAL_COUNT ((int)(sizeof(crash_signals) / sizeof(crash_signals[0])))
static struct sigaction crash_previous[CRASH_SIGNAL_COUNT];
static struct termios crash_modes;
static volatile sig_atomic_t crash_fd = -1;
static volatile sig_atomic_t crash_installed = 0;

/* Bracketed paste and mouse reporting off (every mode ncurses may have asked for), colours and attributes
   reset, the cursor shown, the main screen back, and a fresh line. */
static const char crash_restore[] =
    "\033[?2004l\033[?1006l\033[?1015l\033[?1002l\033[?1003l\033[?1000l\033[0m\033[?25h\033[?1049l\r\n";

static void crash_handler(int number, siginfo_t *info, void *context) {
    int fd = crash_fd;
    if (fd >= 0) {
        tcsetattr(fd, TCSANOW, &crash_modes);
        ssize_t ignored = write(fd, crash_restore, sizeof(crash_restore) - 1);
        (void)ignored;
    }
    for (int i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        if (crash_signals[i] != number) continue;
        /* The handler that was there before (the Swift runtime's backtracer), else the
           default action, which ends the process as the signal would have. */
        sigaction(number, &crash_previous[i], NULL);
        struct sigaction *previous = &crash_previous[i];
        if ((previous->sa_flags & SA_SIGINFO) && previous->sa_sigaction != NULL) {
            previous->sa_sigaction(number, info, context);
            return;
        }
        if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN
            && previous->sa_handler != NULL) {
            previous->sa_handler(number);
            return;
        }
        break;
    }
    /* Returning re-runs a faulting instruction under the default action; a signal sent
       with kill() is raised again. */
    signal(number, SIG_DFL);
    raise(number);
}

int orgscope_install_crash_restore(int fd) {
    if (crash_installed) return 0;
    if (tcgetattr(fd, &crash_modes) != 0) return -1;
    crash_fd = fd;
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_sigaction = crash_handler;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    for (int i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        sigaction(crash_signals[i], &action, &crash_previous[i]);
    }
    crash_installed = 1;
    return 0;
}

void orgscope_remove_crash_restore(void) {
    if (!crash_installed) return;
    crash_fd = -1;
    for (int i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        sigaction(crash_signals[i], &crash_previous[i], NULL);
    }
    crash_installed = 0;
}
