// A multipart upload continues from its record after a restart without sending finished parts again; a record
// that is corrupt or belongs to another file is not used; cancel aborts on the server, pause keeps the record.
#include "docklink/transfer/upload.hpp"
#include "transfer/upload_record.hpp"
#include "upload_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink::test;
using docklink::transfer::TransferControl;
using docklink::transfer::TransferError;

TEST_GROUP(UploadResume){};

TEST(UploadResume, PausedUploadContinuesInANewUploaderWithoutResendingFinishedParts) {
  UploadWorld world;
  auto request = world.request_for(10 * kMiB + 7);
  TransferControl control;
  world.http.then(s3_created("UP-9"));
  world.http.then(s3_part_stored(1));
  world.http.then([&](const docklink::port::HttpRequest&) {
    control.pause();  // while part 2 is on its way: the part is not recorded
    docklink::test::FakeResponse cut;
    cut.failure = docklink::Status(docklink::StatusCode::kShutdown, "fake: cancelled");
    return cut;
  });
  auto paused = world.uploader().upload(request, &control);
  CHECK(paused.error == TransferError::kPaused);
  CHECK(world.has_record());

  world.http.then(s3_part_stored(2));
  world.http.then(s3_part_stored(3));
  world.http.then(s3_completed());
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(1, result.parts_resumed);
  LONGS_EQUAL(2, result.parts_sent);
  auto sent = world.http.requests();
  LONGS_EQUAL(6, sent.size());
  STRCMP_EQUAL("2", query_value(sent[3].url, "partNumber").c_str());
  STRCMP_EQUAL("UP-9", query_value(sent[3].url, "uploadId").c_str());
  CHECK(world.http.bodies()[5].find("<ETag>\"etag-1\"</ETag>") != std::string::npos);
  CHECK_FALSE(world.has_record());
}

TEST(UploadResume, CorruptRecordIsDiscardedAndANewUploadStarts) {
  UploadWorld world;
  auto request = world.request_for(5 * kMiB);
  CHECK(world.store.put("ul.up", "docklink-upload 1\nsource=x\nsize=1").is_ok());  // torn: no end line
  world.script_multipart(1);
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(0, result.parts_resumed);
  CHECK(world.log.contains("corrupt upload record"));
}

TEST(UploadResume, RecordOfAnotherVersionOfTheFileIsNotUsed) {
  UploadWorld world;
  auto request = world.request_for(5 * kMiB);
  world.http.then(s3_created("OLD"));
  world.http.then(s3_error(500, "InternalError"));
  world.options.max_retries = 0;
  CHECK(world.uploader().upload(request).error == TransferError::kHttpStatus);
  CHECK(world.has_record());
  request = world.request_for(5 * kMiB + 1);  // the file changed
  world.script_multipart(2, "NEW");
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  STRCMP_EQUAL("NEW", query_value(world.http.requests().back().url, "uploadId").c_str());
}

TEST(UploadResume, ForgottenUploadIdStartsANewUploadOnce) {
  UploadWorld world;
  auto request = world.request_for(10 * kMiB);
  world.options.max_retries = 0;
  world.http.then(s3_created("GONE"));
  world.http.then(s3_part_stored(1));
  world.http.then(s3_error(500, "InternalError"));
  CHECK(world.uploader().upload(request).error == TransferError::kHttpStatus);
  world.http.then(s3_error(404, "NoSuchUpload"));  // part 2 of the resumed upload: the server purged it
  world.script_multipart(2, "FRESH");
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  STRCMP_EQUAL("FRESH", query_value(world.http.requests().back().url, "uploadId").c_str());
}

TEST(UploadResume, CancelAbortsTheUploadOnTheServerAndDeletesTheRecord) {
  UploadWorld world;
  auto request = world.request_for(10 * kMiB);
  TransferControl control;
  world.http.then(s3_created("UP-C"));
  world.http.then([&](const docklink::port::HttpRequest&) {
    control.cancel();
    return s3_part_stored(1);
  });
  world.http.then(docklink::test::s3_ok());  // the abort
  auto result = world.uploader().upload(request, &control);
  CHECK(result.error == TransferError::kCancelled);
  auto sent = world.http.requests();
  STRCMP_EQUAL("DELETE", sent.back().method.c_str());
  STRCMP_EQUAL("UP-C", query_value(sent.back().url, "uploadId").c_str());
  CHECK(sent.back().cancel == nullptr);  // the stop that cancelled the upload must not stop its abort
  CHECK_FALSE(world.has_record());
}
