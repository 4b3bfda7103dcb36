// Child processes of the test servers (nginx, s3rver): started with their output in a log file and tied to the
// test's life, stopped politely and then firmly.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace docklink::test {

/// Forks and runs `argv` (argv[0] is the executable's path), stdout and stderr appended to `log_path`; the child
/// gets SIGTERM when the test process dies. Returns the child's pid, or -1 when fork failed.
pid_t spawn_logged(const std::vector<std::string>& argv, const std::string& log_path);

/// SIGTERM to `pid`, then waits up to 3 s for its exit, then SIGKILL and waits. Nothing when pid <= 0.
void stop_child(pid_t pid);

}  // namespace docklink::test
