// OpenSSL's global state must outlive every thread that may still use it, Paho C's detached ones included.
//
// OpenSSL 3 registers an exit handler (OPENSSL_cleanup) the first time it is initialised. When main returns, Paho
// C's send and receive threads can still be ending, running OpenSSL's per-thread cleanup, and the exit handler
// freed the same state underneath them: glibc aborted with "double free or corruption" (dock-cloud under qemu).
// So the ports that bring OpenSSL in (Paho, libcurl) initialise it first, without that handler: the operating
// system reclaims the memory when the process ends.
#pragma once

namespace docklink::ports::openssl {

/// Initialises OpenSSL without its exit handler, once per process; later initialisations by Paho or libcurl then
/// register none either. Must run before anything else initialises OpenSSL to have an effect (the Paho and curl
/// ports call it on creation; an application that uses OpenSSL itself earlier calls it first). Thread-safe, cheap
/// after the first call. Returns false when OpenSSL could not be initialised.
bool keep_until_process_end();

}  // namespace docklink::ports::openssl
