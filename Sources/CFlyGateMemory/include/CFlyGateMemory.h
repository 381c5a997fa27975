#ifndef CFLYGATE_MEMORY_H
#define CFLYGATE_MEMORY_H

#include <stddef.h>

/// Bytes the process's malloc has handed out and not had back (all arenas, and the chunks it
/// mapped on its own): what the process holds, apart from what the allocator keeps for reuse.
size_t cflygate_heap_bytes_in_use(void);

#endif
