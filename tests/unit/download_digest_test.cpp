// BodyDigest: the digest of a partial file hashed on its own thread (read back behind the writer, with a lag small
// enough that the writer has to wait) equals the one-shot digest of the file, inline too, also when it continues
// from an offset (a resume); bytes claimed but missing from the file are a read error, not a wrong digest; an
// unfinished digest is abandoned without hanging.
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "transfer/download_digest.hpp"

#include <CppUTest/TestHarness.h>

using docklink::port::HashAlgorithm;
using docklink::ports::MbedtlsHashing;
using docklink::ports::to_hex;
using docklink::transfer::detail::BodyDigest;
using docklink::transfer::detail::BodyDigestOptions;

namespace {

// Bytes that are not all alike, so a piece hashed twice or skipped changes the digest.
std::string varied_bytes(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + i / 251) & 0xFF);
  return bytes;
}

std::string md5_hex(const std::string& data) {
  auto hasher = MbedtlsHashing().new_hasher(HashAlgorithm::kMd5);
  hasher->update(data);
  return to_hex(hasher->finish());
}

// Tiny buffer and lag: the hashing thread wakes many times and the writer has to wait for it.
BodyDigestOptions small_steps(bool own_thread) {
  BodyDigestOptions options;
  options.own_thread = own_thread;
  options.buffer_bytes = 100;
  options.max_lag = 400;
  return options;
}

}  // namespace

TEST_GROUP(DownloadDigest) {
  std::string directory;
  std::string path;
  std::FILE* file = nullptr;

  void setup() override {
    char pattern[] = "/tmp/docklink-digest-XXXXXX";
    CHECK(mkdtemp(pattern) != nullptr);
    directory = pattern;
    path = directory + "/file.part";
    file = std::fopen(path.c_str(), "wb");
    CHECK(file != nullptr);
    std::setvbuf(file, nullptr, _IONBF, 0);  // as PartFile writes: every piece reaches the OS at once
  }
  void teardown() override {
    if (file != nullptr) std::fclose(file);
    std::remove(path.c_str());
    rmdir(directory.c_str());
  }

  // Appends `data` from `offset` in pieces of 7 to 1,000 bytes, telling `digest` after each.
  void append_in_pieces(BodyDigest & digest, const std::string& data, std::size_t offset) {
    std::size_t sizes[] = {7, 1000, 64, 333};
    for (std::size_t i = 0; offset < data.size(); ++i) {
      std::string piece = data.substr(offset, sizes[i % 4]);
      CHECK_EQUAL(piece.size(), std::fwrite(piece.data(), 1, piece.size(), file));
      offset += piece.size();
      CHECK(digest.added(piece, offset).ok());
    }
  }
};

TEST(DownloadDigest, OwnThreadEqualsTheDigestOfTheWholeFile) {
  std::string data = varied_bytes(50'000);
  BodyDigest digest(path, MbedtlsHashing().new_hasher(HashAlgorithm::kMd5), 0, small_steps(true));
  append_in_pieces(digest, data, 0);
  auto raw = digest.finish();
  CHECK(raw.is_ok());
  STRCMP_EQUAL(md5_hex(data).c_str(), to_hex(raw.value()).c_str());
}

TEST(DownloadDigest, InlineEqualsTheDigestOfTheWholeFile) {
  std::string data = varied_bytes(20'000);
  BodyDigest digest(path, MbedtlsHashing().new_hasher(HashAlgorithm::kMd5), 0, small_steps(false));
  append_in_pieces(digest, data, 0);
  auto raw = digest.finish();
  CHECK(raw.is_ok());
  STRCMP_EQUAL(md5_hex(data).c_str(), to_hex(raw.value()).c_str());
}

TEST(DownloadDigest, ContinuesFromAnOffsetAsAResumeDoes) {
  std::string data = varied_bytes(30'000);
  std::string before = data.substr(0, 12'345);
  CHECK_EQUAL(before.size(), std::fwrite(before.data(), 1, before.size(), file));
  auto hasher = MbedtlsHashing().new_hasher(HashAlgorithm::kMd5);
  hasher->update(before);  // what the resume re-read of the partial file fed it
  BodyDigest digest(path, std::move(hasher), before.size(), small_steps(true));
  append_in_pieces(digest, data, before.size());
  auto raw = digest.finish();
  CHECK(raw.is_ok());
  STRCMP_EQUAL(md5_hex(data).c_str(), to_hex(raw.value()).c_str());
}

TEST(DownloadDigest, BytesMissingFromTheFileAreAReadError) {
  std::string data = varied_bytes(1'000);
  CHECK_EQUAL(data.size(), std::fwrite(data.data(), 1, data.size(), file));
  BodyDigest digest(path, MbedtlsHashing().new_hasher(HashAlgorithm::kMd5), 0, small_steps(true));
  // Claims 4,000 bytes the file does not have: the writer, held back by the lag, hears of the failure.
  CHECK_FALSE(digest.added(data, 5'000).ok());
  auto raw = digest.finish();
  CHECK_FALSE(raw.is_ok());
  CHECK(raw.status().code() == docklink::StatusCode::kIo);
}

TEST(DownloadDigest, AnUnfinishedDigestIsAbandonedWithoutWaiting) {
  std::string data = varied_bytes(10'000);
  {
    BodyDigest digest(path, MbedtlsHashing().new_hasher(HashAlgorithm::kMd5), 0, small_steps(true));
    append_in_pieces(digest, data, 0);
  }  // destroyed without finish(): its thread ends
  BodyDigest again(path, MbedtlsHashing().new_hasher(HashAlgorithm::kMd5), data.size(), small_steps(true));
  CHECK(again.finish().is_ok());
}
