// Exact accounting of Mbed TLS's own heap: every calloc/free made by libmbedtls, libmbedx509 and
// libmbedcrypto, attributed to an owner (a socket) chosen by the caller. Debian builds Mbed TLS without
// MBEDTLS_PLATFORM_MEMORY, so mbedtls_platform_set_calloc_free() does not exist; instead the binding
// rewrites those three libraries' GOT entries for calloc and free (PLT interposition) to counting
// functions that call the real ones. Nothing else in the process is counted, and what Mbed TLS gets back
// is exactly what libc returned. docs/costs.md says why this design and what it measures.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace tlssim {

struct HeapStats {
  uint64_t currentBytes = 0;
  uint64_t peakBytes = 0;
  uint64_t allocations = 0;
  uint64_t frees = 0;
  uint64_t failedAllocations = 0;
};

// Patches the GOTs; returns how many of the three libraries were hooked (3 when accounting is whole).
int InstallHeapHooks();

// The owner new allocations are attributed to (0 = unattributed). Frees always go to the allocation's
// owner, whoever frees it.
uint32_t SetHeapOwner(uint32_t owner);

Napi::Object HeapExports(Napi::Env env);

}  // namespace tlssim
