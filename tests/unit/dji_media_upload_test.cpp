// MediaUploader on the loopback cloud (the test answers storage_config_get) with scripted S3: files delivered in
// the order queued under object_key_prefix, file_upload_callback only after the object exists and with its key,
// credentials cached until shortly before expire, refused ones refreshed once, a halted queue resumed by retry(),
// hopeless files dropped, and the queue kept in the Store across a restart. Every step awaits an event.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/dji/media_upload.hpp"
#include "docklink/ports/memory_store.hpp"
#include "transfer_manager_fixture.hpp"
#include "upload_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::dji::MediaFile;
using docklink::dji::MediaOutcome;
using docklink::dji::MediaReport;
using docklink::dji::MediaStage;
using docklink::dji::MediaUploader;
using docklink::test::ClientRig;
using docklink::test::Events;
using docklink::test::kDockSn;
using docklink::test::s3_error;
using docklink::test::s3_ok;
using docklink::test::Seen;
using docklink::test::UploadWorld;

namespace {

bool is_config_request(const Seen& seen) { return seen.str("method") == "storage_config_get"; }
bool is_callback(const Seen& seen) { return seen.str("method") == "file_upload_callback"; }

std::string config_output(const std::string& key_id, const std::string& prefix, int expire_seconds) {
  return R"({"bucket":"media","endpoint":"https://s3.example.com","provider":"minio","region":"us-east-1",)"
         R"("object_key_prefix":")" +
         prefix + R"(/","credentials":{"access_key_id":")" + key_id +
         R"(","access_key_secret":"secret-1","security_token":"token-1","expire":)" + std::to_string(expire_seconds) +
         "}}";
}

struct MediaWorld {
  MediaWorld() {
    rig.cloud.set_auto_events_reply(true);
    CHECK_TRUE(rig.start_and_wait_topology());
    docklink::transfer::TransferManagerOptions options;
    options.worker_threads = 1;
    options.download.waiter = &upload.waiter;
    manager = std::make_unique<docklink::transfer::TransferManager>(
        rig.runtime,
        docklink::transfer::DownloaderPorts{&upload.http, &upload.hashing, &upload.clock, &upload.store, &upload.log,
                                            nullptr},
        options);
  }
  ~MediaWorld() {
    media.reset();
    manager->shutdown();
  }

  std::unique_ptr<MediaUploader> make_uploader() {
    docklink::dji::MediaUploaderOptions options;
    options.on_report = [this](const MediaReport& report) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        reports.push_back(report);
      }
      events.bump("report");
    };
    return std::make_unique<MediaUploader>(
        *rig.client, *manager, docklink::port::Platform{&upload.clock, nullptr, nullptr, &queue_store}, options);
  }
  void start() {
    media = make_uploader();
    CHECK_TRUE(media->start().is_ok());
  }
  // A file of `size` bytes named `name` in the test's directory.
  MediaFile file(const std::string& name, std::size_t size = 1000) {
    MediaFile file;
    file.path = upload.files.directory + "/" + name;
    docklink::test::write_file(file.path, docklink::test::pattern_content(size));
    file.key_suffix = "flight-1/" + name;
    file.ext_json = R"({"flight_id":"flight-1","is_original":true})";
    file.content_type = "image/jpeg";
    return file;
  }
  // Answers the n-th storage_config_get (1-based) once it arrived.
  void answer_config(std::size_t n, const std::string& output) {
    CHECK_TRUE(rig.cloud.wait_count("/requests", n, is_config_request));
    std::vector<Seen> requests;
    for (auto& seen : rig.cloud.all()) {
      if (seen.topic.find("/requests") != std::string::npos && is_config_request(seen)) requests.push_back(seen);
    }
    const Seen& request = requests[n - 1];
    rig.cloud.publish(std::string("thing/product/") + kDockSn + "/requests_reply",
                      R"({"tid":")" + request.str("tid") + R"(","bid":")" + request.str("bid") +
                          R"(","timestamp":1,"method":"storage_config_get","data":{"result":0,"output":)" + output +
                          "}}");
  }
  std::vector<Seen> callbacks() {
    std::vector<Seen> found;
    for (auto& seen : rig.cloud.all()) {
      if (seen.topic.find("/events") != std::string::npos && is_callback(seen)) found.push_back(seen);
    }
    return found;
  }
  static std::string object_key(const Seen& seen) { return (*seen.json)["data"]["file"]["object_key"].GetString(); }
  MediaReport report(std::size_t n) {
    std::lock_guard<std::mutex> lock(mutex);
    return reports.at(n);
  }

  ClientRig rig;
  UploadWorld upload;
  docklink::ports::MemoryStore queue_store;
  Events events;
  std::unique_ptr<docklink::transfer::TransferManager> manager;
  std::unique_ptr<MediaUploader> media;
  std::mutex mutex;
  std::vector<MediaReport> reports;
};

}  // namespace

