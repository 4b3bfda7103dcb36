// The least a cloud must do for a fleet benchmark: acknowledge every dock's update_topo with a status_reply, so
// the docks stop resending their topology (as they would against a live cloud). A plain Paho client in its own
// process (docs/toolchain-notes.md#p7: clients of one process share Paho C's threads, and the fleet must not pay for
// it). Usage: bench_status_responder --broker tcp://127.0.0.1:PORT [--ready-file PATH]
//   Runs until SIGTERM/SIGINT; writes PATH once subscribed (so a script can wait for it); prints the count on exit.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>

#include <mqtt/async_client.h>
#include <rapidjson/document.h>

namespace {

volatile std::sig_atomic_t g_stop = 0;

void request_stop(int) { g_stop = 1; }

// sys/product/{sn}/status -> sys/product/{sn}/status_reply
std::string reply_topic(const std::string& topic) { return topic + "_reply"; }

std::string reply_body(const rapidjson::Document& request) {
  const auto text = [&](const char* key) -> std::string {
    auto it = request.FindMember(key);
    return it != request.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
  };
  return R"({"tid":")" + text("tid") + R"(","bid":")" + text("bid") + R"(","timestamp":0,"method":")" + text("method") +
         R"(","data":{"result":0}})";
}

}  // namespace

int main(int argc, char** argv) {
  std::string broker, ready_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--broker") broker = argv[i + 1];
    if (key == "--ready-file") ready_file = argv[i + 1];
  }
  if (broker.empty()) {
    std::fprintf(stderr, "usage: bench_status_responder --broker URI [--ready-file PATH]\n");
    return 2;
  }
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  try {
    // Thousands of docks connect at once: Paho C's command buffer (default 100, counted while connected too) must
    // hold a reply per dock, and replies go at QoS 0 so that the responder's own QoS 1 window (20 in flight)
    // does not pace the whole fleet's set-up: the benchmark measures the docks, not this cloud.
    mqtt::async_client client(broker, "bench-status-responder", mqtt::create_options(MQTTVERSION_3_1_1, 1000000));
    unsigned long answered = 0, refused = 0;
    client.set_message_callback([&](mqtt::const_message_ptr message) {
      rapidjson::Document request;
      request.Parse(message->get_payload_str().c_str());
      if (request.HasParseError() || !request.IsObject()) return;
      try {  // an exception must not leave Paho's callback thread
        client.publish(reply_topic(message->get_topic()), reply_body(request), 0, false);
        ++answered;
      } catch (const mqtt::exception& e) {
        ++refused;
        if (refused == 1) std::fprintf(stderr, "status responder: publish refused: %s\n", e.what());
      }
    });
    client.connect(mqtt::connect_options_builder().clean_session(true).finalize())->wait();
    client.subscribe("sys/product/+/status", 1)->wait();
    if (!ready_file.empty()) std::ofstream(ready_file) << "ready\n";
    while (!g_stop) pause();  // woken by the signal
    client.disconnect()->wait();
    std::fprintf(stderr, "status responder: answered %lu, refused by Paho %lu\n", answered, refused);
  } catch (const mqtt::exception& e) {
    std::fprintf(stderr, "status responder: %s\n", e.what());
    return 1;
  }
  return 0;
}
