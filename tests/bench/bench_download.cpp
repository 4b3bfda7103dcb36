// Download throughput and memory: a file of 64 and 256 MiB over TLS on loopback from a private nginx (the tests'
// fixture), fetched by DockLink's engine (TransferManager + CurlHttpClient, MD5 verified as for a DJI OTA package)
// and by the `curl` command line from the same server in the same run, alternating, best of N rounds each. The
// engine's peak RSS during a download is compared with its RSS just before (VmHWM reset through
// /proc/self/clear_refs), so the figure is what a transfer adds whatever the file's size.
// Targets: throughput >= 0.9 of curl; peak RSS < 16 MiB above idle, not growing with the file.
//   bench_download [--sizes 64,256] [--rounds 3] [--out FILE]
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

using namespace docklink;

namespace {

struct Options {
  std::vector<std::uint64_t> sizes_mib{64, 256};
  int rounds = 3;
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

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A /proc/self/status field in KiB ("VmRSS", "VmHWM"); -1 when absent.
long status_kib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0); false when the kernel refuses.
bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

// `mib` MiB of pseudo-random bytes written in 1 MiB pieces (never held whole in memory).
bool write_test_file(const std::string& path, std::uint64_t mib) {
  std::ofstream out(path, std::ios::binary);
  std::string piece(1u << 20, '\0');
  std::uint32_t state = 2024;
  for (std::uint64_t i = 0; i < mib; ++i) {
    for (char& byte : piece) {
      state = state * 1103515245u + 12345u;
      byte = static_cast<char>(state >> 24);
    }
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
  }
  return static_cast<bool>(out);
}

bool make_certificate(const std::string& directory) {
  std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "
      "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      directory + "/key.pem' -out '" + directory + "/cert.pem' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// Seconds the curl command line takes to fetch `url` to `destination`; negative on failure.
double time_curl(const std::string& url, const std::string& ca, const std::string& destination) {
  std::string command = "curl -sS --fail --cacert '" + ca + "' -o '" + destination + "' '" + url + "'";
  auto start = std::chrono::steady_clock::now();
  int status = std::system(command.c_str());
  double seconds = seconds_since(start);
  std::filesystem::remove(destination);
  return status == 0 ? seconds : -1;
}

struct EngineRun {
  double seconds = -1;
  long peak_above_idle_kib = -1;
};

/// The engine: one Runtime, one HTTP client and one TransferManager for the whole run, as a dock has.
class Engine {
 public:
  explicit Engine(const std::string& ca) {
    ports::CurlHttpClientOptions options;
    options.ca_file = ca;
    auto created = ports::CurlHttpClient::create(options);
    if (created) http_ = std::move(created).value();
    runtime_ = std::make_unique<Runtime>(clock_);
    manager_ = std::make_unique<transfer::TransferManager>(
        *runtime_, transfer::DownloaderPorts{http_.get(), &hashing_, &clock_, nullptr, nullptr, nullptr});
  }
  bool ready() const { return http_ != nullptr; }

  /// Downloads `url`; the peak RSS is taken against `idle_kib`, the process's RSS before its first download.
  EngineRun run(const std::string& url, std::uint64_t size, const std::string& md5, const std::string& destination,
                long idle_kib) {
    transfer::DownloadRequest request;
    request.url = url;
    request.destination = destination;
    request.expected_size = size;
    request.expected_digest = md5;
    EngineRun run;
    bool peak_reset = reset_peak_rss();
    auto start = std::chrono::steady_clock::now();
    auto result = download(request);
    run.seconds = result.status.is_ok() ? seconds_since(start) : -1;
    if (!result.status) std::fprintf(stderr, "engine download failed: %s\n", result.status.to_string().c_str());
    if (peak_reset && idle_kib > 0) run.peak_above_idle_kib = status_kib("VmHWM") - idle_kib;
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

struct Row {
  std::uint64_t mib = 0;
  double curl_best = -1, engine_best = -1;
  long peak_kib = -1;
};

double mib_per_second(std::uint64_t mib, double seconds) {
  return seconds > 0 ? static_cast<double>(mib) / seconds : 0;
}

Row measure(Engine& engine, const test::NginxProcess& nginx, const std::string& ca, const std::string& scratch,
            std::uint64_t mib, int rounds, long idle_kib) {
  Row row;
  row.mib = mib;
  std::string name = "bench-" + std::to_string(mib) + ".bin";
  std::string served = nginx.files_directory() + "/" + name;
  if (!write_test_file(served, mib)) return row;
  std::string md5 = ports::file_md5_hex(served).value();
  std::string url = nginx.https_url("/files/" + name);
  time_curl(url, ca, scratch + "/warm.bin");  // the served file into the page cache, TLS session warm
  for (int round = 0; round < rounds; ++round) {
    double curl = time_curl(url, ca, scratch + "/curl.bin");
    EngineRun run = engine.run(url, mib << 20, md5, scratch + "/engine.bin", idle_kib);
    if (curl > 0 && (row.curl_best < 0 || curl < row.curl_best)) row.curl_best = curl;
    if (run.seconds > 0 && (row.engine_best < 0 || run.seconds < row.engine_best)) row.engine_best = run.seconds;
    row.peak_kib = std::max(row.peak_kib, run.peak_above_idle_kib);
    std::fprintf(stderr, "download %llu MiB round %d: curl %.3f s, DockLink %.3f s, peak +%ld KiB\n",
                 static_cast<unsigned long long>(mib), round + 1, curl, run.seconds, run.peak_above_idle_kib);
  }
  std::filesystem::remove(served);
  return row;
}

void report(const std::vector<Row>& rows, long idle_kib, int rounds, std::FILE* out) {
  std::fprintf(out, "### Download over TLS on loopback (bench_download; nginx, best of %d alternating rounds)\n\n",
               rounds);
  std::fprintf(out,
               "DockLink: TransferManager + CurlHttpClient, MD5 verified, written to tmpfs; curl: the command "
               "line, same server, file and destination file system. Peak RSS: the engine process's VmHWM during "
               "each download (reset before it) above its RSS before the first download, %.1f MiB.\n\n",
               static_cast<double>(idle_kib) / 1024.0);
  std::fprintf(out,
               "| file MiB | curl MiB/s | DockLink MiB/s | DockLink / curl | >= 0.90 | peak RSS above idle MiB | "
               "< 16 MiB |\n| ---: | ---: | ---: | ---: | --- | ---: | --- |\n");
  for (const Row& row : rows) {
    double curl = mib_per_second(row.mib, row.curl_best), ours = mib_per_second(row.mib, row.engine_best);
    double ratio = curl > 0 ? ours / curl : 0;
    double peak = row.peak_kib >= 0 ? static_cast<double>(row.peak_kib) / 1024.0 : -1;
    std::fprintf(out, "| %llu | %.0f | %.0f | %.2f | %s | %.1f | %s |\n", static_cast<unsigned long long>(row.mib),
                 curl, ours, ratio, ratio >= 0.9 ? "met" : "**missed**", peak,
                 peak >= 0 && peak < 16 ? "met" : "**missed**");
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
  Engine engine(scratch + "/cert.pem");
  if (!nginx.running() || !engine.ready()) {
    std::fprintf(stderr, "cannot start nginx (%s) or the HTTP client\n", nginx.error().c_str());
    return 1;
  }
  std::vector<Row> rows;
  long idle_kib = status_kib("VmRSS");
  for (auto mib : options.sizes_mib)
    rows.push_back(measure(engine, nginx, scratch + "/cert.pem", scratch, mib, options.rounds, idle_kib));
  std::FILE* out = options.out.empty() ? stdout : std::fopen(options.out.c_str(), "a");
  if (out == nullptr) return 1;
  report(rows, idle_kib, options.rounds, out);
  if (out != stdout) std::fclose(out);
  std::filesystem::remove_all(scratch);
  bool complete = true;
  for (const Row& row : rows) complete = complete && row.curl_best > 0 && row.engine_best > 0;
  return complete ? 0 : 1;
}
