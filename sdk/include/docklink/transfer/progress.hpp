// Progress reports of a file transfer: what a dock turns into ota_progress or fileupload_progress.
#pragma once

#include <cstdint>
#include <functional>

namespace docklink::transfer {

/// One progress report. 64-bit throughout: firmware files exceed what 32-bit percent arithmetic can hold.
struct TransferProgress {
  std::uint64_t bytes = 0;             ///< Bytes of the file in place so far (including bytes resumed from disk).
  std::uint64_t total = 0;             ///< Size of the whole file; 0 while unknown.
  std::uint64_t bytes_per_second = 0;  ///< Rate since the previous report (bytes moved over the network only).
};

/// Receives progress reports on the thread that runs the transfer, at most once per
/// defaults::kTransferProgressIntervalMs, plus one final report when the file is complete. It must return
/// quickly: the transfer waits for it.
using ProgressCallback = std::function<void(const TransferProgress&)>;

}  // namespace docklink::transfer
