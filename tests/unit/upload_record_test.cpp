// The multipart upload's resume record: written and read back exactly; torn, foreign or inconsistent records are
// refused (the engine then starts a new upload rather than complete one with wrong parts).
#include <string>

#include "transfer/upload_record.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::transfer::detail::decode_upload_record;
using docklink::transfer::detail::encode_upload_record;
using docklink::transfer::detail::UploadRecord;

namespace {

UploadRecord sample() {
  UploadRecord record;
  record.source = "/data/media/DJI 0001.MP4";
  record.size = 6'000'000'000ULL;  // past 4 GiB: 64-bit sizes
  record.modified = "1700000000123456789";
  record.bucket = "cloud-bucket";
  record.key = "wayline/flight=1/DJI 0001.MP4";
  record.part_size = 8u * 1024u * 1024u;
  record.upload_id = "2~abc/def+ghi";
  record.parts = {{1, "\"a54357aff0632cce46d942af68356b38\""}, {2, "\"0c78aef83f66abc1fa1e8477f296d394\""}};
  return record;
}

}  // namespace

TEST_GROUP(UploadRecord){};

TEST(UploadRecord, RoundTripKeepsEveryFieldAndPart) {
  auto text = encode_upload_record(sample());
  CHECK_TEXT(text.is_ok(), text.status().to_string().c_str());
  auto decoded = decode_upload_record(text.value());
  CHECK_TEXT(decoded.is_ok(), decoded.status().to_string().c_str());
  const UploadRecord& record = decoded.value();
  STRCMP_EQUAL(sample().source.c_str(), record.source.c_str());
  CHECK(record.size == 6'000'000'000ULL);
  STRCMP_EQUAL("1700000000123456789", record.modified.c_str());
  STRCMP_EQUAL("cloud-bucket", record.bucket.c_str());
  STRCMP_EQUAL("wayline/flight=1/DJI 0001.MP4", record.key.c_str());
  CHECK(record.part_size == 8u * 1024u * 1024u);
  STRCMP_EQUAL("2~abc/def+ghi", record.upload_id.c_str());
  LONGS_EQUAL(2, record.parts.size());
  LONGS_EQUAL(2, record.parts[1].number);
  STRCMP_EQUAL("\"0c78aef83f66abc1fa1e8477f296d394\"", record.parts[1].etag.c_str());
}

TEST(UploadRecord, RecordWithoutPartsRoundTrips) {
  UploadRecord record = sample();
  record.parts.clear();
  auto decoded = decode_upload_record(encode_upload_record(record).value());
  CHECK_TEXT(decoded.is_ok(), decoded.status().to_string().c_str());
  CHECK(decoded.value().parts.empty());
}

TEST(UploadRecord, DamagedTextIsMalformedNeverACrash) {
  std::string good = encode_upload_record(sample()).value();
  const std::string body = good.substr(0, good.size() - 4);  // without "\nend"
  const std::string before_parts = good.substr(0, good.find("\npart="));
  std::string damaged[] = {"",
                           "docklink-upload 2" + good.substr(good.find('\n')),
                           body + "\nextra=1\nend",
                           body + "\npart=2 \"again\"\nend",  // not ascending
                           before_parts + "\npart=0 \"zero\"\nend",
                           before_parts + "\npart=1001 \"beyond\"\nend",
                           before_parts + "\npart=1\nend",  // no ETag
                           before_parts + "\npart=x \"e\"\nend",
                           good.substr(0, good.find("size=")) + "size=-1" + good.substr(good.find("\nmodified=")),
                           good.substr(0, good.find("upload_id=")) + "upload_id=" + good.substr(good.find("\npart=1")),
                           good + std::string(200 * 1024, 'x')};
  for (const auto& text : damaged) {
    auto decoded = decode_upload_record(text);
    CHECK_FALSE_TEXT(decoded.is_ok(), text.substr(0, 200).c_str());
    CHECK(decoded.status().code() == StatusCode::kMalformed);
  }
  // Every prefix of a good record is refused too (a torn write), none crashes.
  for (std::size_t cut = 0; cut < good.size(); ++cut) CHECK_FALSE(decode_upload_record(good.substr(0, cut)).is_ok());
}

TEST(UploadRecord, LineBreakInAValueIsRefused) {
  UploadRecord record = sample();
  record.key += "\npart=9 \"forged\"";
  auto text = encode_upload_record(record);
  CHECK_FALSE(text.is_ok());
  CHECK(text.status().code() == StatusCode::kInvalidArgument);
  record = sample();
  record.parts[0].etag = "\"a\"\r";
  CHECK_FALSE(encode_upload_record(record).is_ok());
}
