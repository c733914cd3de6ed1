/**
 * npm run pre-commit-mirror -- <mirror checkout or new directory>: generates the pre-commit mirror
 * (mirror.ts) from this repository's build, commits it there and tags it v<version>. Push the
 * branch and the tag to publish.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMirror } from './mirror.js';

const output = process.argv.slice(2).find((argument) => argument !== '--');
if (output === undefined) {
  process.stderr.write('usage: npm run pre-commit-mirror -- <mirror checkout or new directory>\n');
  process.exit(2);
}
try {
  const mirror = await generateMirror({ repository: fileURLToPath(new URL('../..', import.meta.url)), output });
  process.stdout.write(`ringlint ${mirror.version}: committed ${mirror.commit} in ${resolve(output)}, tagged ${mirror.tag}\n`);
} catch (error) {
  process.stderr.write(`pre-commit-mirror: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
