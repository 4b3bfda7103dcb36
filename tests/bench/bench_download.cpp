// Download throughput and memory: a file of 64 and 256 MiB over TLS on loopback from a private nginx (the tests'
// fixture), fetched by DockLink's engine (TransferManager + CurlHttpClient, MD5 verified as for a DJI OTA package)
// and by the `curl` command line from the same server in the same run, alternating, median of N rounds each.
// Six contenders per round: curl; curl then `md5sum` of its file (what verifying by hand costs); the engine's MD5
// alone over the served file (no transfer: the ceiling of any client verifying with it on one core); the engine as
// shipped (the digest hashed on a thread of its own, read back behind the writer); the engine hashing each piece on
// the receiving thread (DownloaderOptions::hash_on_own_thread = false, the single-core setting); the engine with the
// size checked and no digest (DownloadRequest::allow_unverified: its transfer path alone). Each run's CPU time
// is taken too (this process's for the engine, the finished children's for curl), since on a shared machine the
// wall time mostly says how busy the other processes were. The engine's peak RSS during a download is compared with
// its RSS just before (VmHWM reset through /proc/self/clear_refs), so the figure is what a transfer adds whatever
// the file's size.
// Targets: throughput >= 0.9 of curl; peak RSS < 16 MiB above idle, not growing with the file.
//   bench_download [--sizes 64,256] [--rounds 5] [--out FILE]
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/ports/posix_clock.hpp"
#include "docklink/runtime.hpp"
#include "docklink/transfer/transfer_manager.hpp"
#include "nginx_process.hpp"
#include "transfer_bench.hpp"

using namespace docklink;
using namespace docklink::bench;

namespace {

struct Options {
  std::vector<std::uint64_t> sizes_mib{64, 256};
  int rounds = 5;
  std::string out;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i], value = argv[i + 1];
    if (name == "--rounds") options.rounds = std::max(1, std::atoi(value.c_str()));
    if (name == "--out") options.out = value;
    if (name == "--sizes") {
      options.sizes_mib.clear();
      std::stringstream list(value);
      for (std::string size; std::getline(list, size, ',');) options.sizes_mib.push_back(std::stoull(size));
    }
  }
  return options;
}

/// The engine: one Runtime, one HTTP client and one TransferManager for the whole run, as a dock has.
class Engine {
 public:
  Engine(const std::string& ca, bool hash_on_own_thread) {
    ports::CurlHttpClientOptions options;
    options.ca_file = ca;
    auto created = ports::CurlHttpClient::create(options);
    if (created) http_ = std::move(created).value();
    runtime_ = std::make_unique<Runtime>(clock_);
    transfer::TransferManagerOptions manager_options;
    manager_options.download.hash_on_own_thread = hash_on_own_thread;
    manager_ = std::make_unique<transfer::TransferManager>(
        *runtime_, transfer::DownloaderPorts{http_.get(), &hashing_, &clock_, nullptr, nullptr, nullptr},
        manager_options);
  }
  bool ready() const { return http_ != nullptr; }

  /// Downloads `url` (MD5 checked when `md5` is not empty, else the size only); the peak RSS is taken against
  /// `idle_kib`, the process's RSS before its first download. The CPU time is the whole process's: its main thread only
  /// waits meanwhile.
  Sample run(const std::string& url, std::uint64_t size, const std::string& md5, const std::string& destination,
             long idle_kib) {
    transfer::DownloadRequest request;
    request.url = url;
    request.destination = destination;
    request.expected_size = size;
    request.expected_digest = md5;
    request.allow_unverified = md5.empty();
    Sample run = time_engine("download", idle_kib, [&] { return download(request).status; });
    std::filesystem::remove(destination);
    return run;
  }

 private:
  transfer::DownloadResult download(const transfer::DownloadRequest& request) {
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
    transfer::DownloadResult result;
    auto submitted = manager_->submit_download(request, [&](transfer::TransferId, const transfer::DownloadResult& r) {
      std::lock_guard<std::mutex> lock(mutex);
      result = r;
      finished = true;
      done.notify_all();
    });
    if (!submitted) return {submitted.status()};
    std::unique_lock<std::mutex> lock(mutex);
    done.wait(lock, [&] { return finished; });
    return result;
  }

