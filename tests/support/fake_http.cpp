#include "fake_http.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace docklink::test {

std::optional<std::string> request_header(const port::HttpRequest& request, const std::string& name) {
  for (const auto& header : request.headers) {
    if (header.name == name) return header.value;
  }
  return std::nullopt;
}

namespace {

std::vector<port::HttpHeader> file_headers(const FakeFile& file) {
  std::vector<port::HttpHeader> headers;
  if (!file.etag.empty()) headers.push_back({"ETag", file.etag});
  return headers;
}

FakeResponse whole(const FakeFile& file) {
  FakeResponse response;
  response.headers = file_headers(file);
  response.headers.push_back({"Content-Length", std::to_string(file.content.size())});
  response.body = file.content;
  return response;
}

bool starts_with_ignoring_case(const std::string& text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

// The requests port::HttpClient::perform refuses with kInvalidArgument.
Status check_request(const port::HttpRequest& request, const port::HttpBodySource* body) {
  const std::string& method = request.method;
  if (!starts_with_ignoring_case(request.url, "http://") && !starts_with_ignoring_case(request.url, "https://")) {
    return Status(StatusCode::kInvalidArgument, "fake: the URL must start with http:// or https://");
  }
  if (method != "GET" && method != "HEAD" && method != "PUT" && method != "POST" && method != "DELETE") {
    return Status(StatusCode::kInvalidArgument, "fake: unsupported HTTP method '" + method + "'");
  }
  if (request.body_size > 0 && body == nullptr) return Status(StatusCode::kInvalidArgument, "fake: no body source");
  return Status::ok();
}

}  // namespace

FakeResponse serve(const FakeFile& file, const port::HttpRequest& request) {
  auto range = request_header(request, "Range");
  if (!range || !file.honour_range) return whole(file);
  auto if_range = request_header(request, "If-Range");
  if (if_range && *if_range != file.etag) return whole(file);  // changed: the whole new file
  std::string spec = range->substr(std::string_view("bytes=").size());
  std::size_t offset = std::stoul(spec);
  std::size_t dash = spec.find('-');
  // "first-last" asks for up to last (inclusive); "first-" for the rest.
  std::size_t end = dash + 1 < spec.size() ? std::stoul(spec.substr(dash + 1)) + 1 : file.content.size();
  end = std::min(end, file.content.size());
  FakeResponse response;
  response.headers = file_headers(file);
  if (offset >= file.content.size()) {
    response.status = 416;
    response.headers.push_back({"Content-Range", "bytes */" + std::to_string(file.content.size())});
    return response;
  }
  response.status = 206;
  response.headers.push_back({"Content-Range", "bytes " + std::to_string(offset) + "-" + std::to_string(end - 1) + "/" +
                                                   std::to_string(file.content.size())});
  response.body = file.content.substr(offset, end - offset);
  return response;
}

void FakeHttpClient::then(Answer answer) {
  std::lock_guard<std::mutex> lock(mutex_);
  script_.push_back(std::move(answer));
}

void FakeHttpClient::then(FakeResponse response) {
  then([response](const port::HttpRequest&) { return response; });
}

void FakeHttpClient::then_serve(const FakeFile& file, int times) {
  for (int i = 0; i < times; ++i) then([file](const port::HttpRequest& request) { return serve(file, request); });
}

void FakeHttpClient::on_piece(std::function<void(std::size_t)> hook) {
  std::lock_guard<std::mutex> lock(mutex_);
  piece_hook_ = std::move(hook);
}

Status FakeHttpClient::perform(const port::HttpRequest& request, port::HttpBodySource* body,
                               port::HttpResponseSink& sink) {
  if (Status invalid = check_request(request, body); !invalid) return invalid;  // as a real client, before any I/O
  std::function<void()> connect_hook;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    connect_hook = connect_hook_;
  }
  if (connect_hook) connect_hook();
  // The body is read to its end first, as a server reads a request before it answers.
  std::string sent;
  if (body != nullptr && request.body_size > 0) {
    char buffer[4096];
    for (;;) {
      auto read = body->read(buffer, sizeof buffer);
      if (!read) return read.status();
      if (read.value() == 0) break;
      sent.append(buffer, read.value());
      std::lock_guard<std::mutex> lock(mutex_);
      read_sizes_.push_back(read.value());
    }
  }
  Answer answer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    bodies_.push_back(std::move(sent));
    if (script_.empty()) return Status(StatusCode::kIo, "fake: no scripted answer left");
    answer = std::move(script_.front());
    script_.pop_front();
  }
  FakeResponse response = answer(request);
  if (!response.failure) return response.failure;
  return deliver(response, request, sink);
}

Status FakeHttpClient::deliver(const FakeResponse& response, const port::HttpRequest& request,
                               port::HttpResponseSink& sink) {
  Status status = sink.on_status(response.status, response.headers);
  if (!status) return status;
  std::size_t limit = response.cut_after ? *response.cut_after : response.body.size();
  if (limit > response.body.size()) limit = response.body.size();
  for (std::size_t done = 0; done < limit;) {
    if (request.cancel != nullptr && request.cancel->load()) return Status(StatusCode::kShutdown, "fake: cancelled");
    std::size_t size = std::min(response.piece_size, limit - done);
    status = sink.on_body(std::string_view(response.body).substr(done, size));
    if (!status) return status;
    done += size;
    std::function<void(std::size_t)> hook;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      hook = piece_hook_;
    }
    if (hook) hook(done);
  }
  if (response.cut_after) return Status(StatusCode::kIo, "fake: connection cut");
  return Status::ok();
}

void FakeHttpClient::on_connect(std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(mutex_);
  connect_hook_ = std::move(hook);
}

std::vector<std::size_t> FakeHttpClient::read_sizes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return read_sizes_;
}

std::vector<port::HttpRequest> FakeHttpClient::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::vector<std::string> FakeHttpClient::bodies() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bodies_;
}

std::size_t FakeHttpClient::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return script_.size();
}

}  // namespace docklink::test
