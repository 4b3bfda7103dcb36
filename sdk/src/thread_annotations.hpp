// Clang thread-safety attributes, so that `-Wthread-safety` checks at compile time which lock guards which
// member and which functions must (not) be called with it held. Other compilers see nothing.
#pragma once

#if defined(__clang__)
#define DOCKLINK_THREAD_ATTRIBUTE(x) __attribute__((x))
#else
#define DOCKLINK_THREAD_ATTRIBUTE(x)
#endif

/// A type that is a lock (a "capability" in Clang's terms).
#define DOCKLINK_CAPABILITY(name) DOCKLINK_THREAD_ATTRIBUTE(capability(name))
/// An RAII type that holds a lock for its lifetime.
#define DOCKLINK_SCOPED_CAPABILITY DOCKLINK_THREAD_ATTRIBUTE(scoped_lockable)
/// A member that may only be read or written with the given lock held.
#define DOCKLINK_GUARDED_BY(lock) DOCKLINK_THREAD_ATTRIBUTE(guarded_by(lock))
/// A function that must be called with the given lock held.
#define DOCKLINK_REQUIRES(...) DOCKLINK_THREAD_ATTRIBUTE(requires_capability(__VA_ARGS__))
/// A function that must be called without the given lock held (it takes it, or does I/O that must not wait on it).
#define DOCKLINK_EXCLUDES(...) DOCKLINK_THREAD_ATTRIBUTE(locks_excluded(__VA_ARGS__))
/// A function that takes the lock.
#define DOCKLINK_ACQUIRE(...) DOCKLINK_THREAD_ATTRIBUTE(acquire_capability(__VA_ARGS__))
/// A function that releases the lock.
#define DOCKLINK_RELEASE(...) DOCKLINK_THREAD_ATTRIBUTE(release_capability(__VA_ARGS__))
/// Opts one function out of the analysis; every use says why.
#define DOCKLINK_NO_THREAD_SAFETY_ANALYSIS DOCKLINK_THREAD_ATTRIBUTE(no_thread_safety_analysis)
