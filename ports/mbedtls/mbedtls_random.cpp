#include "docklink/ports/mbedtls_random.hpp"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>

namespace docklink::ports {

namespace {

// Bumped in the child of every fork(). Telling a forked child by it costs no system call: getpid() is one, and on
// some virtual machines a system call costs microseconds, which had tripled the cost of publishing an OSD message
// (two ids per message).
std::atomic<unsigned> g_fork_generation{0};

void count_fork_in_child() { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }

// Registers the fork handler once; false when the C library could not (then getpid() tells a child instead).
bool fork_handler_registered() {
  static const bool registered = ::pthread_atfork(nullptr, nullptr, &count_fork_in_child) == 0;
  return registered;
}

}  // namespace

// The mbedTLS contexts, behind a pointer because they must never move once seeded (the DRBG keeps a pointer
// to the entropy context).
struct MbedtlsRandom::Generator {
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  unsigned seeded_in_fork_generation = 0;
  pid_t seeded_in_pid = 0;  // used only when the fork handler could not be registered

  Generator() {
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
  }
  ~Generator() {
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
  }
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // Records which process (fork generation) the state was seeded in.
  void note_seeded_here() {
    seeded_in_fork_generation = g_fork_generation.load(std::memory_order_relaxed);
    if (!fork_handler_registered()) seeded_in_pid = ::getpid();
  }
  // True when this process is a fork of the one the state was seeded in.
  bool forked_since_seeding() const {
    if (fork_handler_registered()) {
      return g_fork_generation.load(std::memory_order_relaxed) != seeded_in_fork_generation;
    }
    return ::getpid() != seeded_in_pid;
  }
};

namespace {

// Personalisation: a fixed label, so this DRBG's output differs from any other user's of the same entropy.
constexpr char kPersonalisation[] = "DockLink MbedtlsRandom v1";

std::string mbedtls_failure(const char* what, int code) {
  char text[128];
  std::snprintf(text, sizeof text, "%s failed (mbedTLS error -0x%04x)", what, static_cast<unsigned>(-code));
  return text;
}

}  // namespace

Result<std::unique_ptr<MbedtlsRandom>> MbedtlsRandom::create() {
  auto generator = std::make_unique<Generator>();
  int code =
      mbedtls_ctr_drbg_seed(&generator->drbg, mbedtls_entropy_func, &generator->entropy,
                            reinterpret_cast<const unsigned char*>(kPersonalisation), sizeof kPersonalisation - 1);
  if (code != 0) return Status(StatusCode::kInternal, mbedtls_failure("seeding CTR_DRBG", code));
  generator->note_seeded_here();
  return std::unique_ptr<MbedtlsRandom>(new MbedtlsRandom(std::move(generator)));
}

MbedtlsRandom::MbedtlsRandom(std::unique_ptr<Generator> generator) : generator_(std::move(generator)) {}

MbedtlsRandom::~MbedtlsRandom() = default;

Status MbedtlsRandom::fill(std::uint8_t* out, std::size_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (generator_->forked_since_seeding()) {
    // After fork() parent and child hold the same DRBG state; fresh entropy makes them diverge.
    int code = mbedtls_ctr_drbg_reseed(&generator_->drbg, nullptr, 0);
    if (code != 0) {
      if (size > 0) std::memset(out, 0, size);
      return Status(StatusCode::kInternal, mbedtls_failure("reseeding CTR_DRBG after fork", code));
    }
    generator_->note_seeded_here();
  }
  for (std::size_t done = 0; done < size;) {
    const std::size_t chunk = std::min<std::size_t>(size - done, MBEDTLS_CTR_DRBG_MAX_REQUEST);
    int code = mbedtls_ctr_drbg_random(&generator_->drbg, out + done, chunk);
    if (code != 0) {
      std::memset(out, 0, size);
      return Status(StatusCode::kInternal, mbedtls_failure("drawing from CTR_DRBG", code));
    }
    done += chunk;
  }
  return Status::ok();
}

}  // namespace docklink::ports
