// What the uploader sends: one signed PUT below the threshold, a multipart upload above it (parts of the planned
// size in order, each with its payload hash, completed with every ETag), and which failures it retries.
#include "docklink/ports/crypto.hpp"
#include "upload_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink::test;
using docklink::transfer::TransferError;

TEST_GROUP(Upload){};

TEST(Upload, SmallFileGoesInOneSignedPutWithItsPayloadHash) {
  UploadWorld world;
  world.options.unsigned_payload_over_tls = false;  // the hash is signed (over https UNSIGNED-PAYLOAD by default)
  auto request = world.request_for(1000);
  request.content_type = "image/jpeg";
  world.http.then(s3_ok({{"ETag", "\"abc\""}}));
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  STRCMP_EQUAL("\"abc\"", result.etag.c_str());
  LONGS_EQUAL(0, result.parts);
  LONGS_EQUAL(1000, result.sent);
  auto sent = world.http.requests();
  LONGS_EQUAL(1, sent.size());
  STRCMP_EQUAL("PUT", sent[0].method.c_str());
  STRCMP_EQUAL("https://s3.example.com/media/flight%201/DJI_0001.JPG", sent[0].url.c_str());
  STRCMP_EQUAL(docklink::ports::sha256_hex(world.content).c_str(),
               request_header(sent[0], "x-amz-content-sha256").value_or("").c_str());
  STRCMP_EQUAL("session-token-secret", request_header(sent[0], "x-amz-security-token").value_or("").c_str());
  CHECK(request_header(sent[0], "Authorization").value_or("").find("content-type;host;") != std::string::npos);
  CHECK(world.http.bodies()[0] == world.content);
  CHECK_FALSE(world.log.contains("very-secret-key"));
  CHECK_FALSE(world.log.contains("session-token-secret"));
}

TEST(Upload, LargeFileIsSplitIntoPartsOfThePlannedSizeAndCompletedWithEveryETag) {
  UploadWorld world;
  world.options.unsigned_payload_over_tls = false;  // each part's hash signed (UploadPayload covers the default)
  auto request = world.request_for(10 * kMiB + 1000);
  world.script_multipart(3, "UP-1");  // the upload id checked below
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(3, result.parts);
  LONGS_EQUAL(3, result.parts_sent);
  STRCMP_EQUAL("\"final-2\"", result.etag.c_str());
  auto sent = world.http.requests();
  auto bodies = world.http.bodies();
  LONGS_EQUAL(5, sent.size());
  STRCMP_EQUAL("POST", sent[0].method.c_str());
  CHECK(sent[0].url.find("?uploads=") != std::string::npos);
  const std::uint64_t sizes[] = {5 * kMiB, 5 * kMiB, 1000};
  for (int part = 1; part <= 3; ++part) {
    const auto& put = sent[static_cast<std::size_t>(part)];
    STRCMP_EQUAL("PUT", put.method.c_str());
    STRCMP_EQUAL(std::to_string(part).c_str(), query_value(put.url, "partNumber").c_str());
    STRCMP_EQUAL("UP-1", query_value(put.url, "uploadId").c_str());
    const std::string& body = bodies[static_cast<std::size_t>(part)];
    LONGS_EQUAL(sizes[part - 1], body.size());
    CHECK(body == world.content.substr(static_cast<std::size_t>(part - 1) * 5 * kMiB, body.size()));
    STRCMP_EQUAL(docklink::ports::sha256_hex(body).c_str(),
                 request_header(put, "x-amz-content-sha256").value_or("").c_str());
  }
  STRCMP_EQUAL("UP-1", query_value(sent[4].url, "uploadId").c_str());
  STRCMP_EQUAL(
      "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"etag-1\"</ETag></Part>"
      "<Part><PartNumber>2</PartNumber><ETag>\"etag-2\"</ETag></Part>"
      "<Part><PartNumber>3</PartNumber><ETag>\"etag-3\"</ETag></Part></CompleteMultipartUpload>",
      bodies[4].c_str());
  CHECK_FALSE(world.has_record());  // done: nothing left to resume
}

TEST(Upload, PartSizeGrowsWhenTheFileWouldNeedTooManyParts) {
  UploadWorld world;
  auto request = world.request_for(10);
  request.multipart_threshold = 1;
  world.script_multipart(1);
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(1, result.parts);  // the last part may be smaller than 5 MiB: here it is the only one
}

