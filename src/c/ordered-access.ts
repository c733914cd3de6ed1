/** The C spellings of an ordered (atomic, or compiler-barrier) load or store of a word. */

export const LOAD_BUILTINS: ReadonlySet<string> = new Set([
  '__atomic_load_n', '__atomic_load', 'smp_load_acquire', 'atomic_load_explicit', 'atomic_load',
  'READ_ONCE', 'ACCESS_ONCE', 'READ_ONCE_NOCHECK', 'load_acquire', 'LOAD_ONCE',
]);

/** Each takes the word first (its address, or itself for the kernel's macros) and the value second. */
export const STORE_BUILTINS: ReadonlySet<string> = new Set([
  '__atomic_store_n', '__atomic_store', 'smp_store_release', 'atomic_store_explicit', 'atomic_store',
  'WRITE_ONCE', 'store_release',
]);
