// FileStore (durable records in a directory) and MemoryStore (the same contract in memory).
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "docklink/ports/file_store.hpp"
#include "docklink/ports/memory_store.hpp"
#include "docklink/ports/store_key.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::ports::FileStore;
using docklink::ports::MemoryStore;

namespace {

std::string make_temp_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "docklink-store-XXXXXX").string();
  const char* made = ::mkdtemp(pattern.data());
  return made != nullptr ? std::string(made) : std::string();
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

// Built per call: a static would outlive the test and look like a leak to CppUTest.
std::vector<std::string> rejected_keys() {
  return {"",
          ".",
          "..",
          "a/b",
          "../escape",
          "a b",
          "caf\xC3\xA9",
          "a~tmp",
          "x\n",
          std::string(201, 'k'),
          std::string("a\0b", 3)};
}

}  // namespace

TEST_GROUP(FileStore) {
  std::string root;
  std::unique_ptr<FileStore> store;

  void setup() override {
    root = make_temp_directory();
    CHECK_FALSE(root.empty());
    store = open_store();
  }
  void teardown() override {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
  }
  std::string directory() const { return root + "/nested/queue"; }
  std::unique_ptr<FileStore> open_store() {
    auto opened = FileStore::open(directory());
    CHECK_TRUE_TEXT(opened.is_ok(), opened.status().to_string().c_str());
    return std::move(opened).value();
  }
};

TEST(FileStore, OpenCreatesNestedDirectory) {
  CHECK_TRUE(std::filesystem::is_directory(directory()));
  STRCMP_EQUAL(directory().c_str(), store->directory().c_str());
}

TEST(FileStore, PutGetOverwriteRemove) {
  CHECK_TRUE(store->put("q-1", "first").is_ok());
  STRCMP_EQUAL("first", store->get("q-1").value().c_str());
  CHECK_TRUE(store->put("q-1", "second").is_ok());
  STRCMP_EQUAL("second", store->get("q-1").value().c_str());
  CHECK_TRUE(store->remove("q-1").is_ok());
  CHECK_TRUE(store->get("q-1").status().code() == StatusCode::kNotFound);
  CHECK_TRUE(store->remove("q-1").is_ok());  // removing a missing key is fine
}

TEST(FileStore, BinaryAndEmptyValuesRoundTrip) {
  const std::string binary("a\0b\xff\n", 5);
  CHECK_TRUE(store->put("bin", binary).is_ok());
  CHECK_TRUE(store->get("bin").value() == binary);
  CHECK_TRUE(store->put("empty", "").is_ok());
  CHECK_TRUE(store->get("empty").is_ok());
  LONGS_EQUAL(0, store->get("empty").value().size());
  const std::string big(300000, 'z');  // larger than one read buffer
  CHECK_TRUE(store->put("big", big).is_ok());
  CHECK_TRUE(store->get("big").value() == big);
}

TEST(FileStore, KeysAreFilteredByPrefixAndSorted) {
  for (const char* key : {"q-0010", "other", "q-0001", "q-0002", "q"}) CHECK_TRUE(store->put(key, key).is_ok());
  STRCMP_EQUAL("q-0001,q-0002,q-0010", joined(store->keys("q-").value()).c_str());
  STRCMP_EQUAL("other,q,q-0001,q-0002,q-0010", joined(store->keys("").value()).c_str());
  STRCMP_EQUAL("", joined(store->keys("zzz").value()).c_str());
}

TEST(FileStore, RecordsSurviveReopen) {
  CHECK_TRUE(store->put("q-1", "kept").is_ok());
  CHECK_TRUE(store->put("q-2", "removed").is_ok());
  CHECK_TRUE(store->remove("q-2").is_ok());
  store.reset();
  store = open_store();
  STRCMP_EQUAL("kept", store->get("q-1").value().c_str());
  STRCMP_EQUAL("q-1", joined(store->keys("").value()).c_str());
}

TEST(FileStore, RecordSurvivesKillMinus9) {
  // The child writes and dies at once, without destructors or exit handlers.
  const pid_t child = ::fork();
  if (child == 0) {
    bool written = store->put("q-killed", "durable").is_ok();
    if (!written) ::_exit(1);
    std::raise(SIGKILL);
    ::_exit(2);
  }
  CHECK_TRUE(child > 0);
  int status = 0;
  CHECK_EQUAL(child, ::waitpid(child, &status, 0));
  CHECK_TRUE(WIFSIGNALED(status));
  LONGS_EQUAL(SIGKILL, WTERMSIG(status));
  store.reset();  // the directory's lock allows one FileStore at a time
  store = open_store();
  STRCMP_EQUAL("durable", store->get("q-killed").value().c_str());
}

TEST(FileStore, RejectsKeysThatAreNotSafeFileNames) {
  for (const auto& key : rejected_keys()) {
    CHECK_TRUE(store->put(key, "x").code() == StatusCode::kInvalidArgument);
    CHECK_TRUE(store->get(key).status().code() == StatusCode::kInvalidArgument);
    CHECK_TRUE(store->remove(key).code() == StatusCode::kInvalidArgument);
  }
  CHECK_FALSE(std::filesystem::exists(root + "/nested/escape"));
  CHECK_TRUE(store->put(std::string(200, 'k'), "longest").is_ok());
  CHECK_TRUE(store->put("Az09._-", "all classes").is_ok());
}

