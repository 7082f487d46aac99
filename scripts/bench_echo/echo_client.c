/*
 * Load client for scripts/bench_echo.ts (compiled with gcc at run time).
 *
 *   echo_client rr   HOST PORT CONNS SECONDS SIZE   -> prints "roundtrips N seconds S"
 *   echo_client idle HOST PORT CONNS                -> opens CONNS connections, prints "ready N",
 *                                                      then holds them until stdin closes
 *
 * rr: every connection sends SIZE bytes, waits for SIZE bytes back, repeats.
 * One epoll thread; it handles several hundred thousand round trips a second,
 * far above what the servers under test reach, so it is not the bottleneck.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_conn(const char *host, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) { perror("socket"); exit(1); }
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, host, &addr.sin_addr);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("connect"); exit(1); }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: see the source\n"); return 2; }
  const char *mode = argv[1], *host = argv[2];
  int port = atoi(argv[3]), conns = atoi(argv[4]);
  int *fds = calloc(conns, sizeof(int));
  for (int i = 0; i < conns; i++) fds[i] = open_conn(host, port);

  if (strcmp(mode, "idle") == 0) {
    printf("ready %d\n", conns);
    fflush(stdout);
    char buf[64];
    while (read(0, buf, sizeof buf) > 0) {}
    return 0;
  }

  double seconds = atof(argv[5]);
  int size = argc > 6 ? atoi(argv[6]) : 64;
  char *msg = malloc(size), *in = malloc(size);
  memset(msg, 'x', size);
  int *got = calloc(conns, sizeof(int));
  int ep = epoll_create1(0);
  for (int i = 0; i < conns; i++) {
    fcntl(fds[i], F_SETFL, O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
    if (write(fds[i], msg, size) != size) { perror("write"); return 1; }
  }
  long long roundtrips = 0;
  struct epoll_event events[256];
  double start = now(), end = start + seconds;
  while (now() < end) {
    int n = epoll_wait(ep, events, 256, 100);
    for (int e = 0; e < n; e++) {
      int i = events[e].data.u32;
      ssize_t r = read(fds[i], in, size - got[i]);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        fprintf(stderr, "connection %d closed\n", i);
        return 1;
      }
      got[i] += r;
      if (got[i] == size) {
        got[i] = 0;
        roundtrips++;
        if (write(fds[i], msg, size) != size) { perror("write"); return 1; }
      }
    }
  }
  printf("roundtrips %lld seconds %.3f\n", roundtrips, now() - start);
  return 0;
}
