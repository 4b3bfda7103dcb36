// The processes a dock-sim test starts: a private mosquitto, dock-sim, and other samples read line by line.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace simtest {

using namespace std::chrono_literals;

/// The source tree this test was built from.
inline std::string source_root() {
  std::string file = __FILE__;  // .../tests/integration/sim_test_support.hpp
  return file.substr(0, file.rfind("/tests/integration/"));
}

/// The whole of the file at `path` ("" when it cannot be read): logs and stderr files of child processes.
inline std::string file_text(const std::string& path) {
  std::string text;
  if (std::FILE* file = std::fopen(path.c_str(), "r")) {
    char buffer[4096];
    std::size_t size = 0;
    while ((size = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, size);
    std::fclose(file);
  }
  return text;
}

/// A waitpid() status as a shell reports it: the exit code, or 128 + N after death by signal N (so that a crash
/// shows which signal).
inline int exit_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

/// The build tree of the running test binary.
inline std::string build_root() {
  char path[PATH_MAX] = {};
  ssize_t size = readlink("/proc/self/exe", path, sizeof path - 1);
  std::string exe(path, size > 0 ? static_cast<std::size_t>(size) : 0);
  std::string dir = exe.substr(0, exe.rfind('/'));  // .../build/tests
  return dir.substr(0, dir.rfind('/'));
}

/// Turns `args` into the command line of sample `program` (build/samples/NAME) and returns the file to exec. Cross
/// builds run the ARM sample through qemu-user (no binfmt here): DOCKLINK_TEST_EMULATOR, "qemu-aarch64 -L <sysroot>",
/// goes in front.
inline std::string sample_command(const std::string& program, std::vector<std::string>& args) {
  std::string binary = build_root() + "/samples/" + program;
  args.insert(args.begin(), binary);
  std::vector<std::string> emulator;
  if (const char* words = std::getenv("DOCKLINK_TEST_EMULATOR"); words != nullptr) {
    std::string word;
    for (const char* c = words;; ++c) {
      if (*c == ' ' || *c == '\0') {
        if (!word.empty()) emulator.push_back(word);
        word.clear();
        if (*c == '\0') break;
      } else {
        word += *c;
      }
    }
  }
  if (emulator.empty()) return binary;
  args.insert(args.begin(), emulator.begin(), emulator.end());
  binary = emulator.front();
  return binary.find('/') == std::string::npos ? "/usr/bin/" + binary : binary;
}

/// A private mosquitto started with scripts/test-broker.sh.
class Broker {
 public:
  Broker() {
    char pattern[] = "/tmp/docklink-simtest.XXXXXX";
    dir_ = mkdtemp(pattern);
    std::string command = source_root() + "/scripts/test-broker.sh start " + dir_ + " >/dev/null";
    started_ = std::system(command.c_str()) == 0;
    if (started_) {
      std::FILE* file = std::fopen((dir_ + "/port").c_str(), "r");
      int port = 0;
      if (file != nullptr && std::fscanf(file, "%d", &port) == 1) uri_ = "tcp://127.0.0.1:" + std::to_string(port);
      if (file != nullptr) std::fclose(file);
    }
  }
  ~Broker() {
    std::string command = source_root() + "/scripts/test-broker.sh stop " + dir_ + " >/dev/null; rm -rf " + dir_;
    if (std::system(command.c_str()) != 0) std::fprintf(stderr, "broker stop failed\n");
  }
  const std::string& uri() const { return uri_; }
  const std::string& dir() const { return dir_; }
  /// SIGKILL to the broker named in its pid file, which is then removed: the stop in the destructor would wait for
  /// that PID to vanish, which is slow when it is nobody's child. For sessions whose clean shutdown is tested
  /// elsewhere.
  void kill_now() {
    std::FILE* file = std::fopen((dir_ + "/pid").c_str(), "r");
    int pid = 0;
    if (file != nullptr && std::fscanf(file, "%d", &pid) == 1 && pid > 0) kill(pid, SIGKILL);
    if (file != nullptr) std::fclose(file);
    std::remove((dir_ + "/pid").c_str());
  }

 private:
  std::string dir_;
  std::string uri_;
  bool started_ = false;
};

/// dock-sim as a child process.
class Simulator {
 public:
  Simulator(const std::string& log_path, std::vector<std::string> args) {
    std::string binary = sample_command("dock-sim", args);
    pid_ = fork();
    if (pid_ == 0) {
      std::FILE* log = std::freopen(log_path.c_str(), "w", stdout);
      if (log != nullptr) dup2(fileno(stdout), STDERR_FILENO);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Simulator() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  /// Sends `signal` and waits up to `timeout` for the exit; its exit_status(), or -1 on timeout.
  int stop(int signal, std::chrono::milliseconds timeout) {
    kill(pid_, signal);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return exit_status(status);
      }
      // Polling a child's exit: waitpid has no timeout and there is no event to wait on here.
      usleep(20 * 1000);
    }
    return -1;
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

/// A sample program (build/samples/NAME) as a child process whose stdout is read line by line through a pipe,
/// so tests wait on its output and its exit instead of sleeping. Runs through DOCKLINK_TEST_EMULATOR when set.
class ChildProcess {
 public:
  /// Starts `program` with `args`; its stderr goes to `stderr_path`.
  ChildProcess(const std::string& program, std::vector<std::string> args, const std::string& stderr_path) {
    std::string binary = sample_command(program, args);
    // Built before fork(): the child of a threaded parent may only make async-signal-safe calls.
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);  // dup2 clears close-on-exec on the copy
      int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) dup2(err, STDERR_FILENO);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);  // EOF on out[0] once the child is gone
    if (pid_ < 0) {
      close(out[0]);
      return;
    }
    out_fd_ = out[0];
    reader_ = std::thread([this] { read_lines(); });
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (reader_.joinable()) reader_.join();
    if (out_fd_ >= 0) close(out_fd_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0 && out_fd_ >= 0; }

  /// Waits for a stdout line matching `pred` (earlier lines count); the line, or "" on timeout or exit.
  std::string wait_line(std::function<bool(const std::string&)> pred, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::string found;
    cv_.wait_for(lock, timeout, [&] {
      for (const auto& line : lines_) {
        if (pred(line)) {
          found = line;
          return true;
        }
      }
      return eof_;
    });
    return found;
  }
  /// Every stdout line so far.
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  /// Waits up to `timeout` for the child to close its stdout and exit; its exit_status(), or -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout) {
    if (reaped_) return exit_code_;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!cv_.wait_for(lock, timeout, [this] { return eof_; })) return -1;
    }
    int status = 0;
    if (waitpid(pid_, &status, 0) != pid_) return -1;
    reaped_ = true;
    exit_code_ = exit_status(status);
    return exit_code_;
  }
  /// Sends `signal` and waits for the exit as wait_exit does.
  int stop(int signal, std::chrono::milliseconds timeout) {
    if (!reaped_ && pid_ > 0) kill(pid_, signal);
    return wait_exit(timeout);
  }

 private:
  void read_lines() {
    std::string partial;
    char buffer[4096];
    for (;;) {
      ssize_t size = read(out_fd_, buffer, sizeof buffer);
      if (size < 0 && errno == EINTR) continue;
      std::lock_guard<std::mutex> lock(mutex_);
      if (size <= 0) {
        if (!partial.empty()) lines_.push_back(partial);
        eof_ = true;
        cv_.notify_all();
        return;
      }
      partial.append(buffer, static_cast<std::size_t>(size));
      for (std::size_t end = partial.find('\n'); end != std::string::npos; end = partial.find('\n')) {
        lines_.push_back(partial.substr(0, end));
        partial.erase(0, end + 1);
      }
      cv_.notify_all();
    }
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

}  // namespace simtest
