/** Telling the ring's status words from the many look-alike fields of other structs. */
import { rootIdentifier } from './function-facts.js';
import type { SyntaxNode } from './parser.js';
import { declaredType } from './declared-type.js';
import { unwrap } from './tree-walk.js';

/**
 * `pbd->hdr.bh1.block_status`: many unrelated structs have a `block_status`; the V3 one sits in the
 * block descriptor's `bh1` (or `h1` in code that declares its own descriptor struct), or is read
 * through a variable declared as a tpacket block type.
 */
export function isRingBlockPath(node: SyntaxNode): boolean {
  const base = node.childForFieldName('argument');
  if (!base) return false;
  const bare = unwrap(base);
  if (bare.type === 'field_expression' && ['bh1', 'h1'].includes(bare.childForFieldName('field')?.text ?? '')) return true;
  if (RING_BLOCK_TYPE.test(base.text)) return true;
  const root = rootIdentifier(base);
  return root !== undefined && RING_BLOCK_TYPE.test(declaredType(root, node)?.text ?? '');
}

const RING_BLOCK_TYPE = /tpacket|block_desc|bd_header/;

/** Text that `isRingBlockPath` can accept holds one of these: a file without any has no ring block path. */
export const RING_BLOCK_HINT = /h1|tpacket|block_desc|bd_header/;
