// Shared pieces of the dock-sim integration tests: a private broker, dock-sim and other samples as child
// processes, a scripted cloud that records uplinks and answers like a simple cloud, a DRC-side cloud, small JSON
// helpers, and the session that puts broker, cloud and dock together.
#pragma once

#include "sim_drc_cloud.hpp"
#include "sim_processes.hpp"
#include "sim_seen.hpp"
#include "sim_session.hpp"
#include "sim_test_cloud.hpp"
