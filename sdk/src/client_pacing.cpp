// Pacing the uplink under the cloud's message-rate limit (UplinkPacer): telemetry waits for a token in its
// coalescing slot, everything else goes and is counted.
#include "client_core.hpp"

namespace docklink::detail {

bool ClientCore::pace_locked(Uplink& uplink) {
  if (!pacer_.limited()) return true;
  if (uplink.cls != UplinkClass::kOsd && uplink.cls != UplinkClass::kState) {
    pacer_.spend(now_ms());  // answers, events, topology: never held (the cloud's deadlines run)
    return true;
  }
  if (pacer_.take(now_ms())) return true;
  if (pacer_.hold(std::move(uplink))) ++counters_.osd_coalesced;
  arm_pace_timer_locked();
  return false;
}

bool ClientCore::take_telemetry_token() {
  if (!paced_) return true;  // no lock on the steady path of an unlimited cloud
  Lock lock(*this);
  return pacer_.take(now_ms());
}

void ClientCore::arm_pace_timer_locked() {
  if (pace_timer_ != 0 || pacer_.held() == 0) return;
  std::weak_ptr<ClientCore> weak = shared_from_this();
  pace_timer_ = executor_.schedule(pacer_.next_token_ms(now_ms()), internal_, [weak] {
    if (auto self = weak.lock()) self->release_paced();
  });
}

void ClientCore::release_paced() {
  std::vector<Uplink> ready;
  {
    Lock lock(*this);
    pace_timer_ = 0;
    ready = pacer_.release(now_ms());
    arm_pace_timer_locked();
  }
  for (Uplink& uplink : ready) transmit(std::move(uplink), false, true);
}

}  // namespace docklink::detail