TEST_GROUP(DjiMediaUpload){};

TEST(DjiMediaUpload, FilesGoUnderThePrefixInOrderAndAreAnnouncedOnlyOnceTheyExist) {
  MediaWorld world;
  std::vector<std::size_t> callbacks_at_put;
  for (int i = 0; i < 2; ++i) {
    world.upload.http.then([&](const docklink::port::HttpRequest&) {
      callbacks_at_put.push_back(world.callbacks().size());
      return s3_ok({{"ETag", "\"e\""}});
    });
  }
  world.start();
  CHECK_TRUE(world.media->enqueue(world.file("DJI_0001.JPG")).is_ok());
  CHECK_TRUE(world.media->enqueue(world.file("DJI_0002.JPG")).is_ok());
  world.answer_config(1, config_output("AK1", "prefix-1", 3600));
  CHECK_TRUE(world.events.await("report", 2));
  auto sent = world.upload.http.requests();
  LONGS_EQUAL(2, sent.size());
  STRCMP_EQUAL("https://s3.example.com/media/prefix-1/flight-1/DJI_0001.JPG", sent[0].url.c_str());
  STRCMP_EQUAL("https://s3.example.com/media/prefix-1/flight-1/DJI_0002.JPG", sent[1].url.c_str());
  LONGS_EQUAL(0, callbacks_at_put[0]);  // nothing announced before the object existed
  LONGS_EQUAL(1, callbacks_at_put[1]);
  auto callbacks = world.callbacks();
  LONGS_EQUAL(2, callbacks.size());
  STRCMP_EQUAL("prefix-1/flight-1/DJI_0001.JPG", MediaWorld::object_key(callbacks[0]).c_str());
  STRCMP_EQUAL("prefix-1/flight-1/DJI_0002.JPG", MediaWorld::object_key(callbacks[1]).c_str());
  LONGS_EQUAL(1, (*callbacks[0].json)["need_reply"].GetInt());
  STRCMP_EQUAL("DJI_0001.JPG", (*callbacks[0].json)["data"]["file"]["name"].GetString());
  STRCMP_EQUAL("flight-1", (*callbacks[0].json)["data"]["file"]["ext"]["flight_id"].GetString());
  CHECK(world.report(0).outcome == MediaOutcome::kDelivered);
  CHECK_TRUE(world.report(0).status.is_ok());
  LONGS_EQUAL(0, world.report(0).callback_result);
  STRCMP_EQUAL("prefix-1/flight-1/DJI_0001.JPG", world.report(0).object_key.c_str());
  LONGS_EQUAL(1, world.rig.cloud.count("/requests", is_config_request));  // the second file reused them
  LONGS_EQUAL(0, world.media->remaining());
  LONGS_EQUAL(0, world.queue_store.keys("media.").value().size());
}

TEST(DjiMediaUpload, CredentialsCloseToExpiryAreNotReused) {
  MediaWorld world;
  world.upload.http.then(s3_ok());
  world.upload.http.then(s3_ok());
  world.start();
  CHECK_TRUE(world.media->enqueue(world.file("a.jpg")).is_ok());
  world.answer_config(1, config_output("AK1", "p1", 3600));
  CHECK_TRUE(world.events.await("report", 1));
  // 3600 s from receipt, less the 10-min reuse margin: from 50 min on the next file asks again.
  world.upload.clock.advance(50 * 60 * 1000 + 1);
  CHECK_TRUE(world.media->enqueue(world.file("b.jpg")).is_ok());
  world.answer_config(2, config_output("AK2", "p2", 3600));
  CHECK_TRUE(world.events.await("report", 2));
  STRCMP_EQUAL("p2/flight-1/b.jpg", world.report(1).object_key.c_str());  // the prefix of the fresh reply
  CHECK(docklink::test::request_header(world.upload.http.requests()[1], "Authorization")
            .value_or("")
            .find("Credential=AK2/") != std::string::npos);
}

