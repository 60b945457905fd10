/* Locales: the C locale only (also called "POSIX"; "" selects it too, since
 * there are no others to choose from the environment). */
#include <limits.h>
#include <locale.h>
#include <string.h>

char *setlocale(int category, const char *locale) {
  static char c_name[] = "C";
  if (category < LC_CTYPE || category > LC_ALL) return 0;
  if (!locale || !*locale || !strcmp(locale, "C") || !strcmp(locale, "POSIX")) return c_name;
  return 0;
}

struct lconv *localeconv(void) {
  static char dot[] = ".", empty[] = "";
  static struct lconv c = {dot,      empty,    empty,    empty,    empty,    empty,
                           empty,    empty,    empty,    empty,    CHAR_MAX, CHAR_MAX,
                           CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX,
                           CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX, CHAR_MAX};
  return &c;
}
