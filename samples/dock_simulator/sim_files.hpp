// What a dock-sim process downloads with: one HTTP(S) client, one hashing port and one TransferManager on the
// process's Runtime, shared by every dock of the process, and the directory the docks keep their files in
// (--files-dir). Firmware packages (ota_create) land there as the SDK names them ("ota-<sn>.bin").
#pragma once

#include <memory>
#include <string>

#include "docklink/port/platform.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/runtime.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/transfer_manager.hpp"
#include "sim_options.hpp"

namespace docklink::sim {

/// The downloads of one process. Declared before the docks that use it, so that it outlives them.
class SimFiles {
 public:
  /// Builds the HTTP client (trusting --http-ca, or the system's CAs) and the manager on `runtime`; kInvalidArgument
  /// when the CA file cannot be read. The directory is not created here: ensure_directory() does it when the first
  /// download needs it, so a run that downloads nothing leaves nothing behind.
  static Result<std::unique_ptr<SimFiles>> create(const SimOptions& options, Runtime& runtime,
                                                  const port::Platform& platform);
  /// shutdown().
  ~SimFiles();
  SimFiles(const SimFiles&) = delete;
  SimFiles& operator=(const SimFiles&) = delete;

  /// The manager every dock of the process downloads on.
  transfer::TransferManager& manager() { return *manager_; }
  /// MD5 and SHA-256 for the process's transfers (log fingerprints).
  const port::Hashing& hashing() const { return hashing_; }
  /// The process's Runtime, which the manager runs on (IoTDA's FileManager times its URL waits on it).
  Runtime& runtime() { return *runtime_; }
  /// --files-dir.
  const std::string& directory() const { return directory_; }
  /// Creates directory() (and its parents) when missing; false when that fails.
  bool ensure_directory() const;
  /// Stops the transfers: no download callback runs into a dock afterwards. Call before the docks stop.
  void shutdown();

 private:
  SimFiles() = default;

  std::string directory_;
  Runtime* runtime_ = nullptr;
  ports::MbedtlsHashing hashing_;
  std::unique_ptr<ports::CurlHttpClient> http_;
  std::unique_ptr<transfer::TransferManager> manager_;
};

}  // namespace docklink::sim
