// dock-sim's own bounds seen from the cloud: flighttask_prepare stops at limits::kMaxPreparedTasks.
#include "sim_test_groups.hpp"

using namespace simtest;

TEST_GROUP_BASE(SimBounds, SimSessionGroup) {
  SessionArgs args{this, {"--speed", "100"}};
  // A timed task an hour ahead, so that it waits in the dock's list.
  std::string timed(const std::string& flight_id) { return prepare_data(flight_id, 1, now_ms() + 3600 * 1000); }
};

TEST(SimBounds, PreparedTasksStopAtTheLimitWithDockBusy) {
  const int limit = 64;  // limits::kMaxPreparedTasks
  for (int i = 0; i < limit; ++i)
    LONGS_EQUAL(0, session->result_of("flighttask_prepare", timed("t" + std::to_string(i))));
  LONGS_EQUAL(319001, session->result_of("flighttask_prepare", timed("one-too-many")));
  // Re-preparing a known task replaces it; undoing one makes room.
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", timed("t5")));
  LONGS_EQUAL(0, session->result_of("flighttask_undo", R"({"flight_ids":["t5"]})"));
  LONGS_EQUAL(0, session->result_of("flighttask_prepare", timed("one-too-many")));
  CHECK_TRUE(session->sim_log().find("refused (prepared_tasks_full)") != std::string::npos);
}
