#include "CursesShim.h"

unsigned int orgscope_attr_bold(void) { return (unsigned int)A_BOLD; }
unsigned int orgscope_attr_reverse(void) { return (unsigned int)A_REVERSE; }
unsigned int orgscope_attr_underline(void) { return (unsigned int)A_UNDERLINE; }
unsigned int orgscope_attr_dim(void) { return (unsigned int)A_DIM; }
