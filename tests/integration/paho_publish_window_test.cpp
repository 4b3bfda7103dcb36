// The Paho transport's pure parts, without a broker: the in-flight window and broker URI parsing.
#include <optional>
#include <string>
#include <vector>

#include "../../ports/paho/publish_window.hpp"
#include "../../ports/paho/queued_bytes.hpp"
#include "../../ports/paho/server_uri.hpp"

#include <CppUTest/TestHarness.h>

using docklink::port::PublishId;
using docklink::port::Qos;
using docklink::ports::paho::parse_server_uri;
using docklink::ports::paho::PublishWindow;
using docklink::ports::paho::QueuedBytes;

TEST_GROUP(PahoPublishWindow){};

TEST(PahoPublishWindow, HandsOutAtMostTheWindowInOrder) {
  PublishWindow window(2, 10);
  for (PublishId id = 1; id <= 4; ++id) CHECK_TRUE(window.enqueue("t", "p", Qos::kAtLeastOnce, id));
  auto first = window.take_next();
  auto second = window.take_next();
  CHECK_TRUE(first.has_value() && second.has_value());
  LONGS_EQUAL(1, first->id);
  LONGS_EQUAL(2, second->id);
  CHECK_FALSE(window.take_next().has_value());  // window full
  LONGS_EQUAL(2, window.inflight());
  LONGS_EQUAL(2, window.queued());

  auto done = window.complete(first->ticket);
  CHECK_TRUE(done.has_value());
  LONGS_EQUAL(1, done->id);
  CHECK_TRUE(done->reported);
  auto third = window.take_next();
  CHECK_TRUE(third.has_value());
  LONGS_EQUAL(3, third->id);
}

TEST(PahoPublishWindow, EachPublishIsOwnedOnce) {
  PublishWindow window(1, 10);
  CHECK_TRUE(window.enqueue("t", "p", Qos::kAtLeastOnce, 7));
  CHECK_TRUE(window.enqueue("t", "p", Qos::kAtLeastOnce, 8));
  auto sent = window.take_next();
  std::vector<PublishId> drained = window.drain();
  LONGS_EQUAL(2, drained.size());
  LONGS_EQUAL(7, drained[0]);  // in flight first
  LONGS_EQUAL(8, drained[1]);
  CHECK_FALSE(window.complete(sent->ticket).has_value());  // a late ack after the drain reports nothing

  // The same PublishId re-sent later gets a fresh ticket, so the old ack cannot complete it.
  CHECK_TRUE(window.enqueue("t", "p", Qos::kAtLeastOnce, 7));
  auto resent = window.take_next();
  CHECK_TRUE(resent->ticket != sent->ticket);
  CHECK_FALSE(window.complete(sent->ticket).has_value());
  CHECK_TRUE(window.complete(resent->ticket).has_value());
}

TEST(PahoPublishWindow, QosZeroPassesAFullAcknowledgedWindowInItsTurnUpToItsOwnBound) {
  PublishWindow window(1, 10, 2);
  CHECK_TRUE(window.enqueue("t", "p", Qos::kAtLeastOnce, 1));
  for (int i = 0; i < 3; ++i) CHECK_TRUE(window.enqueue("t", "p", Qos::kAtMostOnce, 0));
  CHECK_TRUE(window.enqueue("t", "p", Qos::kAtLeastOnce, 2));
  auto acknowledged = window.take_next();
  LONGS_EQUAL(1, acknowledged->id);
  auto first_zero = window.take_next();  // the QoS 1 window is full, QoS 0 does not wait for it
  auto second_zero = window.take_next();
  CHECK_TRUE(first_zero.has_value() && second_zero.has_value());
  CHECK_TRUE(first_zero->qos == Qos::kAtMostOnce && second_zero->qos == Qos::kAtMostOnce);
  CHECK_FALSE(window.can_take());  // two QoS 0 out: their own bound
  auto zero_done = window.complete(first_zero->ticket);
  CHECK_TRUE(zero_done.has_value());
  CHECK_FALSE(zero_done->reported);  // no outcome is reported for QoS 0
  auto third_zero = window.take_next();
  CHECK_TRUE(third_zero.has_value() && third_zero->qos == Qos::kAtMostOnce);
  CHECK_FALSE(window.take_next().has_value());  // next is QoS 1 id 2, behind id 1
  CHECK_TRUE(window.complete(acknowledged->ticket).has_value());
  auto last = window.take_next();
  CHECK_TRUE(last.has_value());
  LONGS_EQUAL(2, last->id);
  LONGS_EQUAL(3, window.inflight());  // id 2 and two QoS 0: every one holds a slot of the process's budget
  CHECK_TRUE(window.enqueue("t", "p", Qos::kAtMostOnce, 0));
  CHECK_TRUE((window.drain() == std::vector<PublishId>{2}));  // only QoS 1/2 ids have an outcome to report
}

TEST(PahoPublishWindow, QueueIsBounded) {
  PublishWindow window(0, 2);  // 0 is treated as 1
  CHECK_TRUE(window.enqueue("t", "p", Qos::kAtLeastOnce, 1));
  CHECK_TRUE(window.enqueue("t", "p", Qos::kAtLeastOnce, 2));
  CHECK_FALSE(window.enqueue("t", "p", Qos::kAtLeastOnce, 3));
  CHECK_TRUE(window.take_next().has_value());
  CHECK_FALSE(window.take_next().has_value());
  CHECK_TRUE(window.enqueue("t", "p", Qos::kAtLeastOnce, 3));
}

