// Every DockLink tunable in one place, each with the reason for its default. Override per client through the
// option structs that copy these values; the macros let a firmware build change a default at compile time.
#pragma once

#include <cstddef>
#include <cstdint>

/// Largest inbound payload accepted (bytes). DJI messages are a few KiB; 256 KiB leaves room for big
/// flighttask/hms payloads while bounding memory per message.
#ifndef DOCKLINK_MAX_INBOUND_PAYLOAD_BYTES
#define DOCKLINK_MAX_INBOUND_PAYLOAD_BYTES (256u * 1024u)
#endif

/// Deepest JSON nesting accepted. The deepest DJI structure is about 6 levels; 32 stops stack-exhaustion input.
#ifndef DOCKLINK_MAX_JSON_DEPTH
#define DOCKLINK_MAX_JSON_DEPTH 32u
#endif

/// Longest device SN accepted in a topic. DJI SNs are 14 characters; 64 leaves room for simulators' prefixes.
#ifndef DOCKLINK_MAX_SN_LENGTH
#define DOCKLINK_MAX_SN_LENGTH 64u
#endif

/// Longest tid and bid accepted in an inbound message (bytes). DJI clouds send UUIDs (36 characters); ids are
/// echoed in replies, logged, cached for duplicate detection and queued offline, so each path must stay bounded.
#ifndef DOCKLINK_MAX_ID_LENGTH
#define DOCKLINK_MAX_ID_LENGTH 64u
#endif

/// Longest method accepted in an inbound message (bytes). DJI method names are short (the longest are around 30
/// characters); like ids, a method is echoed, logged, cached and queued.
#ifndef DOCKLINK_MAX_METHOD_LENGTH
#define DOCKLINK_MAX_METHOD_LENGTH 64u
#endif

/// Most values (leaves) one property/set may write; see defaults::kMaxPropertySetLeaves.
#ifndef DOCKLINK_MAX_PROPERTY_SET_LEAVES
#define DOCKLINK_MAX_PROPERTY_SET_LEAVES 64u
#endif

