// A download paced far below what the link carries, from a server that gives up on a client that leaves its
// writes waiting (nginx `send_timeout`, 60 s by default, 1 s at /impatient/): the engine must hold its reads back
// without leaving the server waiting that long, so the file trickles in over one run without a failed attempt.
// nginx's send buffer is made small (as across a real link; on loopback it grows to megabytes) so that the
// server really waits on the client's reads. Plain HTTP keeps the CPU far from being the bottleneck under qemu.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/ports/posix_clock.hpp"
#include "docklink/transfer/download.hpp"
#include "http_test_io.hpp"  // deterministic_bytes, file_bytes
#include "nginx_process.hpp"
#include "paho_test_support.hpp"  // TempDirectory

// Last: it includes CppUTest, which redefines new.
#include "nginx_transfer_group.hpp"

using namespace docklink;

TEST_GROUP_BASE(DownloadSendTimeoutIntegration,
                test::NginxTransferGroup){test::NginxOptions nginx_options() const override{test::NginxOptions options;
options.send_buffer_bytes = 8u * 1024u;
return options;
}
}
;

// 256 KiB at 64 KiB/s: more than the socket buffers between nginx and the engine hold (about 170 KiB here), and
// slow enough that nginx, left with a full send buffer, waits longer than its 1 s for the engine's reads.
TEST(DownloadSendTimeoutIntegration, PacedDownloadTricklesInWithoutARetry) {
  const std::string content = test::deterministic_bytes(256u * 1024u, 2026);
  CHECK(nginx->write_file("fw.bin", content));
  transfer::DownloadRequest request;
  request.url = nginx->http_url("/impatient/fw.bin");
  request.destination = directory.file("fw.bin");
  request.expected_size = content.size();
  request.expected_digest = ports::sha256_hex(content);
  request.digest_algorithm = port::HashAlgorithm::kSha256;
  request.max_bytes_per_second = 64u * 1024u;
  transfer::DownloaderOptions options;
  options.paced_range_ms = 1000;  // below the server's 1 s: 64 KiB a request, which its socket buffers hold whole
  transfer::Downloader downloader({http.get(), &hashing, &clock, nullptr, nullptr, nullptr}, options);
  auto result = downloader.download(request);
  std::fprintf(stderr, "\n%u requests, %u retries, %llu bytes fetched\n", result.attempts, result.retries,
               static_cast<unsigned long long>(result.fetched));
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  CHECK(test::file_bytes(directory.file("fw.bin")) == content);
  LONGS_EQUAL(0, result.retries);  // no request was cut off by the server
  LONGS_EQUAL(content.size(), result.fetched);
}
