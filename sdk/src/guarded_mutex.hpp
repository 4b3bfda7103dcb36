// A std::mutex that Clang's thread-safety analysis understands (libstdc++'s own is not annotated).
#pragma once

#include <mutex>

#include "thread_annotations.hpp"

namespace docklink::detail {

/// std::mutex with capability attributes; take it through a scoped lock type marked DOCKLINK_SCOPED_CAPABILITY.
class DOCKLINK_CAPABILITY("mutex") GuardedMutex {
 public:
  void lock() DOCKLINK_ACQUIRE() { mutex_.lock(); }
  void unlock() DOCKLINK_RELEASE() { mutex_.unlock(); }

 private:
  std::mutex mutex_;
};

}  // namespace docklink::detail
