// DOCKLINK_API: what the shared library exports.
#pragma once

/// Marks a public class or function of DockLink as exported from libdocklink.so.
///
/// The library is compiled with hidden visibility by default (-fvisibility=hidden), so everything else — internal
/// classes and the template code of RapidJSON and the standard library inlined into it — stays out of the dynamic
/// symbol table. That keeps the shared library small and its ABI limited to the public headers. On a class it
/// also exports the vtable and type info, so a port implemented by the application and one implemented by
/// DockLink share one identity for dynamic_cast and exceptions. In a static link the macro has no effect.
///
/// DOCKLINK_INTERNAL marks a class nested in a DOCKLINK_API class as not exported: a nested class takes the
/// visibility of the class around it, so a private pimpl (`class DOCKLINK_INTERNAL Impl;`) would otherwise put
/// every member function of its implementation into the dynamic symbol table.
#if defined(__GNUC__) || defined(__clang__)
#define DOCKLINK_API __attribute__((visibility("default")))
#define DOCKLINK_INTERNAL __attribute__((visibility("hidden")))
#else
#define DOCKLINK_API
#define DOCKLINK_INTERNAL
#endif
