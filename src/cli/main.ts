#!/usr/bin/env node
import { startEarlyStampCheck } from '../cache/scan-cache.js';

// A scan answered from the cache spends most of its time checking the tree's stamps; that needs
// nothing of the CLI, so it starts now and runs on the other cores while the CLI loads.
startEarlyStampCheck(process.argv.slice(2), process.cwd());
await import('./program.js');
