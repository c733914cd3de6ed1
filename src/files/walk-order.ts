/**
 * The order in which a walk meets files: depth first, each directory's entries by the bytes of
 * their names. ringscan.c's `by_walk_order` is the same order over whole paths ('/' before any other
 * byte, so a directory's files come before its siblings'); test/native/walk-order.test.ts holds the
 * two walks to it.
 */
import { pathToBytes } from './path-bytes.js';

/** Sorts items by walk order of the path each has, computing each key once. */
export function inWalkOrder<Item>(items: readonly Item[], pathOf: (item: Item) => string): Item[] {
  return items
    // A path's bytes with each '/' made NUL, which no path holds: in plain byte order (a native
    // compare, `Buffer.compare`) these keys sort paths in walk order.
    .map((item) => ({ item, key: pathToBytes(pathOf(item).replaceAll('/', '\0')) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ item }) => item);
}
