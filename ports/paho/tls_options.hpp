// Paho ssl_options from PahoTlsOptions: verification on unless explicitly skipped.
#pragma once

#include <mqtt/ssl_options.h>

#include "docklink/ports/paho_transport.hpp"
#include "docklink/status.hpp"

namespace docklink::ports::paho {

/// kInvalidArgument when TLS settings are given for a non-TLS URI or a key comes without its certificate.
Status validate_tls_options(const PahoTlsOptions& tls, bool tls_uri);

/// Fills Paho's TLS options in place: trust store, optional client certificate, verification unless skipped.
/// `target` must outlive every connect made with copies of it: Paho C++ 1.2 copies ssl_options without
/// re-pointing the CA directory, so every copy still points into `target`.
void apply_tls_options(const PahoTlsOptions& tls, mqtt::ssl_options& target);

}  // namespace docklink::ports::paho
