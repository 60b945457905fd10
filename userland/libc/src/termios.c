/* Terminal attributes through the TCGETS/TCSETS* ioctls. */
#include <sys/ioctl.h>
#include <termios.h>

#include "internal.h"

int tcgetattr(int fd, struct termios *t) { return ioctl(fd, TCGETS, t); }

int tcsetattr(int fd, int action, const struct termios *t) {
  if (action < TCSANOW || action > TCSAFLUSH) {
    errno = EINVAL;
    return -1;
  }
  return ioctl(fd, TCSETS + action, t);
}

void cfmakeraw(struct termios *t) {
  t->c_iflag &= ~(unsigned)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  t->c_oflag &= ~(unsigned)OPOST;
  t->c_lflag &= ~(unsigned)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  t->c_cflag &= ~(unsigned)(CSIZE | PARENB);
  t->c_cflag |= CS8;
  t->c_cc[VMIN] = 1;
  t->c_cc[VTIME] = 0;
}