TEST(DjiMediaUpload, RefusedCredentialsAreRefreshedOnceThenTheQueueHaltsUntilRetry) {
  MediaWorld world;
  world.upload.http.then(s3_error(403, "InvalidAccessKeyId"));
  world.upload.http.then(s3_error(403, "InvalidAccessKeyId"));
  world.start();
  CHECK_TRUE(world.media->enqueue(world.file("a.jpg")).is_ok());
  world.answer_config(1, config_output("AK1", "p1", 3600));
  world.answer_config(2, config_output("AK2", "p1", 3600));  // asked from the upload's worker after the refusal
  CHECK_TRUE(world.events.await("report", 1));
  MediaReport halted = world.report(0);
  CHECK(halted.outcome == MediaOutcome::kHalted);
  CHECK(halted.stage == MediaStage::kUpload);
  CHECK(halted.upload.error == docklink::transfer::TransferError::kCredentials);
  STRCMP_EQUAL("InvalidAccessKeyId", halted.upload.s3_error_code.c_str());
  LONGS_EQUAL(2, halted.upload.credential_requests);  // refreshed once, no loop
  LONGS_EQUAL(0, world.callbacks().size());
  LONGS_EQUAL(1, world.media->remaining());

  world.upload.http.then(s3_ok());
  world.media->retry();
  world.answer_config(3, config_output("AK3", "p1", 3600));  // the refused ones are not reused
  CHECK_TRUE(world.events.await("report", 2));
  CHECK(world.report(1).outcome == MediaOutcome::kDelivered);
  LONGS_EQUAL(1, world.callbacks().size());
}

TEST(DjiMediaUpload, MissingFileIsDroppedAndTheNextOneGoes) {
  MediaWorld world;
  world.upload.http.then(s3_ok());
  world.start();
  MediaFile missing = world.file("gone.jpg");
  std::remove(missing.path.c_str());
  CHECK_TRUE(world.media->enqueue(missing).is_ok());
  CHECK_TRUE(world.media->enqueue(world.file("b.jpg")).is_ok());
  world.answer_config(1, config_output("AK1", "p1", 3600));
  CHECK_TRUE(world.events.await("report", 2));
  CHECK(world.report(0).outcome == MediaOutcome::kDropped);
  CHECK(world.report(0).upload.error == docklink::transfer::TransferError::kFileIo);
  CHECK(world.report(1).outcome == MediaOutcome::kDelivered);
  LONGS_EQUAL(1, world.callbacks().size());
}

TEST(DjiMediaUpload, QueueSurvivesARestartAndIsDeliveredInOrder) {
  MediaWorld world;
  world.start();
  CHECK_TRUE(world.media->enqueue(world.file("first.jpg")).is_ok());
  CHECK_TRUE(world.media->enqueue(world.file("second.jpg")).is_ok());
  CHECK_TRUE(world.rig.cloud.wait_count("/requests", 1, is_config_request));
  world.media.reset();  // the process ends before the cloud answered
  LONGS_EQUAL(2, world.queue_store.keys("media.").value().size());

  world.upload.http.then(s3_ok());
  world.upload.http.then(s3_ok());
  world.media = world.make_uploader();
  auto loaded = world.media->start();
  LONGS_EQUAL(2, loaded.value());
  world.answer_config(2, config_output("AK1", "p1", 3600));
  CHECK_TRUE(world.events.await("report", 2));
  auto sent = world.upload.http.requests();
  LONGS_EQUAL(2, sent.size());
  CHECK(sent[0].url.find("first.jpg") != std::string::npos);
  CHECK(sent[1].url.find("second.jpg") != std::string::npos);
  CHECK(world.media->enqueue(world.file("third.jpg")).value() > world.report(1).id);  // ids continue
}

