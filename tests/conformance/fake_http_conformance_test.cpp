// The HTTP client conformance suite on FakeHttpClient (tests/support/fake_http.hpp), the scripted client the
// transfer engine's unit tests run on: the harness scripts it as a server with real Range semantics, HEAD,
// uploads, a cut connection and a refused one. A script cannot redirect, stall or speak TLS, so those checks are
// skipped here (CurlHttpConformance runs them on nginx).
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "fake_http.hpp"  // before CppUTest (through the suite header), whose leak detector redefines `new`

#include "http_conformance.hpp"

namespace {

using docklink::conformance::HttpLocation;
using docklink::test::FakeResponse;

constexpr char kHost[] = "http://fake.test";

// The bytes of "bytes=FIRST-[LAST]" within a file of `size` bytes as [first, end); none when malformed or beyond.
std::optional<std::pair<std::size_t, std::size_t>> byte_range(const std::string& value, std::size_t size) {
  const std::size_t dash = value.find('-');
  if (value.rfind("bytes=", 0) != 0 || dash == std::string::npos) return std::nullopt;
  const std::size_t first = std::stoul(value.substr(6, dash - 6));
  std::size_t end = size;
  if (dash + 1 < value.size()) end = std::min<std::size_t>(size, std::stoul(value.substr(dash + 1)) + 1);
  if (first >= end) return std::nullopt;
  return std::make_pair(first, end);
}

class FakeHttpHarness : public docklink::conformance::HttpHarness {
 public:
  FakeHttpHarness() {
    for (int i = 0; i < 64; ++i) client_.then([this](const docklink::port::HttpRequest& r) { return answer(r); });
  }
  docklink::port::HttpClient& client() override { return client_; }
  void publish(const std::string& name, const std::string& content) override {
    std::lock_guard<std::mutex> lock(mutex_);
    files_[name] = content;
  }
  std::string url(HttpLocation location, const std::string& name) override {
    if (location == HttpLocation::kFiles) return std::string(kHost) + "/files/" + name;
    if (location == HttpLocation::kCut) return std::string(kHost) + "/cut/" + name;
    if (location == HttpLocation::kUpload) return std::string(kHost) + "/upload/" + name;
    return {};  // kRedirect, kStall: a script cannot
  }
  std::optional<std::string> uploaded(const std::string& name) override {
    const auto requests = client_.requests();
    const auto bodies = client_.bodies();
    for (std::size_t i = requests.size(); i-- > 0;) {
      if (requests[i].method == "PUT" && requests[i].url == url(HttpLocation::kUpload, name)) return bodies[i];
    }
    return std::nullopt;
  }
  std::string refused_url() override { return "http://refused.test/files/x"; }

 private:
  FakeResponse answer(const docklink::port::HttpRequest& request) {
    FakeResponse response;
    if (request.url.rfind("http://refused.test/", 0) == 0) {
      response.failure = docklink::Status(docklink::StatusCode::kIo, "fake: connection refused");
      return response;
    }
    const std::string path = request.url.substr(sizeof kHost - 1);
    const std::size_t slash = path.find('/', 1);
    const std::string location = path.substr(0, slash + 1);
    const std::string name = path.substr(slash + 1);
    if (location == "/upload/") {
      response.status = 201;
      return response;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    const auto file = files_.find(name);
    if (file == files_.end()) {
      response.status = 404;
      return response;
    }
    serve(request, file->second, response);
    if (location == "/cut/") response.cut_after = 1024;
    return response;
  }

  static void serve(const docklink::port::HttpRequest& request, const std::string& content, FakeResponse& response) {
    response.headers = {{"Content-Length", std::to_string(content.size())}};
    response.body = request.method == "HEAD" ? std::string() : content;
    const auto range_header = docklink::test::request_header(request, "Range");
    const auto range = range_header ? byte_range(*range_header, content.size()) : std::nullopt;
    if (!range || request.method == "HEAD") return;
    response.status = 206;
    response.body = content.substr(range->first, range->second - range->first);
    response.headers = {
        {"Content-Length", std::to_string(response.body.size())},
        {"Content-Range", "bytes " + std::to_string(range->first) + "-" + std::to_string(range->second - 1) + "/" +
                              std::to_string(content.size())}};
  }

  std::mutex mutex_;
  std::map<std::string, std::string> files_;
  docklink::test::FakeHttpClient client_;
};

}  // namespace

TEST_GROUP(FakeHttpConformance) { FakeHttpHarness harness; };
DOCKLINK_HTTP_CONFORMANCE_TESTS(FakeHttpConformance, harness)
