// The resume record's text form: round trip, the checks that make a damaged record harmless, and the content
// checks that keep the text parseable.
#include <string>

#include "transfer/resume_record.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::transfer::detail::decode_resume_record;
using docklink::transfer::detail::encode_resume_record;
using docklink::transfer::detail::is_valid_resume_key;
using docklink::transfer::detail::ResumeRecord;

namespace {

ResumeRecord sample() {
  ResumeRecord record;
  record.url = "https://bucket.example.com/fw.bin?X-Amz-Signature=ab&x=a=b";
  record.destination = "/data/ota/fw.bin";
  record.size = 653467234;
  record.algorithm = "md5";
  record.digest = "0123456789abcdef0123456789abcdef";
  record.etag = "\"5d41402abc4b2a76b9719d911017c592\"";
  record.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
  record.offset = 5'000'000'000ULL;  // past 4 GiB: 64-bit offsets
  return record;
}

}  // namespace

TEST_GROUP(DownloadRecord){};

TEST(DownloadRecord, RoundTripKeepsEveryField) {
  auto text = encode_resume_record(sample());
  CHECK_TRUE(text.is_ok());
  auto decoded = decode_resume_record(text.value());
  CHECK_TRUE(decoded.is_ok());
  const ResumeRecord& record = decoded.value();
  STRCMP_EQUAL(sample().url.c_str(), record.url.c_str());
  STRCMP_EQUAL(sample().destination.c_str(), record.destination.c_str());
  CHECK_TRUE(record.size == sample().size);
  STRCMP_EQUAL("md5", record.algorithm.c_str());
  STRCMP_EQUAL(sample().digest.c_str(), record.digest.c_str());
  STRCMP_EQUAL(sample().etag.c_str(), record.etag.c_str());
  STRCMP_EQUAL(sample().last_modified.c_str(), record.last_modified.c_str());
  CHECK_TRUE(record.offset == 5'000'000'000ULL);
}

TEST(DownloadRecord, UnknownSizeRoundTrips) {
  ResumeRecord record = sample();
  record.size.reset();
  auto decoded = decode_resume_record(encode_resume_record(record).value());
  CHECK_TRUE(decoded.is_ok());
  CHECK_FALSE(decoded.value().size.has_value());
}

TEST(DownloadRecord, DamagedTextIsMalformedNeverACrash) {
  std::string good = encode_resume_record(sample()).value();
  std::string damaged[] = {"",
                           "docklink-download 2" + good.substr(good.find('\n')),
                           good.substr(0, good.size() / 2),
                           good.substr(0, good.size() - 4) + "\nextra=1\nend",
                           good.substr(0, good.size() - 4) + "\noffset=1\nend",
                           good.substr(0, good.rfind("offset=")) + "offset=-1\nend",
                           good.substr(0, good.rfind("offset=")) + "offset=99999999999999999999999\nend",
                           good + std::string(9000, 'x')};
  for (const auto& text : damaged) {
    auto decoded = decode_resume_record(text);
    CHECK_FALSE(decoded.is_ok());
    CHECK(decoded.status().code() == StatusCode::kMalformed);
  }
  // Every prefix of a good record is refused too (a torn write), none crashes.
  for (std::size_t cut = 0; cut < good.size(); ++cut) CHECK_FALSE(decode_resume_record(good.substr(0, cut)).is_ok());
}

TEST(DownloadRecord, LineBreakInAValueIsRefused) {
  ResumeRecord record = sample();
  record.url += "\nfake=1";
  auto text = encode_resume_record(record);
  CHECK_FALSE(text.is_ok());
  CHECK(text.status().code() == StatusCode::kInvalidArgument);
}

TEST(DownloadRecord, ResumeKeysAreSafeStoreKeys) {
  CHECK_TRUE(is_valid_resume_key("ota-1581F5BKD223Q00A.dock_1"));
  CHECK_FALSE(is_valid_resume_key(""));
  CHECK_FALSE(is_valid_resume_key("a/b"));
  CHECK_FALSE(is_valid_resume_key("a b"));
  CHECK_FALSE(is_valid_resume_key(std::string(101, 'a')));
}
