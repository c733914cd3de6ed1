// A launcher that cannot be started (not executable): the supervisor says so by throwing, and the
// 'error' Node emits for the failed spawn on the next tick is heard, not left to crash the check.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SupervisedConsumer } from '../../src/runtime/consumer-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ringlint-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SupervisedConsumer', () => {
  it('throws for a launcher that could not be started, and hears its spawn error', async () => {
    const launcher = join(dir, 'not-executable');
    writeFileSync(launcher, '#!/bin/sh\n');
    chmodSync(launcher, 0o644);
    const child = spawn(launcher, [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(() => new SupervisedConsumer(child)).toThrow('the consumer could not be started');
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => child.once('error', resolve));
    expect(error.code).toBe('EACCES');
    expect(child.listenerCount('error')).toBe(1);
  });
});
