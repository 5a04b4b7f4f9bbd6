// PLT interposition of calloc/free for the Mbed TLS libraries (see heap_accounting.h).
#include "heap_accounting.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace tlssim {
namespace {

using CallocFn = void* (*)(size_t, size_t);
using FreeFn = void (*)(void*);

CallocFn realCalloc = &calloc;
FreeFn realFree = &free;

struct Block {
  size_t size;
  uint32_t owner;
};

struct Ledger {
  std::mutex mutex;
  std::unordered_map<void*, Block> blocks;
  std::unordered_map<uint32_t, HeapStats> owners;
  HeapStats total;
};

// Never destroyed: Mbed TLS objects freed during process exit must still find it.
Ledger& ledger() {
  static Ledger* instance = new Ledger();
  return *instance;
}

uint32_t currentOwner = 0;
int librariesHooked = 0;

void Grow(HeapStats& stats, size_t size) {
  stats.currentBytes += size;
  stats.allocations++;
  if (stats.currentBytes > stats.peakBytes) stats.peakBytes = stats.currentBytes;
}

void Shrink(HeapStats& stats, size_t size) {
  stats.currentBytes -= size;
  stats.frees++;
}

void* CountingCalloc(size_t count, size_t size) {
  void* block = realCalloc(count, size);
  Ledger& l = ledger();
  std::lock_guard<std::mutex> lock(l.mutex);
  if (block == nullptr) {
    // Allocation failure: Mbed TLS takes its own error path; only the attempt is recorded.
    l.total.failedAllocations++;
    l.owners[currentOwner].failedAllocations++;
    return block;
  }
  size_t bytes = count * size;
  l.blocks[block] = Block{bytes, currentOwner};
  Grow(l.total, bytes);
  Grow(l.owners[currentOwner], bytes);
  return block;
}

void CountingFree(void* block) {
  if (block != nullptr) {
    Ledger& l = ledger();
    std::lock_guard<std::mutex> lock(l.mutex);
    auto found = l.blocks.find(block);
    if (found != l.blocks.end()) {
      Shrink(l.total, found->second.size);
      Shrink(l.owners[found->second.owner], found->second.size);
      l.blocks.erase(found);
    }
  }
  realFree(block);
}

bool IsMbedtlsLibrary(const char* path) {
  if (path == nullptr) return false;
  const char* base = strrchr(path, '/');
  base = base ? base + 1 : path;
  return strncmp(base, "libmbedtls.so", 13) == 0 || strncmp(base, "libmbedx509.so", 14) == 0 ||
         strncmp(base, "libmbedcrypto.so", 16) == 0;
}

// Points one GOT slot at `replacement`. The GOT is read-only after relocation (RELRO, BIND_NOW), so
// the page is made writable for the store and read-only again.
bool PatchSlot(void** slot, void* replacement) {
  long pageSize = sysconf(_SC_PAGESIZE);
  auto page = reinterpret_cast<uintptr_t>(slot) & ~static_cast<uintptr_t>(pageSize - 1);
  if (mprotect(reinterpret_cast<void*>(page), static_cast<size_t>(pageSize), PROT_READ | PROT_WRITE) != 0)
    return false;
  *slot = replacement;
  mprotect(reinterpret_cast<void*>(page), static_cast<size_t>(pageSize), PROT_READ);
  return true;
}

struct DynamicTables {
  const ElfW(Sym)* symbols = nullptr;
  const char* strings = nullptr;
  const ElfW(Rela)* pltRelocations = nullptr;
  size_t pltRelocationsSize = 0;
  const ElfW(Rela)* relocations = nullptr;
  size_t relocationsSize = 0;
};

// glibc relocates d_ptr in the loaded dynamic section on most targets; an unrelocated one is an offset.
template <typename T>
const T* Address(ElfW(Addr) base, ElfW(Addr) value) {
  return reinterpret_cast<const T*>(value < base ? base + value : value);
}

DynamicTables ReadDynamic(const dl_phdr_info* info) {
  DynamicTables tables;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    if (info->dlpi_phdr[i].p_type != PT_DYNAMIC) continue;
    auto* dyn = reinterpret_cast<const ElfW(Dyn)*>(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    for (; dyn->d_tag != DT_NULL; dyn++) {
      switch (dyn->d_tag) {
        case DT_SYMTAB: tables.symbols = Address<ElfW(Sym)>(info->dlpi_addr, dyn->d_un.d_ptr); break;
        case DT_STRTAB: tables.strings = Address<char>(info->dlpi_addr, dyn->d_un.d_ptr); break;
        case DT_JMPREL: tables.pltRelocations = Address<ElfW(Rela)>(info->dlpi_addr, dyn->d_un.d_ptr); break;
        case DT_PLTRELSZ: tables.pltRelocationsSize = dyn->d_un.d_val; break;
        case DT_RELA: tables.relocations = Address<ElfW(Rela)>(info->dlpi_addr, dyn->d_un.d_ptr); break;
        case DT_RELASZ: tables.relocationsSize = dyn->d_un.d_val; break;
        default: break;
      }
    }
  }
  return tables;
}

// Patches calloc and free in one relocation table (JUMP_SLOT entries, and GLOB_DAT ones where a
// library takes the function's address); returns how many slots now count.
int PatchTable(ElfW(Addr) base, const DynamicTables& t, const ElfW(Rela)* table, size_t size) {
  if (table == nullptr || t.symbols == nullptr || t.strings == nullptr) return 0;
  int patched = 0;
  for (size_t i = 0; i < size / sizeof(ElfW(Rela)); i++) {
    const ElfW(Rela)& rela = table[i];
    auto type = ELF64_R_TYPE(rela.r_info);
#if defined(__x86_64__)
    if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) continue;
#elif defined(__aarch64__)
    if (type != R_AARCH64_JUMP_SLOT && type != R_AARCH64_GLOB_DAT) continue;
#else
    continue;
#endif
    const char* name = t.strings + t.symbols[ELF64_R_SYM(rela.r_info)].st_name;
    auto** slot = reinterpret_cast<void**>(base + rela.r_offset);
    if (strcmp(name, "calloc") == 0) {
      patched += PatchSlot(slot, reinterpret_cast<void*>(&CountingCalloc)) ? 1 : 0;
    } else if (strcmp(name, "free") == 0) {
      patched += PatchSlot(slot, reinterpret_cast<void*>(&CountingFree)) ? 1 : 0;
    }
  }
  return patched;
}

