#define _GNU_SOURCE 1
#include "CrashGuard.h"
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT};
#define CRASH_SIGNAL_COUNT ((int)(sizeof(crash_signals) / sizeof(crash_signals[0])))
static struct sigaction previous_actions[CRASH_SIGNAL_COUNT];
static volatile sig_atomic_t installed = 0;

static struct termios saved_modes;
static volatile sig_atomic_t terminal_fd = -1;

static char unlink_path[4096];
static volatile sig_atomic_t unlink_set = 0;

/* Bracketed paste and mouse reporting off (every mode ncurses may have asked for), colours
   and attributes reset, the cursor shown, the main screen back, and a fresh line. */
static const char restore_sequence[] =
    "\033[?2004l\033[?1006l\033[?1015l\033[?1002l\033[?1003l\033[?1000l\033[0m\033[?25h\033[?1049l\r\n";

static void crash_handler(int number, siginfo_t *info, void *context) {
    if (unlink_set) unlink(unlink_path);
    int fd = terminal_fd;
    if (fd >= 0) {
        tcsetattr(fd, TCSANOW, &saved_modes);
        ssize_t ignored = write(fd, restore_sequence, sizeof(restore_sequence) - 1);
        (void)ignored;
    }
    for (int i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        if (crash_signals[i] != number) continue;
        sigaction(number, &previous_actions[i], NULL);
        struct sigaction *previous = &previous_actions[i];
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
    /* The default action: returning re-runs a faulting instruction; a signal sent with
       kill() is raised again. */
    signal(number, SIG_DFL);
    raise(number);
}

static void install(void) {
    if (installed) return;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    sigemptyset(&action.sa_mask);
    action.sa_sigaction = crash_handler;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    for (int i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        sigaction(crash_signals[i], &action, &previous_actions[i]);
    }
    installed = 1;
}

int orgscope_crash_guard_terminal(int fd) {
    if (tcgetattr(fd, &saved_modes) != 0) return -1;
    terminal_fd = fd;
    install();
    return 0;
}

void orgscope_crash_guard_terminal_off(void) { terminal_fd = -1; }

void orgscope_crash_guard_unlink(const char *path) {
    unlink_set = 0;
    if (path == NULL) return;
    size_t length = strlen(path);
    if (length >= sizeof(unlink_path)) return;
    memcpy(unlink_path, path, length + 1);
    install();
    unlink_set = 1;
}
