// Thing-model benchmark: ns per operation for validating a typical Dock 2 flighttask_prepare call against the
// model and for composing a full Matrice 3TD OSD, each next to plain RapidJSON parsing the same bytes, measured
// in the same run. Prints a markdown table. Usage: bench_thing [iterations]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/generated/dock2.hpp"
#include "docklink/generated/m3td.hpp"
#include "docklink/generated/samples.hpp"
#include "docklink/thing/property_store.hpp"
#include "docklink/thing/thing_model.hpp"
#include "docklink/thing/validation.hpp"

namespace {

using namespace docklink;

// A flighttask_prepare as a cloud sends it for a timed task (the documentation's example fields).
constexpr const char* kFlighttaskPrepare =
    R"({"flight_id":"0f5c6e0a-5e3b-4a7e-9d6b-1c2d3e4f5a6b","execute_time":1700000000000,"task_type":1,)"
    R"("file":{"url":"https://bucket.example.com/wayline/2f1e.kmz?Expires=1700003600&Signature=abcdef",)"
    R"("fingerprint":"9a0364b9e99bb480dd25e1f0284c8555"},"ready_conditions":{"battery_capacity":77,)"
    R"("begin_time":1700000000000,"end_time":1700003600000},"executable_conditions":{"storage_capacity":1000},)"
    R"("rth_altitude":150,"out_of_control_action":0,"exit_wayline_when_rc_lost":1,"rth_mode":1,)"
    R"("wayline_precision_type":1,"flight_safety_advance_check":0,)"
    R"("simulate_mission":{"is_enable":0,"latitude":22.5,"longitude":113.9}})";

volatile std::size_t g_sink = 0;

/// Best-of-5 average ns per call of `operation` over `iterations` calls.
double ns_per_op(int iterations, const std::function<void()>& operation) {
  double best = 1e300;
  for (int round = 0; round < 5; ++round) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) operation();
    auto elapsed = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, elapsed / iterations);
  }
  return best;
}

struct Row {
  std::string operation;
  double ns;
  double baseline_ns;
};

bool fail(const char* what) {
  std::fprintf(stderr, "bench_thing: %s\n", what);
  return false;
}

bool run(int iterations) {
  auto dock = thing::load_embedded("3-2-0");
  auto aircraft = thing::load_embedded("0-91-1");
  if (!dock.is_ok() || !aircraft.is_ok()) return fail("the models are not embedded");
  const thing::ThingModel dock_model = std::move(dock).value();
  auto aircraft_model = std::make_shared<const thing::ThingModel>(std::move(aircraft).value());
  std::vector<Row> rows;

  // --- flighttask_prepare: check the inbound call ---
  const std::string call = kFlighttaskPrepare;
  {
    rapidjson::Document document;
    document.Parse(call.data(), call.size());
    if (!thing::validate_service(dock_model, "flighttask_prepare", document).ok()) return fail("call invalid");
    generated::dock2::FlighttaskPrepare typed;
    if (!from_json(document, typed, nullptr)) return fail("call does not decode");
  }
  double parse_call = ns_per_op(iterations, [&] {
    rapidjson::Document document;
    document.Parse(call.data(), call.size());
    g_sink = g_sink + document.MemberCount();
  });
  rows.push_back({"flighttask_prepare (" + std::to_string(call.size()) + " B): parse + thing::validate_service",
                  ns_per_op(iterations,
                            [&] {
                              rapidjson::Document document;
                              document.Parse(call.data(), call.size());
                              g_sink = g_sink +
                                       static_cast<std::size_t>(
                                           thing::validate_service(dock_model, "flighttask_prepare", document).code);
                            }),
                  parse_call});
  rows.push_back({"flighttask_prepare: parse + generated from_json (dock2::FlighttaskPrepare)",
                  ns_per_op(iterations,
                            [&] {
                              rapidjson::Document document;
                              document.Parse(call.data(), call.size());
                              generated::dock2::FlighttaskPrepare typed;
                              g_sink = g_sink + (from_json(document, typed, nullptr) ? 1u : 0u);
                            }),
                  parse_call});

  // --- full aircraft OSD: every OSD property of the M3TD model set ---
  generated::m3td::Osd osd;
  generated::shared::fill_sample(osd);
  const std::string osd_json = generated::to_json_string(osd);
  thing::PropertyStore store(aircraft_model);
  rapidjson::Document osd_document;
  osd_document.Parse(osd_json.data(), osd_json.size());
  int refused = 0;
  for (auto member = osd_document.MemberBegin(); member != osd_document.MemberEnd(); ++member) {
    if (!store.set(member->name.GetString(), member->value)) ++refused;
  }
  std::string composed;
  if (refused != 0 || !store.compose_osd(thing::PropertyStore::kAllOsdGroups, composed).is_ok()) {
    std::fprintf(stderr, "bench_thing: the store refused %d sample properties\n", refused);
    return false;
  }
  double parse_osd = ns_per_op(iterations, [&] {
    rapidjson::Document document;
    document.Parse(osd_json.data(), osd_json.size());
    g_sink = g_sink + document.MemberCount();
  });
  rows.push_back({"M3TD OSD (" + std::to_string(osd_document.MemberCount()) + " properties, " +
                      std::to_string(osd_json.size()) + " B): PropertyStore::compose_osd",
                  ns_per_op(iterations,
                            [&] {
                              std::string out;
                              (void)store.compose_osd(thing::PropertyStore::kAllOsdGroups, out);
                              g_sink = g_sink + out.size();
                            }),
                  parse_osd});
  rows.push_back({"M3TD OSD: generated m3td::Osd + to_json",
                  ns_per_op(iterations,
                            [&] {
                              std::string out = generated::to_json_string(osd);
                              g_sink = g_sink + out.size();
                            }),
                  parse_osd});

  std::printf("| operation | ns/op | baseline: RapidJSON parse of the same bytes, ns/op | ratio |\n");
  std::printf("|---|---:|---:|---:|\n");
  for (const Row& row : rows) {
    std::printf("| %s | %.0f | %.0f | %.2f |\n", row.operation.c_str(), row.ns, row.baseline_ns,
                row.ns / row.baseline_ns);
  }
  std::printf("\n%d iterations per measurement, best of 5 rounds.\n", iterations);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = argc > 1 ? std::atoi(argv[1]) : 20000;
  if (iterations <= 0) iterations = 20000;
  return run(iterations) ? 0 : 1;
}