namespace docklink::defaults {

/// How long to wait for an events_reply / requests_reply / status_reply before resending. The DJI demo cloud
/// itself waits 3 s for a services_reply, so a healthy cloud answers well within it.
inline constexpr std::int64_t kReplyTimeoutMs = 3000;
/// Topology (update_topo) is resent until the cloud acknowledges it, each wait twice the one before, from the
/// reply timeout up to this. A fixed 3 s would make a fleet of 5,000 docks whose cloud is down resend 1,700
/// topologies a second for as long as the outage lasts; doubling to 60 s brings that to about 80.
inline constexpr std::int64_t kTopologyResendMaxMs = 60000;
/// Resends of an event message after a reply timeout (so 1 + 3 attempts in all).
inline constexpr int kMaxRetries = 3;
/// Requests (config, binding…) time out after this long in all; the app decides whether to ask again.
inline constexpr std::int64_t kRequestTimeoutMs = 10000;
/// A service re-sent with a tid seen within this window gets the cached reply instead of running again. The
/// demo cloud retries after 3 s up to 2 times, so 60 s covers every retry with margin.
inline constexpr std::int64_t kDuplicateTidWindowMs = 60000;
/// How many recent service tids are remembered for duplicate detection per client.
inline constexpr std::size_t kDuplicateTidCapacity = 64;
/// OSD period; DJI documents 0.5 Hz for dock and aircraft.
inline constexpr std::int64_t kOsdPeriodMs = 2000;
/// Inbound messages waiting for the dispatcher, per process (every client's share draws on it). Beyond it messages
/// are dropped and counted (the transport thread must never block).
inline constexpr std::size_t kInboundQueueCapacity = 10000;
/// Inbound bytes (topic + payload) waiting for the dispatcher, per process: bounds the memory a flood of many docks
/// can hold (decoding takes a few times more, but only one message per dispatcher thread at a time).
inline constexpr std::size_t kInboundQueueMaxBytes = 64u * 1024u * 1024u;
/// Inbound messages one client may have waiting (its share of the process queue). A dock's cloud sends a few
/// commands a second and DRC at most about 50 Hz, so 256 covers seconds of a busy handler; beyond it a flooded
/// dock drops its own messages instead of filling the queue every other dock of the process needs.
inline constexpr std::size_t kInboundClientMaxMessages = 256;
/// Inbound bytes one client may have waiting: eight payloads of the largest size accepted, so a big flighttask
/// never waits alone, while a dock sent megabytes cannot take the process's memory.
inline constexpr std::size_t kInboundClientMaxBytes = 8u * DOCKLINK_MAX_INBOUND_PAYLOAD_BYTES;
/// At most one log line per client per this interval about dropped inbound messages (the counters have every
/// one): a flood must show in the log without the log becoming a second flood.
inline constexpr std::int64_t kInboundDropLogIntervalMs = 10000;
/// At most one log line per client per this interval about refused drc/down commands (Counters::drc_refused has
/// every one): a cloud sending bad sticks at 10 Hz would otherwise write 10 lines a second.
inline constexpr std::int64_t kDrcRefusedLogIntervalMs = 10000;
/// Dispatcher threads per Runtime: two lets one slow handler block a dock without stalling all others.
inline constexpr unsigned kDispatcherThreads = 2;
/// Threads with which stop_clients() (docklink/stop_clients.hpp) disconnects a fleet, the calling thread included.
/// The transport contract's disconnect() blocks until the clean MQTT DISCONNECT is done, so each thread has one
/// disconnect under way; Paho serves them all on its own one sending thread, so more threads only queue there, and
/// each costs a stack (a 32-bit board's address space). Measured with bench_fleet on 2 cores (December 2026): 5,000
/// docks stop in 0.82 s (1.05 s with the transports' destruction) against 1.17 s one after another; at 10,000 the
/// time goes to Paho's own serial work (17.7 s, against over 20 s), which no number of threads overlaps.
inline constexpr unsigned kStopClientsThreads = 16;
/// Clients of one Runtime connecting at once (CONNECT sent, no answer yet); the rest wait their turn in order.
/// A fleet started together otherwise opens thousands of handshakes in one second: the broker and the transport
/// thread fall behind, attempts pass their connect timeout and the retries feed the storm. The limit adapts (see
/// kConnectLatencyTargetMs) between kMinConcurrentConnects and this bound: 1,024 at once already keep a local
/// broker and Paho's one receive thread saturated (measured: a 5,000-dock fleet connects no faster with more).
inline constexpr std::size_t kMaxConcurrentConnects = 1024;
/// Where the adaptive limit starts: 64 keeps a local broker busy (it answers a CONNECT in well under a
/// millisecond) while no attempt waits long enough to time out, also on a loaded 2-core board.
inline constexpr std::size_t kInitialConcurrentConnects = 64;
/// The adaptive limit never halves below this: a few attempts at once still tell a broker that recovered.
inline constexpr std::size_t kMinConcurrentConnects = 4;
/// A connect answered within this (from its turn to CONNACK) raises the limit by one; a slower or failed one
/// halves it. A tenth of the default connect timeout (PahoTransportOptions::connect_timeout, 10 s): queueing in
/// the transport shows up as latency long before an attempt times out and its retry adds to the storm.
inline constexpr std::int64_t kConnectLatencyTargetMs = 1000;
/// Reconnect backoff (full jitter): first delay bound and cap. Failed attempts and connections that die soon
/// after coming up double the bound, so a broker that accepts and then drops a dock is not hammered.
inline constexpr std::int64_t kBackoffInitialMs = 1000;
inline constexpr std::int64_t kBackoffMaxMs = 120000;  ///< The cap of that bound (see above).
/// The backoff resets once a connection has finished its set-up (CONNACK, subscriptions in force, update_topo
/// acknowledged) and then stayed up this long. A broker restart that ends such a connection is not the dock's
/// failure: with the former rule (30 s of uptime, whatever the set-up) a broker restarted every ~15 s made the
/// dock come back 4, 6, 13 and then over 20 s late, losing the services sent meanwhile. 5 s is long enough to
/// tell a working connection from one the broker accepts and drops again at once.
inline constexpr std::int64_t kBackoffReadyStableMs = 5000;
/// A connection whose set-up never finished (the cloud does not answer update_topo) still resets the backoff
/// after this much uptime, so a silent cloud does not leave the dock on the longest delay for good.
inline constexpr std::int64_t kBackoffResetAfterMs = 30000;
/// A broker refusing the dock's credentials or authorisation (CONNACK "bad user name or password", "not
/// authorized"; TLS verification failures) is not a network error: retrying at network speed cannot succeed and
/// loads the cloud's authentication for a whole fleet. Such refusals have their own schedule: a delay bound of
/// 30 s doubling to 10 min, each delay between half the bound and the bound (never a near-immediate retry).
inline constexpr std::int64_t kAuthRetryInitialMs = 30000;
inline constexpr std::int64_t kAuthRetryMaxMs = 600000;  ///< The cap of that bound (see above).
/// MQTT keepalive; DJI leaves it open, 60 s is the common broker-friendly value.
inline constexpr int kKeepAliveSeconds = 60;
/// How much longer than its timeout the Paho transport's disconnect() waits for Paho to complete the DISCONNECT.
/// Paho may spend the whole timeout waiting for QoS 1 messages in flight and completes it on its own thread just
/// after; a client freed before that completion is a use-after-free, so the wait must outlast Paho's own.
inline constexpr std::int64_t kPahoDisconnectGraceMs = 2000;
/// Unacknowledged QoS 1 publishes in flight. mosquitto's default Receive Maximum is 20; exceeding the broker's
/// window makes Paho stall in 1 s steps (docs/toolchain-notes.md#p4).
inline constexpr unsigned kMaxInflight = 20;
/// QoS 1/2 publishes that all Paho clients of one process together may have handed to Paho C and not yet seen
/// completed; the rest wait in their transport's queue, the longest-waiting transport first. Paho C gives each such
/// publish a message id by walking one command list shared by the whole process, once per candidate id, so
/// without a bound a fleet of thousands of docks in one process builds a backlog that makes every walk longer
/// until it collapses (10,000 docks stalled at about 5,000 connected). 512 is 25 docks' full windows: a single
/// dock never notices it, and Paho's list stays short. 0: no bound.
inline constexpr std::size_t kPahoProcessInflight = 512;
/// Publishes one Paho transport's FIFO holds while its in-flight window or the process's budget is full
/// (PahoTransportOptions::max_queued); publish() returns kBusy beyond. Room for a burst of tens of thousands of
/// small messages from one client; the bytes are bounded for the whole process by kPahoProcessQueuedBytes.
inline constexpr std::size_t kPahoQueueMaxMessages = 65536;
/// Topic and payload bytes that all Paho transports of one process together may hold waiting in their FIFOs;
/// publish() returns kBusy beyond, and the client keeps the message in its offline queue (telemetry coalesced per
/// device). The FIFOs grow when a process publishes faster than Paho writes, which a fleet in one process does
/// once Paho's one receive thread is saturated: without the bound 3,000 docks with OSD every 200 ms grew by 8 MB/s
/// and 20,000 docks held 2.5 GB after 400 s. A bound per transport would still grow with the number of docks.
/// 128 MiB holds a burst of 50,000 aircraft OSD messages (1.7 KB each) from one client. 0: no bound.
inline constexpr std::size_t kPahoProcessQueuedBytes = 128u * 1024u * 1024u;
/// Bytes one Paho transport may hold waiting before it counts as bursting: a bursting transport may not fill the
/// last eighth of kPahoProcessQueuedBytes (16 MiB, 10,000 OSD messages), so one dock replaying a backlog cannot
/// leave the other docks of the process kBusy, while a lone burst still has seven eighths. 1 MiB is 600 aircraft
/// OSD messages, far more than a dock reporting at its normal pace ever has waiting. 0: no fairness limit.
inline constexpr std::size_t kPahoTransportFairShareBytes = 1024u * 1024u;
/// Offline queue limits: messages, bytes and age. Beyond them the oldest lowest-priority message is dropped.
/// Events awaiting an events_reply (every job progress event by default) count too, and job progress is coalesced
/// per job while offline: else a job reporting once a second through a day-long outage would hold 86,400 events
/// and send them in one burst on reconnect. The age counts from creation, also across a restart (store records
/// keep their creation time).
inline constexpr std::size_t kOfflineQueueMaxMessages = 1000;
inline constexpr std::size_t kOfflineQueueMaxBytes = 4u * 1024u * 1024u;   ///< Bytes (see above).
inline constexpr std::int64_t kOfflineQueueMaxAgeMs = 24LL * 3600 * 1000;  ///< Age (see above).
/// First wait before a client retries the messages its transport refused while connected (publish() said kBusy:
/// e.g. the Paho port's kPahoQueueMaxMessages or kPahoProcessQueuedBytes was reached). They wait in the offline
/// queue, whose drain otherwise runs only after a reconnect, which a healthy connection never makes: an event or
/// OSD refused once would wait indefinitely while later messages flowed. 100 ms lets the transport write out some
/// of its backlog; each retry that is refused again doubles the wait up to kBusyRetryMaxMs, and a publish that
/// goes through starts again from here.
inline constexpr std::int64_t kBusyRetryMs = 100;
/// Longest wait between retries of refused messages: a transport that stays busy is asked at most every 2 s
/// (the offline queue's count, byte and age limits bound what waits meanwhile), and one that has room again gets
/// the waiting messages within 2 s.
inline constexpr std::int64_t kBusyRetryMaxMs = 2000;
/// Values (leaves) one property/set may write. A cloud sets one or a few properties at a time (the richest
/// writable struct has under 10 fields); the bound keeps validation, setters, the reply and its log line small
/// for any payload. A set with more leaves is refused as a whole (325001) and nothing of it is applied.
/// Change it with DOCKLINK_MAX_PROPERTY_SET_LEAVES.
inline constexpr std::size_t kMaxPropertySetLeaves = DOCKLINK_MAX_PROPERTY_SET_LEAVES;
/// Largest inbound payload (see DOCKLINK_MAX_INBOUND_PAYLOAD_BYTES).
inline constexpr std::size_t kMaxInboundPayloadBytes = DOCKLINK_MAX_INBOUND_PAYLOAD_BYTES;
/// Deepest JSON nesting accepted (see DOCKLINK_MAX_JSON_DEPTH).
inline constexpr unsigned kMaxJsonDepth = DOCKLINK_MAX_JSON_DEPTH;
/// Longest inbound tid and bid (see DOCKLINK_MAX_ID_LENGTH). A message with a longer one is refused (325001
/// when a reply is possible); the over-long field is never echoed or logged.
inline constexpr std::size_t kMaxIdLength = DOCKLINK_MAX_ID_LENGTH;
/// Longest inbound method (see DOCKLINK_MAX_METHOD_LENGTH); refused like an over-long id.
inline constexpr std::size_t kMaxMethodLength = DOCKLINK_MAX_METHOD_LENGTH;
/// Removed sub-devices a client keeps reporting as offline (IoTDA: OFFLINE in every sub-device status, also after
/// a reconnect, until they come back). A dock has one aircraft at a time; 16 covers years of swapped aircraft and
/// keeps each status event far below IoTDA's 100 statuses.
inline constexpr std::size_t kMaxDepartedSubDevices = 16;
/// Longest SN accepted (see DOCKLINK_MAX_SN_LENGTH).
inline constexpr std::size_t kMaxSnLength = DOCKLINK_MAX_SN_LENGTH;

// ---- Huawei Cloud IoTDA profile (docklink/iotda/) ----------------------------------------------------------
/// Largest PUBLISH IoTDA accepts ("1 MB"; larger ones are rejected). Read as 10^6 bytes, the smaller reading, so
/// that a payload the encoder lets through is accepted whichever the platform means.
inline constexpr std::size_t kIotdaMaxPayloadBytes = 1000000;
/// Messages per second IoTDA accepts from one connection; what happens above it is not documented, so the uplink
/// must stay below it by itself.
inline constexpr unsigned kIotdaMaxMessagesPerSecond = 50;
/// The pace the IoTDA uplink keeps by itself: a burst of kIotdaUplinkBurst, then this many per second, so that no
/// second, counted from any instant, carries more than burst + rate = 50 messages (the platform does not say how
/// it counts). Telemetry waits for the pace, coalesced to the latest report per device and state group; answers,
/// events and the topology are never held (IoTDA's 20 s answer deadline runs) but count, so telemetry yields to
/// them.
inline constexpr unsigned kIotdaUplinkMessagesPerSecond = 40;
/// Messages the IoTDA uplink may send at once after a quiet spell (see kIotdaUplinkMessagesPerSecond).
inline constexpr unsigned kIotdaUplinkBurst = 10;
static_assert(kIotdaUplinkMessagesPerSecond + kIotdaUplinkBurst <= kIotdaMaxMessagesPerSecond,
              "the uplink's pace must keep every second within IoTDA's limit");
/// IoTDA's synchronous command API gives up after 20 s: a command response sent later reaches nobody.
inline constexpr std::int64_t kIotdaCommandAnswerDeadlineMs = 20000;
/// Keep-alive range IoTDA accepts; outside it the CONNACK refuses the connection as if the client id were bad.
/// 120 s is what IoTDA recommends.
inline constexpr int kIotdaMinKeepAliveSeconds = 30;
inline constexpr int kIotdaMaxKeepAliveSeconds = 1200;  ///< Upper end of that range.
inline constexpr int kIotdaKeepAliveSeconds = 120;      ///< The default: what IoTDA recommends.
/// Longest IoTDA device id (the platform's own limit); it is a topic level and part of the MQTT client id.
inline constexpr std::size_t kIotdaMaxDeviceIdLength = 128;
/// Longest request id accepted from a topic. The platform's ids are opaque (UUID-like in practice, 36 bytes); each
/// is echoed in a response topic and remembered for redelivery, so it must be bounded. 128 leaves ample room.
inline constexpr std::size_t kIotdaMaxRequestIdLength = 128;
/// Longest service_id, command_name, event_type, event_id, response or message name accepted inbound. Product-model
/// names are short identifiers; these are echoed, logged and used as keys, so they are bounded like DJI methods.
inline constexpr std::size_t kIotdaMaxNameLength = 128;
/// Sub-devices one gateway property report may carry over MQTT (the platform's limit).
inline constexpr std::size_t kIotdaMaxGatewayReportDevices = 100;
/// Sub-devices one add_sub_device_request may name: Huawei's own device SDK caps the request at 50, and the
/// platform documents no higher number, so a longer list is refused rather than sent to be rejected.
inline constexpr std::size_t kIotdaMaxAddSubDevices = 50;
/// Services one inbound property set or system-event message may carry. A dock model has about ten modules;
/// the bound keeps the decoded list and its answer small for any payload.
inline constexpr std::size_t kIotdaMaxServicesPerMessage = 64;
/// How long a downlink request id is remembered so that a redelivery is answered instead of run again. IoTDA
/// re-sends an unacknowledged downlink every 2 s (3 times), and after a reconnect every 10 s (5 times), so one
/// round spans about a minute; reconnects themselves may take up to the 2 min backoff cap. 10 min covers several
/// such rounds.
inline constexpr std::int64_t kIotdaRedeliveryWindowMs = 600000;
/// Request ids remembered per client for redelivery. A dock receives a few commands and sets a minute; 64 (as for
/// DJI tids) holds every one of a 10 min window with room to spare, at about 64 small answers of memory.
inline constexpr std::size_t kIotdaRedeliveryCapacity = 64;
/// How long iotda::FileManager waits for the platform's answer to get_upload_url / get_download_url. The platform
/// answers a system event within seconds when an OBS bucket is bound; without one it never answers, and the
/// transfer must fail rather than wait forever. 30 s is well above a normal answer, also across a short reconnect.
inline constexpr std::int64_t kIotdaFileUrlTimeoutMs = 30000;
/// Transfers that may wait for their URL at once in one iotda::FileManager: a dock uploads a few logs or media
/// files at a time; the bound keeps a silent platform from piling up requests and timers.
inline constexpr std::size_t kIotdaFileMaxWaiting = 16;

// ---- File transfer: downloads (docklink/transfer/) -----------------------------------------------------------
/// File transfer (downloads). The buffer bounds the engine's memory per transfer whatever the file's size: it
/// is used to re-read a partial file's digest at resume (body pieces are written as the HTTP client hands them
/// over); 64 KiB reads a file at disk speed with few system calls and fits the smallest boards.
inline constexpr std::size_t kDownloadBufferBytes = 64u * 1024u;
/// How far a download's digest (hashed on its own thread, read back from the partial file) may fall behind the
/// bytes written before the writer waits: 4 MiB is still in the page cache when it is read back, even on a small
/// board, and lets the hashing run beside the network without turns on every piece.
inline constexpr std::uint64_t kDownloadHashLagBytes = 4u * 1024u * 1024u;
/// Least time between two progress reports of one transfer. A dock turns them into ota_progress or
/// fileupload_progress events; one a second keeps a progress bar live without flooding MQTT.
inline constexpr std::int64_t kTransferProgressIntervalMs = 1000;
/// Retries of one download run after network errors, timeouts and HTTP 5xx (4xx never). Each retry resumes
/// from the bytes already on disk, so retries cost time, not data; 5 rides out a broken link for about a minute.
inline constexpr unsigned kDownloadMaxRetries = 5;
/// Backoff between download retries (full jitter): 1 s doubling up to 30 s. Shorter than MQTT's reconnect cap:
/// a download is one dock's own request, and a pre-signed URL lives only an hour (DJI signs for 3600 s).
inline constexpr std::int64_t kDownloadBackoffInitialMs = 1000;
inline constexpr std::int64_t kDownloadBackoffMaxMs = 30000;  ///< The cap (see above).
/// HTTP connect (TCP + TLS) and stalled-body timeouts: 10 s connects over a poor LTE link; 30 s without a byte
/// means the connection is dead (a retry resumes it) while a slow link still moves something every few seconds.
inline constexpr std::int64_t kHttpConnectTimeoutMs = 10000;
inline constexpr std::int64_t kHttpStallTimeoutMs = 30000;  ///< Stalled body (see above).
/// Largest resume record read back (bytes). A record holds the URL (pre-signed S3 URLs with a session token run
/// to about 2 KiB), validators and digest; anything larger is not ours and is discarded as corrupt.
inline constexpr std::size_t kMaxResumeRecordBytes = 8u * 1024u;
/// How often a running download rewrites its resume record's offset (a durable Store write). The resume itself
/// goes by the partial file's length, so this only keeps the record's offset informative; rarer saves cost less.
inline constexpr std::int64_t kResumeCheckpointIntervalMs = 5000;
/// A download held back by a bandwidth limit asks for the file in ranges of what the limit allows in this long
/// (`Range: bytes=<offset>-<end>`, one request after another on the kept-alive connection). A server gives up on a
/// client that leaves its writes waiting (nginx `send_timeout`: 60 s by default), and at a low limit no pacing of
/// the reads prevents it: TCP reopens the window in large steps, and a server's send buffer must drain by a third
/// before it may write again (a 48 KiB one waits for 16 KiB: over 60 s below 270 B/s). A range is either written
/// at once into the socket buffers or waits on the engine at most this long.
/// 10 s stays well below those timeouts and costs one request (a few hundred bytes of headers) per 10 s.
inline constexpr std::int64_t kDownloadPacedRangeMs = 10000;
/// Smallest such range: 16 KiB, one TLS record, fits whole in the receive buffer of any TCP stack we target, so
/// the server writes it at once however long the engine takes to read it; smaller ranges would spend more on
/// headers than on the file at a very low limit.
inline constexpr std::uint64_t kDownloadPacedRangeMinBytes = 16u * 1024u;
/// Restarts from zero within one run (server ignored Range, file changed): a third would mean the server
/// keeps changing the file or contradicts itself, which another attempt will not fix.
inline constexpr unsigned kDownloadMaxRestarts = 2;
/// Longest validity of an S3 pre-signed URL (seconds), X-Amz-Expires: 7 days is the most AWS Signature V4
/// allows, so transfer::sigv4_presign_query refuses more (kInvalidArgument) rather than make a URL every server
/// refuses. A protocol limit, not a tunable. A URL made with STS credentials dies with them, whatever it says.
inline constexpr std::int64_t kS3PresignMaxExpirySeconds = 7 * 24 * 3600;

/// Transfer worker threads (docklink/transfer/transfer_manager.hpp), started on demand: two lets a small file
/// (a KMZ before a flight) pass while a large one (an OTA package, a video) runs, without competing for a dock's
/// thin uplink with more streams than help. The most a manager accepts is 8: more parallel transfers than that
/// only split the same link finer, and each thread holds a stack and an HTTP connection.
inline constexpr unsigned kTransferWorkerThreads = 2;
inline constexpr unsigned kTransferMaxWorkerThreads = 8;  ///< The limit (see above).
/// Transfers queued or running in one manager: a dock's media queue is persisted by its uploader and fed in as
/// slots free up, so 64 in memory is plenty and bounds what a runaway submitter can pile up.
inline constexpr std::size_t kTransferMaxQueued = 64;
/// Bandwidth (docklink/transfer/bandwidth.hpp). Unused capacity the process-wide limit saves: a transfer that
/// starts after a quiet period may exceed the limit by this much at most. 50 ms keeps the limit within a few
/// percent over one second while a transfer's first pieces (libcurl hands over up to 16 KiB) still flow at once.
inline constexpr std::int64_t kBandwidthBurstMs = 50;
/// Longest single wait for the process-wide limit before it is read again: a limit raised at run time (a dock
/// that landed) takes effect within this time for transfers already waiting.
inline constexpr std::int64_t kBandwidthWaitSliceMs = 200;

// ---- File transfer: uploads to S3-compatible storage (docklink/transfer/upload.hpp) ------------------------
/// Files from this size on go up as a multipart upload (resumable part by part); smaller ones in one PUT, which
/// a failure restarts from zero. 16 MiB is a few seconds on a good uplink and under a minute on a weak one, so a
/// lost single PUT costs little, while a 4 GB video is never sent in one piece (S3 allows a PUT up to 5 GiB).
inline constexpr std::uint64_t kUploadMultipartThresholdBytes = 16u * 1024u * 1024u;
/// Default part size of a multipart upload: 8 MiB takes about a minute at 1 Mbit/s, so each part finishes well
/// inside the life of STS credentials (DJI hands out ~55 min) and a failure repeats little.
inline constexpr std::uint64_t kUploadPartSizeBytes = 8u * 1024u * 1024u;
/// The smallest part S3 accepts (every part but the last): a protocol limit (EntityTooSmall), so an upload asking
/// for less is refused (kInvalidArgument) rather than failing at Complete.
inline constexpr std::uint64_t kS3MinPartBytes = 5u * 1024u * 1024u;
/// The largest single PUT S3 accepts (EntityTooLarge above): a protocol limit; the threshold is capped to it.
inline constexpr std::uint64_t kS3MaxPutBytes = 5ull * 1024u * 1024u * 1024u;
/// Most parts of one upload. S3 allows 10,000, but the resume record lists every finished part and is rewritten
/// after each one; 1,000 keeps it under ~64 KiB (cheap to rewrite durably) and still covers a 40 GB file with
/// 40 MiB parts. The part size grows (ceil(size / 1000)) when a file needs more parts.
inline constexpr std::uint32_t kUploadMaxParts = 1000;
/// Largest upload resume record read back (bytes): 1,000 parts with their ETags, the key and the upload id fit;
/// anything larger is not ours and is discarded as corrupt.
inline constexpr std::size_t kMaxUploadRecordBytes = 128u * 1024u;
/// Most bytes of an S3 response body kept (errors, CreateMultipartUpload and Complete results are a few hundred
/// bytes); the rest of a larger body is read and dropped, so a misbehaving server cannot grow our memory.
inline constexpr std::size_t kUploadMaxResponseBytes = 64u * 1024u;
/// File reads per body piece and per hashing step of an upload: like kDownloadBufferBytes, disk speed with few
/// system calls and a fixed memory per transfer whatever the file's size.
inline constexpr std::size_t kUploadBufferBytes = 64u * 1024u;
/// Over https a signed upload sends UNSIGNED-PAYLOAD (S3 accepts it) instead of the SHA-256 of each body: TLS
/// already guards the body against change on the way (every record carries its MAC) and the signature still
/// covers method, address and headers, while the hash costs a second read of every byte and about 1 s of CPU per
/// 256 MiB in software SHA-256 (a third of the upload's time on loopback, more on a dock's slow core). Over plain
/// http the signed hash is the only thing that stops a body changed on the way from being stored under our
/// signature, so it stays there (hashed ahead on its own thread, upload_payload_hash.hpp).
inline constexpr bool kUploadUnsignedPayloadOverTls = true;
/// Credentials are renewed this long before their `expire` deadline, so a request signed now still arrives (and
/// a part still starts) while they are valid: S3 checks validity when a request arrives.
inline constexpr std::int64_t kUploadCredentialsRefreshMarginMs = 5 * 60 * 1000;

// ---- DJI media and log uploads (docklink/dji/media_upload.hpp, log_upload.hpp) ------------------------------
/// Cached storage_config_get credentials are reused for a new file only while this much of their validity is
/// left: twice the uploader's refresh margin, so a file that starts on cached credentials sends at least a few
/// parts before it must ask again. DJI's cloud hands out 55 minutes; a dock asks about once every 45.
inline constexpr std::int64_t kMediaCredentialsReuseMarginMs = 10 * 60 * 1000;
/// Files the media queue holds (persisted ones included). A flight takes a few hundred photos; 4,096 is a week
/// of flights without a link, and bounds the queue's memory (~1 KiB per file) and its Store records.
inline constexpr std::size_t kMediaMaxQueuedFiles = 4096;
/// Largest media queue record read back (bytes): the path, key, names and the event's ext and metadata objects
/// fit in a few hundred bytes; anything larger is not ours and is discarded as corrupt.
inline constexpr std::size_t kMaxMediaRecordBytes = 16u * 1024u;

/// HTTP redirects followed per request (port::HttpClient's contract): enough for a CDN or a regional S3
/// endpoint hop, few enough that a redirect loop fails fast.
inline constexpr int kHttpMaxRedirects = 5;
/// Idle libcurl handles the HTTP client keeps (each with its open connections), so consecutive requests reuse a
/// connection instead of paying TCP + TLS again; more concurrent requests work but their handles are not kept.
inline constexpr std::size_t kHttpIdleHandles = 4;
/// How often a running HTTP request checks its cancel flag and stall timeout at most idle (the contract asks
/// for at least every 100 ms).
inline constexpr std::int64_t kHttpPollIntervalMs = 100;

}  // namespace docklink::defaults
