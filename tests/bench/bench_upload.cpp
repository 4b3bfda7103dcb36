// Upload throughput and memory: a file of 256 MiB sent by DockLink's engine (Uploader + CurlHttpClient) and by the
// `curl` command line to the same server in the same run, alternating, median of N rounds each, to two servers:
//   s3rver     the tests' S3 server (@20minutes/s3rver, verifies SigV4) on loopback, once over TLS and once over
//              plain HTTP (as the tests run it). DockLink: a SigV4 multipart upload (8 MiB parts); over TLS each
//              part goes as UNSIGNED-PAYLOAD, over HTTP with its SHA-256 signed (hashed ahead on the engine's own
//              thread). Over TLS also one signed PUT of the whole file, which is what curl does. curl: one PUT
//              signed with --aws-sigv4 and an UNSIGNED-PAYLOAD payload hash (curl cannot hash a streamed file body
//              and has no multipart upload). s3rver writes a multipart object twice (the parts, then the whole on
//              Complete), so the multipart rows carry server work the single PUT rows do not.
//   nginx PUT  the tests' nginx over TLS, PUT stored by its dav module (/upload/NAME). DockLink: the pre-signed
//              URL path (one PUT of the file, as IoTDA uploads go). curl: curl -T.
// s3rver is a node program that also writes and MD5s every object; if it is the bottleneck, the nginx rows show
// what the engine does against a server that is not. CPU time (this process's for the engine, the finished
// children's for curl) and the engine's peak RSS above its RSS before the first upload are taken per run.
// Targets: throughput >= 0.9 of curl; peak RSS < 16 MiB above idle, not growing with the file.
//   bench_upload [--mib 256] [--rounds 5] [--out FILE]
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/ports/posix_clock.hpp"
#include "docklink/transfer/upload.hpp"
#include "nginx_process.hpp"
#include "s3rver_process.hpp"
#include "transfer_bench.hpp"

using namespace docklink;
using namespace docklink::bench;

namespace {

struct Options {
  std::uint64_t mib = 256;
  int rounds = 5;
  std::string out;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i], value = argv[i + 1];
    if (name == "--rounds") options.rounds = std::max(1, std::atoi(value.c_str()));
    if (name == "--out") options.out = value;
    if (name == "--mib") options.mib = std::max(1ull, std::stoull(value));
  }
  return options;
}

/// The engine: one HTTP client and one Uploader for the whole run, uploads on this thread (it only waits
/// otherwise, so the process's CPU time is the upload's).
class Engine {
 public:
  explicit Engine(const std::string& ca) {
    ports::CurlHttpClientOptions options;
    options.ca_file = ca;
    auto created = ports::CurlHttpClient::create(options);
    if (created) http_ = std::move(created).value();
  }
  bool ready() const { return http_ != nullptr; }

  Sample run(const transfer::UploadRequest& request, const transfer::UploaderOptions& options, long idle_kib) {
    transfer::Uploader uploader(transfer::UploaderPorts{http_.get(), &hashing_, &clock_, nullptr, nullptr, nullptr},
                                options);
    return time_engine("upload", idle_kib, [&] { return uploader.upload(request).status; });
  }

 private:
  ports::PosixClock clock_;
  ports::MbedtlsHashing hashing_;
  std::unique_ptr<ports::CurlHttpClient> http_;
};

/// One server and how each side uploads to it.
struct Target {
  std::string name;
  std::string baseline;             // what curl does, for the table
  std::string curl_command;         // the whole command line
  transfer::UploadRequest request;  // the engine's upload
  transfer::UploaderOptions options;
};

/// How the engine sends the file to s3rver. kMultipartInline is the engine before the payload hash moved: every
/// part's SHA-256 signed (over TLS too) and hashed on the upload's thread before the part is sent.
enum class S3Mode { kMultipart, kSinglePut, kMultipartInline };
/// How curl sends it: one PUT of the file, or the same multipart upload as the engine (curl_multipart.sh).
enum class CurlMode { kPut, kMultipart };

