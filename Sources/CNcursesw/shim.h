#ifndef STRATA_CNCURSESW_SHIM_H
#define STRATA_CNCURSESW_SHIM_H
// Without these, ncurses declares none of its wide-character API (cchar_t, wget_wch, setcchar…).
// SwiftPM drops pkg-config's -D flags, so they are defined here.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/ncurses.h>

// Attribute bits are NCURSES_BITS() expression macros, which Swift does not import.
static inline attr_t cn_a_normal(void)    { return A_NORMAL; }
static inline attr_t cn_a_bold(void)      { return A_BOLD; }
static inline attr_t cn_a_dim(void)       { return A_DIM; }
static inline attr_t cn_a_reverse(void)   { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_italic(void)    { return A_ITALIC; }

// Globals are not concurrency-safe to touch from Swift; read them through functions.
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void)      { return LINES; }
static inline int cn_cols(void)       { return COLS; }
static inline int cn_colors(void)     { return COLORS; }
static inline int cn_color_pairs(void){ return COLOR_PAIRS; }
static inline int cn_key_f(int n)     { return KEY_F(n); }

// glibc declares these only under __USE_XOPEN, which Swift's Glibc module is not built with.
extern int wcwidth(wchar_t c);
static inline int cn_wcwidth(wchar_t c) { return wcwidth(c); }

// nl_langinfo(CODESET) without the enum spelling differences between libcs.
static inline const char *cn_codeset(void) { return nl_langinfo(CODESET); }
#endif
