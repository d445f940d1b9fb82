// The C boundary to OpenSSL's libcrypto, for SHA-256 only; only the Pipeline module imports it.
#ifndef GCMAP_CCRYPTO_SHIM_H
#define GCMAP_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#endif
