import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Here rather than at the top of the repository, whose layout is fixed: `npm test` and
// `npx vitest --config test/vitest.config.ts` name it. Test paths stay relative to the repository.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    // The tests of the packed package share one `npm pack`, made when the first of them asks.
    globalSetup: ['test/package/pack-directory.ts'],
  },
});