// A fleet's waiting publishes are bounded for the whole process, whatever the number of transports: each window
// counts its FIFO's topic and payload bytes in one shared QueuedBytes, and gives them back when a publish leaves
// the FIFO (handed to Paho, drained, or the window destroyed). Without it 3,000 docks whose OSD outran Paho grew
// 8 MB/s and 20,000 docks reached 2.5 GB.
TEST(PahoPublishWindow, WaitingBytesAreBoundedAcrossTheProcessWindows) {
  QueuedBytes bytes(10);
  PublishWindow first(1, 100, 1, &bytes);
  {
    PublishWindow second(1, 100, 1, &bytes);
    CHECK_TRUE(first.enqueue("t", "pppp", Qos::kAtLeastOnce, 1));  // 5 bytes
    CHECK_TRUE(second.enqueue("t", "pppp", Qos::kAtMostOnce, 0));  // 10: the bound
    CHECK_FALSE(first.enqueue("t", "p", Qos::kAtMostOnce, 0));     // no room, in either window
    CHECK_FALSE(second.enqueue("t", "p", Qos::kAtLeastOnce, 2));
    LONGS_EQUAL(10, bytes.used());
    CHECK_TRUE(first.take_next().has_value());  // handed to Paho: no longer waiting
    LONGS_EQUAL(5, bytes.used());
    CHECK_TRUE(second.enqueue("t", "pppp", Qos::kAtMostOnce, 0));
    CHECK_FALSE(second.enqueue("t", "p", Qos::kAtMostOnce, 0));
  }
  LONGS_EQUAL(0, bytes.used());  // the destroyed window gave its 10 back
  CHECK_TRUE(first.enqueue("t", "pppppppp", Qos::kAtLeastOnce, 3));
  CHECK_FALSE(first.enqueue("t", "pp", Qos::kAtLeastOnce, 4));
  first.drain();
  LONGS_EQUAL(0, bytes.used());
}

// One dock bursting must not starve the others of the process budget: a window holding more than its fair share
// may not fill the last eighth, so the docks within their share keep that reserve.
TEST(PahoPublishWindow, ABurstingTransportLeavesAReserveToTheOthers) {
  QueuedBytes bytes(160, 10);  // capacity 160 (reserve 20), fair share 10
  PublishWindow burst(1, 1000, 1, &bytes);
  PublishWindow steady(1, 1000, 1, &bytes);
  int accepted = 0;
  while (burst.enqueue("t", "p", Qos::kAtMostOnce, 0)) ++accepted;                        // 2 bytes each
  LONGS_EQUAL(70, accepted);                                                              // 140 of 160: not the reserve
  for (int i = 0; i < 5; ++i) CHECK_TRUE(steady.enqueue("t", "p", Qos::kAtMostOnce, 0));  // its fair share
  CHECK_FALSE(steady.enqueue("t", "p", Qos::kAtMostOnce, 0));  // beyond it, the reserve is not its own
  PublishWindow another(1, 1000, 1, &bytes);
  CHECK_TRUE(another.enqueue("t", "pppppppp", Qos::kAtMostOnce, 0));  // 9 bytes: a newcomer within its share fits
  LONGS_EQUAL(159, bytes.used());
  CHECK_FALSE(another.enqueue("t", "p", Qos::kAtMostOnce, 0));  // and the bound itself still holds
}

TEST_GROUP(PahoServerUri){};

TEST(PahoServerUri, NormalisesSchemesAndDefaultPorts) {
  auto tcp = parse_server_uri("tcp://broker.example");
  CHECK_TRUE(tcp.is_ok());
  STRCMP_EQUAL("tcp://broker.example:1883", tcp.value().paho_uri.c_str());
  LONGS_EQUAL(1883, tcp.value().port);
  CHECK_FALSE(tcp.value().tls);

  auto mqtts = parse_server_uri("mqtts://10.0.0.1");
  STRCMP_EQUAL("ssl://10.0.0.1:8883", mqtts.value().paho_uri.c_str());
  CHECK_TRUE(mqtts.value().tls);

  auto wss = parse_server_uri("wss://cloud.example:8084/mqtt");
  STRCMP_EQUAL("wss://cloud.example:8084/mqtt", wss.value().paho_uri.c_str());
  CHECK_TRUE(wss.value().tls && wss.value().websocket);
  LONGS_EQUAL(8084, wss.value().port);

  auto ws = parse_server_uri("ws://h");
  LONGS_EQUAL(80, ws.value().port);

  auto v6 = parse_server_uri("ssl://[::1]:9000");
  STRCMP_EQUAL("::1", v6.value().host.c_str());
  LONGS_EQUAL(9000, v6.value().port);
  STRCMP_EQUAL("ssl://[::1]:9000", v6.value().paho_uri.c_str());
}

TEST(PahoServerUri, RejectsMalformedUris) {
  for (const char* uri : {"", "mqtt://h", "tcp://", "tcp://:1883", "tcp://h:0", "tcp://h:65536", "tcp://h:x",
                          "tcp://h/path", "ssl://[::1", "tcp://user@h:1883"}) {
    CHECK_FALSE_TEXT(parse_server_uri(uri).is_ok(), uri);
  }
}
