#ifndef ORGSCOPE_CRASH_GUARD_H
#define ORGSCOPE_CRASH_GUARD_H

/// What orgscope undoes when it dies of a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGTRAP,
/// SIGFPE, SIGABRT), with async-signal-safe calls only, before the signal goes on to the
/// handler that was there before (the Swift runtime's backtracer) or to its default action.
/// A library's precondition (see SECURITY.md, "A crash") must not leave an admin's terminal
/// in the alternate screen, nor a hidden partial snapshot behind.

/// Saves the terminal modes of `fd` (before curses changes them): a crash puts them back,
/// leaves the alternate screen, shows the cursor and turns mouse reports off. 0 on success.
int orgscope_crash_guard_terminal(int fd);

/// The terminal is restored normally: nothing to do on a crash.
void orgscope_crash_guard_terminal_off(void);

/// A file to delete on a crash (a snapshot's temporary file), or NULL for none. The path is
/// copied; longer than 4,095 bytes it is not kept.
void orgscope_crash_guard_unlink(const char *path);

#endif