TEST(FileStore, LeftoverTemporariesAreRemovedAndForeignFilesIgnored) {
  std::ofstream(directory() + "/q-1.~tmp7") << "half-written";
  std::ofstream(directory() + "/not a key") << "foreign";
  CHECK_TRUE(store->put("q-1", "whole").is_ok());
  STRCMP_EQUAL("q-1", joined(store->keys("").value()).c_str());
  store.reset();
  store = open_store();
  CHECK_FALSE(std::filesystem::exists(directory() + "/q-1.~tmp7"));
  STRCMP_EQUAL("whole", store->get("q-1").value().c_str());
}

TEST(FileStore, ConcurrentPutsAreAtomic) {
  constexpr int kThreads = 4;
  constexpr int kPutsEach = 15;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([this, t] {
      const std::string value(4096, static_cast<char>('a' + t));
      for (int i = 0; i < kPutsEach; ++i) {
        // CppUTest cannot CHECK off the test's thread; the reads after join() find a failed put.
        static_cast<void>(store->put("own-" + std::to_string(t) + "-" + std::to_string(i), value));
        static_cast<void>(store->put("shared", value));
      }
    });
  }
  for (auto& writer : writers) writer.join();
  LONGS_EQUAL(kThreads * kPutsEach, store->keys("own-").value().size());
  const std::string shared = store->get("shared").value();
  LONGS_EQUAL(4096, shared.size());
  CHECK_TRUE(shared == std::string(4096, shared[0]));  // one writer's value, never a mix
  STRCMP_EQUAL("", joined(store->keys("shared.").value()).c_str());
}

// Two owners of one directory would delete and resend each other's records.
TEST(FileStore, SecondOpenOfTheSameDirectoryIsBusy) {
  auto second = FileStore::open(directory());
  CHECK_FALSE(second.is_ok());
  CHECK_TRUE(second.status().code() == StatusCode::kBusy);
  const pid_t child = ::fork();
  if (child == 0) {  // another process, while this one holds the store
    std::unique_ptr<FileStore> kept = std::move(store);
    kept.release();  // the child must not close the parent's lock: _exit below closes nothing
    auto other = FileStore::open(directory());
    ::_exit(!other.is_ok() && other.status().code() == StatusCode::kBusy ? 0 : 1);
  }
  int status = 0;
  CHECK_EQUAL(child, ::waitpid(child, &status, 0));
  CHECK_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK_TRUE(store->put("q-1", "still mine").is_ok());
  store.reset();
  auto reopened = FileStore::open(directory());  // free again once the owner is gone
  CHECK_TRUE(reopened.is_ok());
  STRCMP_EQUAL("q-1", joined(reopened.value()->keys("").value()).c_str());  // the lock file is no record
}

// A link planted under the next temporary name must not let put() write outside the directory.
TEST(FileStore, PutNeverWritesThroughAPlantedLink) {
  const std::string outside = root + "/outside";
  std::ofstream(outside) << "untouched";
  std::filesystem::create_symlink(outside, directory() + "/q-1.~tmp0");
  std::filesystem::create_symlink(outside, directory() + "/q-1.~tmp1");
  CHECK_TRUE(store->put("q-1", "record").is_ok());
  std::ifstream in(outside);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  STRCMP_EQUAL("untouched", content.c_str());
  STRCMP_EQUAL("record", store->get("q-1").value().c_str());
  CHECK_FALSE(std::filesystem::is_symlink(directory() + "/q-1"));
}

TEST(FileStore, OpenFailsWhenPathIsAFile) {
  std::ofstream(root + "/plain-file") << "x";
  auto opened = FileStore::open(root + "/plain-file/store");
  CHECK_FALSE(opened.is_ok());
  CHECK_TRUE(opened.status().code() == StatusCode::kIo);
  CHECK_FALSE(FileStore::open("").is_ok());
}

TEST_GROUP(MemoryStore){};

TEST(MemoryStore, SameContractAsFileStore) {
  MemoryStore store;
  for (const char* key : {"q-0010", "other", "q-0001"}) CHECK_TRUE(store.put(key, key).is_ok());
  STRCMP_EQUAL("q-0001,q-0010", joined(store.keys("q-").value()).c_str());
  STRCMP_EQUAL("other", store.get("other").value().c_str());
  CHECK_TRUE(store.get("missing").status().code() == StatusCode::kNotFound);
  CHECK_TRUE(store.remove("other").is_ok());
  CHECK_TRUE(store.remove("other").is_ok());
  LONGS_EQUAL(2, store.size());
  LONGS_EQUAL(3, store.put_count());
  for (const auto& key : rejected_keys()) CHECK_TRUE(store.put(key, "x").code() == StatusCode::kInvalidArgument);
}

TEST(MemoryStore, FailingWritesReportIo) {
  MemoryStore store;
  CHECK_TRUE(store.put("a", "1").is_ok());
  store.set_fail_writes(true);
  CHECK_TRUE(store.put("b", "2").code() == StatusCode::kIo);
  CHECK_TRUE(store.remove("a").code() == StatusCode::kIo);
  STRCMP_EQUAL("1", store.get("a").value().c_str());
  store.set_fail_writes(false);
  CHECK_TRUE(store.put("b", "2").is_ok());
}