// The curl baseline of a multipart upload: CreateMultipartUpload, every part in one curl process (one connection,
// like the engine's), then Complete; parts are the file split beforehand into files of the engine's part size.
// Each request is signed with --aws-sigv4 and UNSIGNED-PAYLOAD (curl cannot hash a body it streams).
constexpr const char* kCurlMultipartScript = R"(#!/usr/bin/env bash
# curl_multipart.sh URL USER:SECRET PARTS_DIR [CURL OPTIONS...]
set -euo pipefail
url=$1 user=$2 parts=$3
shift 3
sig=(-sS --fail "$@" --aws-sigv4 aws:amz:us-east-1:s3 --user "$user" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD')
id=$(curl "${sig[@]}" -X POST "$url?uploads=" | sed -n 's:.*<UploadId>\(.*\)</UploadId>.*:\1:p')
[[ -n "$id" ]]
args=()
n=0
for part in "$parts"/*; do
  n=$((n + 1))
  args+=(-T "$part" "$url?partNumber=$n&uploadId=$id")
done
etags=$(curl "${sig[@]}" -o /dev/null -w '%header{etag}\n' "${args[@]}")
xml="<CompleteMultipartUpload>"
n=0
while read -r etag; do
  n=$((n + 1))
  xml+="<Part><PartNumber>$n</PartNumber><ETag>$etag</ETag></Part>"
done <<<"$etags"
xml+="</CompleteMultipartUpload>"
curl "${sig[@]}" -o /dev/null -X POST --data-binary "$xml" "$url?uploadId=$id"
)";

/// Writes the script as SCRATCH/curl_multipart.sh and the file's parts into SCRATCH/parts (untimed).
bool prepare_curl_multipart(const std::string& scratch, const std::string& file) {
  std::FILE* script = std::fopen((scratch + "/curl_multipart.sh").c_str(), "w");
  if (script == nullptr) return false;
  std::fputs(kCurlMultipartScript, script);
  std::fclose(script);
  std::string split = "mkdir -p '" + scratch + "/parts' && split -b " + std::to_string(defaults::kUploadPartSizeBytes) +
                      " -d -a 4 '" + file + "' '" + scratch + "/parts/p.'";
  return std::system(split.c_str()) == 0;
}

std::string curl_command(const test::S3rverProcess& s3, const std::string& ca, const std::string& scratch,
                         const std::string& file, CurlMode mode) {
  const test::S3rverOptions& keys = s3.options();
  const std::string tls = keys.certificate.empty() ? "" : " --cacert '" + ca + "'";
  const std::string url = s3.endpoint() + "/" + keys.bucket + "/curl.bin";
  const std::string user = keys.access_key + ":" + keys.secret;
  if (mode == CurlMode::kMultipart)
    return "bash '" + scratch + "/curl_multipart.sh' '" + url + "' '" + user + "' '" + scratch + "/parts'" + tls;
  return "curl -sS --fail -o /dev/null" + tls + " --aws-sigv4 aws:amz:us-east-1:s3 --user '" + user +
         "' -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T '" + file + "' '" + url + "'";
}

Target s3rver_target(const test::S3rverProcess& s3, const std::string& ca, const std::string& scratch,
                     const std::string& file, S3Mode mode, CurlMode curl) {
  const test::S3rverOptions& keys = s3.options();
  const bool tls = !keys.certificate.empty();
  Target target;
  target.name = std::string("s3rver ") + (tls ? "TLS" : "HTTP") +
                (mode == S3Mode::kSinglePut ? ", one signed PUT" : ", multipart");
  if (mode == S3Mode::kMultipartInline) {
    target.name += " (before: signed hash per part, in line)";
    target.options.unsigned_payload_over_tls = false;
    target.options.hash_on_own_thread = false;
  } else {
    target.name += tls ? " (unsigned payload)" : " (signed hash per part, hashed ahead)";
  }
  target.baseline = curl == CurlMode::kMultipart ? "multipart, same parts" : "one PUT";
  target.curl_command = curl_command(s3, ca, scratch, file, curl);
  target.request.source = file;
  target.request.destination.endpoint = s3.endpoint();
  target.request.destination.bucket = keys.bucket;
  target.request.destination.key = "engine.bin";
  if (mode == S3Mode::kSinglePut) target.request.multipart_threshold = defaults::kS3MaxPutBytes;
  transfer::ExpiringCredentials credentials;
  credentials.credentials = {keys.access_key, keys.secret, ""};
  target.request.credentials = [credentials](transfer::CredentialsReason) {
    return Result<transfer::ExpiringCredentials>(credentials);
  };
  return target;
}

Target nginx_target(const test::NginxProcess& nginx, const std::string& ca, const std::string& file) {
  Target target;
  target.name = "nginx PUT (TLS)";
  target.baseline = "curl -T";
  target.curl_command = "curl -sS --fail -o /dev/null --cacert '" + ca + "' -T '" + file + "' '" +
                        nginx.https_url("/upload/curl.bin") + "'";
  target.request.source = file;
  target.request.presigned_url = nginx.https_url("/upload/engine.bin");
  return target;
}

struct Row {
  std::string target, baseline;
  Series curl, engine;
  std::string load_before, load_after;
};

Row measure(Engine& engine, const Target& target, int rounds, long idle_kib) {
  Row row;
  row.target = target.name;
  row.baseline = target.baseline;
  time_command(target.curl_command);  // warm: the file in the page cache, the server's first-request costs paid
  row.load_before = load_average();
  for (int round = 0; round < rounds; ++round) {
    Sample curl = time_command(target.curl_command);
    Sample ours = engine.run(target.request, target.options, idle_kib);
    row.curl.add(curl);
    row.engine.add(ours);
    std::fprintf(
        stderr, "upload to %s round %d: curl %.3f s (cpu %.3f s), DockLink %.3f s (cpu %.3f s), peak +%ld KiB\n",
        target.name.c_str(), round + 1, curl.seconds, curl.cpu, ours.seconds, ours.cpu, ours.peak_above_idle_kib);
  }
  row.load_after = load_average();
  return row;
}

void report_row(const Row& row, std::uint64_t mib, std::FILE* out) {
  double curl = mib_per_second(mib, median(row.curl.seconds));
  double ours = mib_per_second(mib, median(row.engine.seconds));
  double ratio = curl > 0 ? ours / curl : 0;
  double peak = static_cast<double>(row.engine.peak_kib) / 1024.0;
  std::fprintf(out, "| %s | %s | %llu | %s–%s | %.0f | %.0f | %.2f | %s | %.2f | %.2f | %.1f | %s |\n",
               row.target.c_str(), row.baseline.c_str(), static_cast<unsigned long long>(mib), row.load_before.c_str(),
               row.load_after.c_str(), curl, ours, ratio, ratio >= 0.9 ? "met" : "**missed**", median(row.curl.cpu),
               median(row.engine.cpu), peak, row.engine.peak_kib >= 0 && peak < 16 ? "met" : "**missed**");
}

void report(const std::vector<Row>& rows, std::uint64_t mib, int rounds, long idle_kib, std::FILE* out) {
  std::fprintf(out,
               "### Upload on loopback (bench_upload; median of %d alternating rounds)\n\n"
               "s3rver: DockLink's SigV4 multipart upload (8 MiB parts; UNSIGNED-PAYLOAD over TLS, each part's "
               "SHA-256 signed over HTTP, hashed ahead on its own thread) and, over TLS, one signed PUT of the whole "
               "file, against curl --aws-sigv4 with UNSIGNED-PAYLOAD: one PUT of the file, or the same multipart "
               "upload (the file split beforehand into the engine's parts, all sent by one curl process). s3rver "
               "writes a multipart object twice (parts, then the whole on Complete). nginx PUT: DockLink's pre-signed "
               "URL PUT against curl -T, over TLS. CPU: user + system seconds of the uploading process (for curl, of "
               "its shell and "
               "curl). Peak RSS: the engine process's VmHWM during each upload above its RSS before the first, "
               "%.1f MiB. Load: 1-minute load average before and after (2 CPUs shared with other work).\n\n",
               rounds, static_cast<double>(idle_kib) / 1024.0);
  std::fprintf(
      out,
      "| server | curl | file MiB | load | curl MiB/s | DockLink MiB/s | DockLink / curl | >= 0.90 | curl CPU s | "
      "DockLink CPU s | peak RSS above idle MiB | < 16 MiB |\n"
      "| --- | --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |\n");
  for (const Row& row : rows) report_row(row, mib, out);
  std::fprintf(out, "\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  std::string scratch = "/tmp/docklink-bench-upload-XXXXXX";  // disk, not tmpfs: s3rver and nginx store here too
  if (::mkdtemp(scratch.data()) == nullptr || !make_certificate(scratch)) {
    std::fprintf(stderr, "cannot make the scratch directory or the certificate (openssl)\n");
    return 1;
  }
  std::string file = scratch + "/upload.bin", ca = scratch + "/cert.pem";
  test::NginxOptions nginx_options;
  nginx_options.certificate = ca;
  nginx_options.key = scratch + "/key.pem";
  test::NginxProcess nginx(nginx_options);
  test::S3rverProcess s3(scratch + "/s3");
  test::S3rverOptions tls_options;
  tls_options.certificate = ca;
  tls_options.key = scratch + "/key.pem";
  test::S3rverProcess s3_tls(scratch + "/s3-tls", tls_options);
  Engine engine(ca);
  if (!write_test_file(file, options.mib) || !nginx.running() || !engine.ready()) {
    std::fprintf(stderr, "cannot write the file, start nginx (%s) or the HTTP client\n", nginx.error().c_str());
    return 1;
  }
  long idle_kib = status_kib("VmRSS");
  std::vector<Row> rows;
  if (s3_tls.running() || s3.running()) {
    if (!prepare_curl_multipart(scratch, file)) {
      std::fprintf(stderr, "cannot split the file into parts for curl\n");
      return 1;
    }
  }
  struct Plan {
    const test::S3rverProcess* server;
    S3Mode engine;
    CurlMode curl;
  };
  const Plan plans[] = {
      {&s3_tls, S3Mode::kMultipart, CurlMode::kMultipart}, {&s3_tls, S3Mode::kMultipart, CurlMode::kPut},
      {&s3_tls, S3Mode::kSinglePut, CurlMode::kPut},       {&s3_tls, S3Mode::kMultipartInline, CurlMode::kMultipart},
      {&s3, S3Mode::kMultipart, CurlMode::kMultipart},     {&s3, S3Mode::kMultipartInline, CurlMode::kMultipart}};
  for (const Plan& plan : plans) {
    if (!plan.server->running()) {
      std::fprintf(stderr, "an s3rver is not running (%s); its rows are left out\n", plan.server->error().c_str());
      continue;
    }
    Target target = s3rver_target(*plan.server, ca, scratch, file, plan.engine, plan.curl);
    rows.push_back(measure(engine, target, options.rounds, idle_kib));
  }
  rows.push_back(measure(engine, nginx_target(nginx, ca, file), options.rounds, idle_kib));
  std::FILE* out = options.out.empty() ? stdout : std::fopen(options.out.c_str(), "a");
  if (out == nullptr) return 1;
  report(rows, options.mib, options.rounds, idle_kib, out);
  if (out != stdout) std::fclose(out);
  s3.stop();
  s3_tls.stop();
  nginx.stop();
  std::filesystem::remove_all(scratch);
  return 0;
}
