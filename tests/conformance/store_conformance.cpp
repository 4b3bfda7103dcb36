// Store conformance checks, on the keys the core itself writes.
#include "store_conformance.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "docklink/config_defaults.hpp"
#include "uplink_record.hpp"

namespace docklink::conformance {

namespace {

std::string key(std::string_view sn, std::uint64_t seq) { return detail::uplink_store_key(sn, seq); }

std::string value_of(port::Store& store, const std::string& key) {
  auto read = store.get(key);
  CHECK_TRUE_TEXT(read.is_ok(), (key + ": " + read.status().to_string()).c_str());
  return std::move(read).value();
}

std::vector<std::string> keys_of(port::Store& store, const std::string& prefix) {
  auto listed = store.keys(prefix);
  CHECK_TRUE_TEXT(listed.is_ok(), listed.status().to_string().c_str());
  return std::move(listed).value();
}

void check_keys(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
  LONGS_EQUAL(expected.size(), actual.size());
  for (std::size_t i = 0; i < expected.size(); ++i) STRCMP_EQUAL(expected[i].c_str(), actual[i].c_str());
}

void put(port::Store& store, const std::string& key, const std::string& value) {
  const Status status = store.put(key, value);
  CHECK_TRUE_TEXT(status.is_ok(), (key + ": " + status.to_string()).c_str());
}

}  // namespace

void store_put_then_get(port::Store& store) {
  put(store, key("DOCK1", 1), "record one");
  STRCMP_EQUAL("record one", value_of(store, key("DOCK1", 1)).c_str());
}

void store_missing_key_is_not_found(port::Store& store) {
  STRCMP_EQUAL("not_found", to_string(store.get(key("DOCK1", 1)).status().code()));
  put(store, key("DOCK1", 2), "x");
  CHECK_TRUE(store.remove(key("DOCK1", 2)).is_ok());
  STRCMP_EQUAL("not_found", to_string(store.get(key("DOCK1", 2)).status().code()));
  CHECK_TRUE(store.remove(key("DOCK1", 2)).is_ok());  // already gone
  CHECK_TRUE(store.remove(key("DOCK1", 3)).is_ok());  // never written
}

void store_put_replaces(port::Store& store) {
  put(store, key("DOCK1", 1), "a much longer first value");
  put(store, key("DOCK1", 1), "short");
  STRCMP_EQUAL("short", value_of(store, key("DOCK1", 1)).c_str());
  check_keys({key("DOCK1", 1)}, keys_of(store, ""));
}

void store_binary_values_round_trip(port::Store& store) {
  std::string every_byte;
  for (int value = 0; value < 256; ++value) every_byte += static_cast<char>(value);
  std::string large(256 * 1024, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>((i * 131) & 0xFF);
  const std::vector<std::string> values = {std::string("a\0b", 3), every_byte, std::string(), large};
  for (std::size_t i = 0; i < values.size(); ++i) put(store, key("DOCK1", i), values[i]);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string read = value_of(store, key("DOCK1", i));
    LONGS_EQUAL_TEXT(values[i].size(), read.size(), std::to_string(i).c_str());
    CHECK_TRUE_TEXT(values[i] == read, std::to_string(i).c_str());
  }
}

void store_keys_ascend_within_prefix(port::Store& store) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  for (std::uint64_t seq : {std::uint64_t{100}, std::uint64_t{9}, max, std::uint64_t{0}, std::uint64_t{10}}) {
    put(store, key("DOCK1", seq), std::to_string(seq));
  }
  put(store, key("DOCK2", 5), "other gateway");
  check_keys({key("DOCK1", 0), key("DOCK1", 9), key("DOCK1", 10), key("DOCK1", 100), key("DOCK1", max)},
             keys_of(store, detail::uplink_store_prefix("DOCK1")));
}

void store_prefix_separates_gateways(port::Store& store) {
  // "AB" is "4142" in hex, a prefix of "ABC"'s "414243": only the '.' after it keeps them apart.
  put(store, key("ABC", 1), "abc");
  put(store, key("AB", 2), "ab");
  put(store, key("A", 3), "a");
  check_keys({key("AB", 2)}, keys_of(store, detail::uplink_store_prefix("AB")));
  check_keys({key("ABC", 1)}, keys_of(store, detail::uplink_store_prefix("ABC")));
  // Across gateways, still ascending byte order ('.' sorts before the hex digits).
  std::vector<std::string> all = {key("ABC", 1), key("AB", 2), key("A", 3)};
  std::sort(all.begin(), all.end());
  check_keys(all, keys_of(store, "dlq."));
}

void store_keys_edge_cases(port::Store& store) {
  CHECK_TRUE(keys_of(store, "").empty());
  put(store, key("DOCK1", 1), "1");
  put(store, key("DOCK1", 2), "2");
  check_keys({key("DOCK1", 1), key("DOCK1", 2)}, keys_of(store, ""));
  check_keys({key("DOCK1", 2)}, keys_of(store, key("DOCK1", 2)));  // a whole key is its own prefix
  CHECK_TRUE(keys_of(store, detail::uplink_store_prefix("NOBODY")).empty());
  CHECK_TRUE(store.remove(key("DOCK1", 1)).is_ok());
  check_keys({key("DOCK1", 2)}, keys_of(store, ""));
}

void store_longest_core_key_works(port::Store& store) {
  const std::string sn(defaults::kMaxSnLength, '\xFF');  // hex "ff" for every byte
  const std::string longest = key(sn, std::numeric_limits<std::uint64_t>::max());
  put(store, longest, "longest");
  STRCMP_EQUAL("longest", value_of(store, longest).c_str());
  check_keys({longest}, keys_of(store, detail::uplink_store_prefix(sn)));
}

void store_concurrent_use_is_safe(port::Store& store) {
  constexpr int kThreads = 4;
  constexpr std::uint64_t kRecords = 10;
  std::atomic<int> failures{0};  // CppUTest checks belong to the test's own thread
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store, &failures, t] {
      const std::string sn = "DOCK" + std::to_string(t);
      for (std::uint64_t seq = 0; seq < kRecords; ++seq) {
        if (!store.put(key(sn, seq), sn)) ++failures;
        auto read = store.get(key(sn, seq));
        if (!read || read.value() != sn) ++failures;
        if (seq % 2 == 1 && !store.remove(key(sn, seq))) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  LONGS_EQUAL(0, failures.load());
  for (int t = 0; t < kThreads; ++t) {
    const std::string sn = "DOCK" + std::to_string(t);
    check_keys({key(sn, 0), key(sn, 2), key(sn, 4), key(sn, 6), key(sn, 8)},
               keys_of(store, detail::uplink_store_prefix(sn)));
  }
}

}  // namespace docklink::conformance
