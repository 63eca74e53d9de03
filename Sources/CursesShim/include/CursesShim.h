#ifndef ORGSCOPE_CURSES_SHIM_H
#define ORGSCOPE_CURSES_SHIM_H
#include "../../CNCursesw/shim.h"

/// Attribute bits that Swift cannot import because they are macros.
unsigned int orgscope_attr_bold(void);
unsigned int orgscope_attr_reverse(void);
unsigned int orgscope_attr_underline(void);
unsigned int orgscope_attr_dim(void);
#endif
