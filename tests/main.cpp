// CppUTest entry point shared by the unit and integration executables.
#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakWarningPlugin.h>

int main(int argc, char** argv) {
  // The SDK's worker threads allocate and free across test boundaries, which CppUTest's per-test leak counter
  // reports as leaks. Leaks are checked by LeakSanitizer in the sanitizer build instead.
  MemoryLeakWarningPlugin::turnOffNewDeleteOverloads();
  return CommandLineTestRunner::RunAllTests(argc, argv);
}
