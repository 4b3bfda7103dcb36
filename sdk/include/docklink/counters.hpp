// Counters a client keeps so an application can see what happened (all monotonic since the client was made,
// except reconnect_bound_ms, the latest value).
#pragma once

#include <array>
#include <cstdint>

#include "docklink/topics.hpp"

namespace docklink {

/// A snapshot of a client's counters.
struct Counters {
  std::array<std::uint64_t, kTopicKindCount> messages_in{};   ///< Inbound messages by TopicKind index.
  std::array<std::uint64_t, kTopicKindCount> messages_out{};  ///< Published messages by TopicKind index.
  std::uint64_t replies_pending = 0;    ///< Events, requests and topology waiting for a reply now.
  std::uint64_t retries = 0;            ///< Resends after a reply timeout.
  std::uint64_t reply_timeouts = 0;     ///< Events/requests/topology given up after their retries or deadline.
  std::uint64_t malformed = 0;          ///< Inbound messages that failed to decode or validate.
  std::uint64_t error_replies = 0;      ///< Replies sent with a non-zero result because of a bad inbound message.
  std::uint64_t unknown_methods = 0;    ///< Services (and system events) with no handler.
  std::uint64_t duplicates = 0;         ///< Services re-sent with a known tid (answered from the cache).
  std::uint64_t foreign_sn = 0;         ///< Messages for an SN this client does not own (ignored).
  std::uint64_t unmatched_replies = 0;  ///< Replies whose tid matched nothing pending.
  /// Refused for their topic: a command or reply on a sub-device's SN where the protocol has only the gateway's
  /// topic (services, events/requests/status replies, DRC), or a reply on another reply topic than its message's.
  std::uint64_t misrouted = 0;
  std::uint64_t offline_queued = 0;      ///< Messages put in the offline queue.
  std::uint64_t offline_dropped = 0;     ///< Messages the offline queue dropped to stay within its limits.
  std::uint64_t osd_coalesced = 0;       ///< OSD/state snapshots replaced by a newer one while offline.
  std::uint64_t inbound_dropped = 0;     ///< Inbound messages dropped: this client's or the process's queue was full.
  std::uint64_t connects = 0;            ///< Successful connections.
  std::uint64_t disconnects = 0;         ///< Connections lost.
  std::uint64_t subscribe_failures = 0;  ///< Downlink subscriptions the broker refused (each drops the connection).
  /// drc/down commands refused before the DRC handler: malformed, or not fitting the validator (thing model). Also
  /// counted in malformed. Only commands whose drc/up reply carries a result are answered; the rest only count.
  std::uint64_t drc_refused = 0;

  /// Job progress events replaced by the same job's newer progress while offline (terminal states never are).
  std::uint64_t job_progress_coalesced = 0;
  /// Stored records discarded when the client starts: unreadable, or not this gateway's.
  std::uint64_t store_rejected = 0;

  // Inbound budget (ClientOptions::inbound_queue, RuntimeOptions): what was refused on arrival, before any copy.
  std::uint64_t inbound_dropped_bytes = 0;  ///< Topic plus payload bytes of the inbound_dropped messages.
  std::uint64_t inbound_oversized = 0;      ///< Payloads over limits.max_payload_bytes (also counted in malformed).

  // Reconnect (BackoffOptions): how connections came and went, and the backoff they set.
  std::uint64_t connections_ready = 0;  ///< Connections that finished set-up (update_topo acknowledged on them).
  std::uint64_t connect_failures = 0;   ///< Connect attempts that failed (refusals included).
  std::uint64_t backoff_resets = 0;     ///< Reconnect backoffs reset by a ready connection that stayed up.
  std::uint64_t auth_refusals = 0;      ///< Connect attempts refused for credentials or authorisation (kAuth).
  /// Not a count: the delay bound (ms) of the latest scheduled reconnect; the delay itself was at most this.
  std::uint64_t reconnect_bound_ms = 0;

  /// Messages put in the offline queue (also counted in offline_queued) because the transport refused them while
  /// connected (publish() kBusy: its queue was full) or failed their delivery with the connection still up. They
  /// are sent by a retry on the same connection (defaults::kBusyRetryMs), in order, and later messages wait
  /// behind them.
  std::uint64_t busy_queued = 0;
};

}  // namespace docklink