  ports::PosixClock clock_;
  ports::MbedtlsHashing hashing_;
  std::unique_ptr<ports::CurlHttpClient> http_;
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<transfer::TransferManager> manager_;
};

/// The contenders, in the order each round runs them.
enum Contender { kCurl, kCurlMd5sum, kMd5Alone, kEngine, kEngineInline, kEngineNoDigest, kContenders };
const char* const kContenderNames[kContenders] = {"curl",
                                                  "curl, then md5sum",
                                                  "MD5 alone (mbedTLS, no transfer: a verifying client's ceiling)",
                                                  "DockLink (digest on its own thread)",
                                                  "DockLink (digest inline, single-core mode)",
                                                  "DockLink, size check only (no digest: its transfer path alone)"};

// The engine's MD5 (mbedTLS) over the served file, read from the page cache, with no transfer at all: no client
// that verifies with it on one core can finish sooner, whatever its network path.
Sample time_md5(const std::string& path) {
  Sample sample;
  double cpu_before = cpu_seconds(RUSAGE_SELF);
  auto start = std::chrono::steady_clock::now();
  if (!ports::file_md5_hex(path)) return sample;
  sample.seconds = seconds_since(start);
  sample.cpu = cpu_seconds(RUSAGE_SELF) - cpu_before;
  return sample;
}

struct Row {
  std::uint64_t mib = 0;
  Series series[kContenders];
  std::string load_before, load_after;
};

struct Setup {
  Engine& engine;
  Engine& engine_inline;
  const test::NginxProcess& nginx;
  std::string ca, scratch;
  int rounds = 0;
  long idle_kib = 0;
};

Sample run_contender(Setup& setup, Contender contender, const std::string& url, std::uint64_t mib,
                     const std::string& md5) {
  std::string curl = "curl -sS --fail --cacert '" + setup.ca + "' -o '" + setup.scratch + "/curl.bin' '" + url + "'";
  std::string destination = setup.scratch + "/engine.bin";
  Sample sample;
  if (contender == kCurl) sample = time_command(curl);
  if (contender == kCurlMd5sum) sample = time_command(curl + " && md5sum '" + setup.scratch + "/curl.bin' >/dev/null");
  if (contender == kMd5Alone)
    sample = time_md5(setup.nginx.files_directory() + "/bench-" + std::to_string(mib) + ".bin");
  if (contender == kEngine) sample = setup.engine.run(url, mib << 20, md5, destination, setup.idle_kib);
  if (contender == kEngineInline) sample = setup.engine_inline.run(url, mib << 20, md5, destination, setup.idle_kib);
  if (contender == kEngineNoDigest) sample = setup.engine.run(url, mib << 20, "", destination, setup.idle_kib);
  std::filesystem::remove(setup.scratch + "/curl.bin");
  return sample;
}

Row measure(Setup& setup, std::uint64_t mib) {
  Row row;
  row.mib = mib;
  std::string name = "bench-" + std::to_string(mib) + ".bin";
  std::string served = setup.nginx.files_directory() + "/" + name;
  if (!write_test_file(served, mib)) return row;
  std::string md5 = ports::file_md5_hex(served).value();
  std::string url = setup.nginx.https_url("/files/" + name);
  run_contender(setup, kCurl, url, mib, md5);  // the served file into the page cache
  row.load_before = load_average();
  for (int round = 0; round < setup.rounds; ++round) {
    std::fprintf(stderr, "download %llu MiB round %d:", static_cast<unsigned long long>(mib), round + 1);
    for (int contender = 0; contender < kContenders; ++contender) {
      Sample sample = run_contender(setup, static_cast<Contender>(contender), url, mib, md5);
      row.series[contender].add(sample);
      std::fprintf(stderr, " %s %.3f s (cpu %.3f s)", kContenderNames[contender], sample.seconds, sample.cpu);
    }
    std::fprintf(stderr, "\n");
  }
  row.load_after = load_average();
  std::filesystem::remove(served);
  return row;
}