int HookLibrary(dl_phdr_info* info, size_t, void* count) {
  if (!IsMbedtlsLibrary(info->dlpi_name)) return 0;
  DynamicTables tables = ReadDynamic(info);
  int patched = PatchTable(info->dlpi_addr, tables, tables.pltRelocations, tables.pltRelocationsSize) +
                PatchTable(info->dlpi_addr, tables, tables.relocations, tables.relocationsSize);
  // A library counts as hooked when both its calloc and its free go through the ledger.
  if (patched >= 2) ++*static_cast<int*>(count);
  return 0;
}

Napi::Object StatsObject(Napi::Env env, const HeapStats& stats) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("currentBytes", Napi::Number::New(env, static_cast<double>(stats.currentBytes)));
  out.Set("peakBytes", Napi::Number::New(env, static_cast<double>(stats.peakBytes)));
  out.Set("allocations", Napi::Number::New(env, static_cast<double>(stats.allocations)));
  out.Set("frees", Napi::Number::New(env, static_cast<double>(stats.frees)));
  out.Set("failedAllocations", Napi::Number::New(env, static_cast<double>(stats.failedAllocations)));
  return out;
}

uint32_t OwnerArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || info[index].IsUndefined()) return UINT32_MAX;
  if (!info[index].IsNumber()) throw Napi::TypeError::New(info.Env(), "owner must be a number");
  double value = info[index].As<Napi::Number>().DoubleValue();
  if (value < 0 || value >= UINT32_MAX || value != static_cast<uint32_t>(value))
    throw Napi::RangeError::New(info.Env(), "owner must be an integer 0..2^32-2");
  return static_cast<uint32_t>(value);
}

// heapStats(owner?) → { currentBytes, peakBytes, allocations, frees, failedAllocations }: the owner's,
// or the whole process's Mbed TLS heap without an owner.
Napi::Value Stats(const Napi::CallbackInfo& info) {
  uint32_t owner = OwnerArg(info, 0);
  Ledger& l = ledger();
  HeapStats copy;
  {
    std::lock_guard<std::mutex> lock(l.mutex);
    if (owner == UINT32_MAX) {
      copy = l.total;
    } else {
      auto found = l.owners.find(owner);
      if (found != l.owners.end()) copy = found->second;
    }
  }
  return StatsObject(info.Env(), copy);
}

// heapResetPeak(owner?): the peak restarts from the current bytes (to measure one phase).
Napi::Value ResetPeak(const Napi::CallbackInfo& info) {
  uint32_t owner = OwnerArg(info, 0);
  Ledger& l = ledger();
  std::lock_guard<std::mutex> lock(l.mutex);
  HeapStats& stats = owner == UINT32_MAX ? l.total : l.owners[owner];
  stats.peakBytes = stats.currentBytes;
  return info.Env().Undefined();
}

// heapSetOwner(owner) → the previous owner: allocations from now on are attributed to `owner`.
Napi::Value SetOwner(const Napi::CallbackInfo& info) {
  uint32_t owner = OwnerArg(info, 0);
  if (owner == UINT32_MAX) throw Napi::TypeError::New(info.Env(), "owner is required");
  return Napi::Number::New(info.Env(), SetHeapOwner(owner));
}

Napi::Value Hooked(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), librariesHooked); }

}  // namespace

int InstallHeapHooks() {
  if (librariesHooked > 0) return librariesHooked;
  // The real functions, as libc exports them (not this module's own PLT, which may itself be hooked).
  if (void* c = dlsym(RTLD_DEFAULT, "calloc")) realCalloc = reinterpret_cast<CallocFn>(c);
  if (void* f = dlsym(RTLD_DEFAULT, "free")) realFree = reinterpret_cast<FreeFn>(f);
  ledger();
  int count = 0;
  dl_iterate_phdr(&HookLibrary, &count);
  librariesHooked = count;
  return count;
}

uint32_t SetHeapOwner(uint32_t owner) {
  uint32_t previous = currentOwner;
  currentOwner = owner;
  return previous;
}

Napi::Object HeapExports(Napi::Env env) {
  Napi::Object heap = Napi::Object::New(env);
  heap.Set("stats", Napi::Function::New<Stats>(env, "heapStats"));
  heap.Set("resetPeak", Napi::Function::New<ResetPeak>(env, "heapResetPeak"));
  heap.Set("setOwner", Napi::Function::New<SetOwner>(env, "heapSetOwner"));
  heap.Set("librariesHooked", Napi::Function::New<Hooked>(env, "heapLibrariesHooked"));
  return heap;
}

}  // namespace tlssim
