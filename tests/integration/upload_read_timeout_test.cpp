// The mirror of DownloadSendTimeoutIntegration: an upload paced far below what the link carries, to a server that
// gives up on a client whose body stops coming (nginx `client_body_timeout`, 60 s by default, 1 s at
// /impatient-upload/). The engine sends a paced body a little at a time (TransferPacer::next_piece: what the
// limit allows in defaults::kBandwidthWaitSliceMs), so the server reads something every fraction of a second and
// the upload goes through in one request. Pieces as big as libcurl's buffer (16 KiB and more) would leave it
// waiting 2 s at this limit. Plain HTTP, a pre-signed PUT to nginx's dav module.
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/ports/posix_clock.hpp"
#include "docklink/transfer/upload.hpp"
#include "http_test_io.hpp"  // deterministic_bytes, file_bytes
#include "nginx_process.hpp"
#include "paho_test_support.hpp"  // TempDirectory

// Last: it includes CppUTest, which redefines new.
#include "nginx_transfer_group.hpp"

using namespace docklink;

TEST_GROUP_BASE(UploadReadTimeoutIntegration, test::NginxTransferGroup){};

// 32 KiB at 8 KiB/s: 4 s of body, to a server that drops it after 1 s without a byte.
TEST(UploadReadTimeoutIntegration, PacedBodyKeepsTheServerReading) {
  const std::string content = test::deterministic_bytes(32u * 1024u, 2027);
  const std::string source = directory.file("flight.log");
  std::ofstream(source, std::ios::binary) << content;
  transfer::UploadRequest request;
  request.source = source;
  request.presigned_url = nginx->http_url("/impatient-upload/flight.log");
  request.max_bytes_per_second = 8u * 1024u;
  transfer::Uploader uploader({http.get(), &hashing, &clock, nullptr, nullptr, nullptr}, {});
  auto result = uploader.upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(1, result.attempts);
  LONGS_EQUAL(content.size(), result.sent);
  CHECK(test::file_bytes(nginx->uploads_directory() + "/flight.log") == content);
}