void report(const std::vector<Row>& rows, const Setup& setup, std::FILE* out) {
  std::fprintf(out,
               "### Download over TLS on loopback (bench_download; nginx, median of %d alternating rounds)\n\n"
               "Every contender fetches the same file from the same server to the same file system (tmpfs) in each "
               "round. DockLink: TransferManager + CurlHttpClient, MD5 verified (the size-check-only row: no digest), "
               "fsynced and renamed. CPU: user + "
               "system seconds of the downloading process (for curl, of its shell and curl). Peak RSS: the engine "
               "process's VmHWM during each download (reset before it) above its RSS before the first download, "
               "%.1f MiB. Load: the 1-minute load average before and after the rounds (2 CPUs shared with other "
               "work). MD5 alone: the engine's MD5 (mbedTLS) over the served file from the page cache, no "
               "transfer; a client that verifies with it cannot be faster, so where curl moves the file faster "
               "than MD5 runs, 0.90 of curl is out of reach for any verifying client.\n\n",
               setup.rounds, static_cast<double>(setup.idle_kib) / 1024.0);
  std::fprintf(out,
               "| file MiB | load | contender | MiB/s (median) | min–max MiB/s | CPU s (median) | / curl | >= 0.90 | "
               "peak RSS above idle MiB |\n| ---: | --- | --- | ---: | --- | ---: | ---: | --- | ---: |\n");
  for (const Row& row : rows) {
    double curl = mib_per_second(row.mib, median(row.series[kCurl].seconds));
    for (int contender = 0; contender < kContenders; ++contender) {
      const Series& series = row.series[contender];
      double rate = mib_per_second(row.mib, median(series.seconds));
      double ratio = curl > 0 ? rate / curl : 0;
      auto [fastest, slowest] = std::minmax_element(series.seconds.begin(), series.seconds.end());
      bool engine = contender >= kEngine;
      char peak[16] = "—";
      if (engine) std::snprintf(peak, sizeof peak, "%.1f", static_cast<double>(series.peak_kib) / 1024.0);
      std::fprintf(out, "| %llu | %s–%s | %s | %.0f | %.0f–%.0f | %.2f | %.2f | %s | %s |\n",
                   static_cast<unsigned long long>(row.mib), row.load_before.c_str(), row.load_after.c_str(),
                   kContenderNames[contender], rate, mib_per_second(row.mib, *slowest),
                   mib_per_second(row.mib, *fastest), median(series.cpu), ratio,
                   engine ? (ratio >= 0.9 ? "met" : "**missed**") : "—", peak);
    }
  }
  std::fprintf(out, "\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
  std::string scratch = base + "/docklink-bench-download-XXXXXX";
  if (::mkdtemp(scratch.data()) == nullptr || !make_certificate(scratch)) {
    std::fprintf(stderr, "cannot make the scratch directory or the certificate (openssl)\n");
    return 1;
  }
  test::NginxOptions nginx_options;
  nginx_options.certificate = scratch + "/cert.pem";
  nginx_options.key = scratch + "/key.pem";
  test::NginxProcess nginx(nginx_options);
  Engine engine(scratch + "/cert.pem", true), engine_inline(scratch + "/cert.pem", false);
  if (!nginx.running() || !engine.ready() || !engine_inline.ready()) {
    std::fprintf(stderr, "cannot start nginx (%s) or the HTTP client\n", nginx.error().c_str());
    return 1;
  }
  Setup setup{engine, engine_inline, nginx, scratch + "/cert.pem", scratch, options.rounds, status_kib("VmRSS")};
  std::vector<Row> rows;
  for (auto mib : options.sizes_mib) rows.push_back(measure(setup, mib));
  std::FILE* out = options.out.empty() ? stdout : std::fopen(options.out.c_str(), "a");
  if (out == nullptr) return 1;
  report(rows, setup, out);
  if (out != stdout) std::fclose(out);
  std::filesystem::remove_all(scratch);
  bool complete = true;
  for (const Row& row : rows) complete = complete && median(row.series[kEngine].seconds) > 0;
  return complete ? 0 : 1;
}
