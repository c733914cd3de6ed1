import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The tests of the packed package share one `npm pack`, made when the first of them asks.
    globalSetup: ['test/package/pack-directory.ts'],
  },
});