TEST(DjiMediaUpload, UploadedButUnannouncedFileIsOnlyAnnouncedAfterARestart) {
  MediaWorld world;
  world.rig.cloud.set_auto_events_reply(false);  // the cloud stays silent: the event is not acknowledged
  world.upload.http.then(s3_ok());
  world.start();
  CHECK_TRUE(world.media->enqueue(world.file("a.jpg")).is_ok());
  world.answer_config(1, config_output("AK1", "p1", 3600));
  CHECK_TRUE(world.rig.cloud.wait_count("/events", 1, is_callback));
  world.media.reset();

  world.rig.cloud.set_auto_events_reply(true);
  world.media = world.make_uploader();
  CHECK_TRUE(world.media->start().is_ok());
  CHECK_TRUE(world.events.await("report", 1));
  CHECK(world.report(0).outcome == MediaOutcome::kDelivered);
  STRCMP_EQUAL("p1/flight-1/a.jpg", world.report(0).object_key.c_str());
  LONGS_EQUAL(1, world.upload.http.requests().size());  // not uploaded again
}

TEST(DjiMediaUpload, EnqueueRefusesWhatItCannotDeliver) {
  MediaWorld world;
  MediaFile file = world.file("a.jpg");
  world.media = world.make_uploader();
  CHECK(world.media->enqueue(file).status().code() == docklink::StatusCode::kInvalidArgument);  // not started
  CHECK_TRUE(world.media->start().is_ok());
  MediaFile escaping = file;
  escaping.key_suffix = "../other/a.jpg";
  CHECK(world.media->enqueue(escaping).status().code() == docklink::StatusCode::kInvalidArgument);
  MediaFile bad_ext = file;
  bad_ext.ext_json = "[1]";
  CHECK(world.media->enqueue(bad_ext).status().code() == docklink::StatusCode::kInvalidArgument);
  MediaFile no_path;
  CHECK(world.media->enqueue(no_path).status().code() == docklink::StatusCode::kInvalidArgument);
  LONGS_EQUAL(0, world.media->remaining());
}

TEST_GROUP(DjiStorageConfig){};

TEST(DjiStorageConfig, ExpireIsReadAsRelativeSecondsEpochSecondsOrEpochMilliseconds) {
  const std::int64_t now = 1'659'429'523'120;
  LONGS_EQUAL(now + 3'600'000, docklink::dji::credentials_deadline_ms(3600, now));
  LONGS_EQUAL(1'659'432'522'000, docklink::dji::credentials_deadline_ms(1'659'432'522'000.0, now));
  LONGS_EQUAL(1'659'432'522'000, docklink::dji::credentials_deadline_ms(1'659'432'522.0, now));
  LONGS_EQUAL(0, docklink::dji::credentials_deadline_ms(0, now));
  LONGS_EQUAL(0, docklink::dji::credentials_deadline_ms(-5, now));
}

TEST(DjiStorageConfig, ParsesTheReplyAndRefusesWhatCannotBeUsed) {
  rapidjson::Document document;
  document.Parse(config_output("AK1", "p1", 3600).c_str());
  auto config = docklink::dji::parse_storage_config(document, 1000);
  CHECK_TRUE(config.is_ok());
  STRCMP_EQUAL("p1", config.value().object_key_prefix.c_str());  // the trailing '/' is dropped
  STRCMP_EQUAL("token-1", config.value().credentials.credentials.session_token.c_str());
  LONGS_EQUAL(1000 + 3'600'000, config.value().credentials.expire_unix_ms);
  CHECK(docklink::dji::storage_destination(config.value(), "k").addressing ==
        docklink::transfer::S3Addressing::kPathStyle);
  for (const char* broken :
       {R"({"endpoint":"https://e","credentials":{"access_key_id":"a","access_key_secret":"s"}})",
        R"({"bucket":"b","endpoint":"e.com","credentials":{"access_key_id":"a","access_key_secret":"s"}})",
        R"({"bucket":"b","endpoint":"https://e","credentials":{"access_key_id":"a"}})"}) {
    document.Parse(broken);
    CHECK(docklink::dji::parse_storage_config(document, 0).status().code() == docklink::StatusCode::kInvalidArgument);
  }
}
