// The server's TLS context (internal): TLS 1.2+ with forward-secret AEAD ciphers only
// (TLS 1.3 defaults; for 1.2, ECDHE/DHE with AES-GCM or ChaCha20-Poly1305), no compression,
// no renegotiation, ALPN "http/1.1", and OpenSSL read/write buffers released while a
// connection is idle.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "util/result.h"

namespace ds::http::internal {

// Loads the PEM certificate chain (leaf first) and unencrypted private key. InvalidArgument
// naming the file and OpenSSL's reason if either cannot be loaded or they do not match.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& certificate_chain_file, const std::string& private_key_file);

}  // namespace ds::http::internal
