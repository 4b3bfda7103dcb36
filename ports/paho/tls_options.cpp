// Server certificate and hostname verification are both on by default; only insecure_skip_verify turns them
// off (and the transport then warns on every connect).
#include "tls_options.hpp"

namespace docklink::ports::paho {

Status validate_tls_options(const PahoTlsOptions& tls, bool tls_uri) {
  const bool any_set = !tls.ca_file.empty() || !tls.ca_directory.empty() || !tls.client_certificate_file.empty() ||
                       !tls.client_key_file.empty() || tls.insecure_skip_verify;
  if (!tls_uri && any_set) {
    return Status(StatusCode::kInvalidArgument,
                  "TLS options are set but the server URI is not ssl://, mqtts:// or wss://");
  }
  if (!tls.client_key_file.empty() && tls.client_certificate_file.empty()) {
    return Status(StatusCode::kInvalidArgument, "a client key needs its client certificate file");
  }
  return Status::ok();
}

void apply_tls_options(const PahoTlsOptions& tls, mqtt::ssl_options& ssl) {
  if (!tls.ca_file.empty()) ssl.set_trust_store(tls.ca_file);
  if (!tls.ca_directory.empty()) ssl.ca_path(tls.ca_directory);
  if (!tls.client_certificate_file.empty()) ssl.set_key_store(tls.client_certificate_file);
  if (!tls.client_key_file.empty()) ssl.set_private_key(tls.client_key_file);
  const bool verify = !tls.insecure_skip_verify;
  ssl.set_enable_server_cert_auth(verify);  // chain to a trusted CA, validity dates
  ssl.set_verify(verify);                   // the certificate names the host we dialled
  // No set_error_handler(): Paho C++ 1.2 would give Paho C a dangling context (see openssl_errors.hpp).
}

}  // namespace docklink::ports::paho
