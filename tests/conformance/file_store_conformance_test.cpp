// The store conformance suite on FileStore (ports/posix), a fresh directory per test.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "docklink/ports/file_store.hpp"
#include "store_conformance.hpp"

TEST_GROUP(FileStoreConformance) {
  std::string root;
  std::unique_ptr<docklink::ports::FileStore> store;

  void setup() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "docklink-conformance-XXXXXX").string();
    CHECK_TRUE(::mkdtemp(pattern.data()) != nullptr);
    root = pattern;
    auto opened = docklink::ports::FileStore::open(root + "/store");
    CHECK_TRUE_TEXT(opened.is_ok(), opened.status().to_string().c_str());
    store = std::move(opened).value();
  }
  void teardown() override {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
  }
};

DOCKLINK_STORE_CONFORMANCE_TESTS(FileStoreConformance, *store)