TEST(Upload, ClientErrorIsNotRetriedAndNamesTheS3Code) {
  UploadWorld world;
  auto request = world.request_for(1000);
  world.http.then(s3_error(400, "InvalidArgument"));
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kHttpStatus);
  LONGS_EQUAL(400, result.http_status);
  STRCMP_EQUAL("InvalidArgument", result.s3_error_code.c_str());
  LONGS_EQUAL(1, world.http.requests().size());
  CHECK(world.waiter.waits.empty());
}

TEST(Upload, ServerErrorsAndCutConnectionsAreRetriedWithBackoffResendingTheWholeBody) {
  UploadWorld world;
  auto request = world.request_for(1000);
  world.http.then(s3_error(503, "SlowDown"));
  docklink::test::FakeResponse cut;
  cut.failure = docklink::Status(docklink::StatusCode::kIo, "connection reset");
  world.http.then(cut);
  world.http.then(s3_ok({{"ETag", "\"abc\""}}));
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(3, result.attempts);
  LONGS_EQUAL(2, world.waiter.waits.size());
  for (const auto& body : world.http.bodies()) CHECK(body == world.content);
}

TEST(Upload, ServerErrorsStopAfterTheRetryBudget) {
  UploadWorld world;
  world.options.max_retries = 2;
  auto request = world.request_for(1000);
  for (int i = 0; i < 3; ++i) world.http.then(s3_error(500, "InternalError"));
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kHttpStatus);
  STRCMP_EQUAL("InternalError", result.s3_error_code.c_str());
  LONGS_EQUAL(3, result.attempts);
}

TEST(Upload, CompleteAnsweredWith200AndAnErrorBodyIsAFailure) {
  UploadWorld world;
  auto request = world.request_for(5 * kMiB);
  world.http.then(s3_created());
  world.http.then(s3_part_stored(1));
  auto error_in_200 = s3_error(400, "InvalidPart");
  error_in_200.status = 200;
  world.http.then(error_in_200);
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kHttpStatus);
  STRCMP_EQUAL("InvalidPart", result.s3_error_code.c_str());
  CHECK(world.has_record());  // the stored parts stay resumable
}

TEST(Upload, PresignedUrlGetsOnePutWithTheGivenHeadersAndNoCredentials) {
  UploadWorld world;
  auto request = world.request_for(20 * kMiB);  // above the threshold: a pre-signed URL still takes one PUT
  request.credentials = nullptr;
  request.presigned_url = "https://obs.example.com/bucket/log.tgz?X-Amz-Signature=secretsig";
  request.presigned_headers = {{"x-obs-meta-device", "dock-1"}};
  world.http.then(s3_ok({{"ETag", "\"p\""}}));
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  auto sent = world.http.requests();
  LONGS_EQUAL(1, sent.size());
  STRCMP_EQUAL(request.presigned_url.c_str(), sent[0].url.c_str());
  STRCMP_EQUAL("dock-1", request_header(sent[0], "x-obs-meta-device").value_or("").c_str());
  CHECK_FALSE(request_header(sent[0], "Authorization"));
  CHECK(world.http.bodies()[0] == world.content);
  CHECK(world.reasons.empty());
  CHECK_FALSE(world.log.contains("secretsig"));
}

TEST(Upload, PresignedUrlRefusedIsACredentialsErrorWithoutRetry) {
  UploadWorld world;
  auto request = world.request_for(100);
  request.credentials = nullptr;
  request.presigned_url = "https://obs.example.com/bucket/log.tgz?X-Amz-Signature=old";
  world.http.then(s3_error(403, "AccessDenied"));
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kCredentials);
  STRCMP_EQUAL("AccessDenied", result.s3_error_code.c_str());
  LONGS_EQUAL(1, world.http.requests().size());
}

TEST(Upload, MissingSourceIsAFileError) {
  UploadWorld world;
  auto request = world.request_for(10);
  request.source = world.source() + ".missing";
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kFileIo);
  LONGS_EQUAL(0, world.http.requests().size());
}

TEST(Upload, PartSizeBelowTheS3MinimumIsRefused) {
  UploadWorld world;
  auto request = world.request_for(10);
  request.part_size = 5 * kMiB - 1;
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kInvalidRequest);
  LONGS_EQUAL(0, world.http.requests().size());
}
