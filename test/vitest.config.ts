import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Here rather than at the top of the repository, whose layout is fixed: `npm test` and
// `npx vitest --config test/vitest.config.ts` name it. Test paths stay relative to the repository.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    // A directory for what the run makes once (the packed tarball, a copy nobody can run) and a
    // throwaway cache home.
    globalSetup: ['test/global-setup.ts'],
    // Many test files wait more than they compute (rings fed at a paced rate, npm installs, child
    // processes): vitest's default of one worker per core but one would run them one after the other.
    maxWorkers: 3,
    // A first test that builds a TypeScript program or spawns the CLI takes seconds of CPU; beside
    // two other workers on a small machine vitest's 5 s default would fail it for being slow.
    testTimeout: 30_000,
  },
});
