#include "sim_files.hpp"

#include <filesystem>
#include <system_error>
#include <utility>

namespace docklink::sim {

Result<std::unique_ptr<SimFiles>> SimFiles::create(const SimOptions& options, Runtime& runtime,
                                                   const port::Platform& platform) {
  ports::CurlHttpClientOptions http;
  http.ca_file = options.http_ca_file;
  http.user_agent = "dock-sim";
  http.log = platform.log;
  auto client = ports::CurlHttpClient::create(std::move(http));
  if (!client) return client.status();
  std::unique_ptr<SimFiles> files(new SimFiles());
  files->directory_ = options.files_dir;
  files->runtime_ = &runtime;
  files->http_ = std::move(client).value();
  // No store: a download cut by a restart starts over (the sim keeps no state across runs).
  transfer::DownloaderPorts ports{files->http_.get(), &files->hashing_, platform.clock, nullptr,
                                  platform.log,       platform.random};
  files->manager_ = std::make_unique<transfer::TransferManager>(runtime, ports);
  return Result<std::unique_ptr<SimFiles>>(std::move(files));
}

SimFiles::~SimFiles() { shutdown(); }

bool SimFiles::ensure_directory() const {
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  return !error && std::filesystem::is_directory(directory_, error);
}

void SimFiles::shutdown() {
  if (manager_) manager_->shutdown();
}

}  // namespace docklink::sim
