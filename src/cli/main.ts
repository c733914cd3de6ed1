#!/bin/sh
//bin/true; [ -n "${NODE_EXTRA_CA_CERTS-}" ] && export RINGLINT_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"; NODE_EXTRA_CA_CERTS= exec node "$0" "$@"
// The two lines above are sh (the second is a comment to JavaScript): ringlint makes no TLS
// connections, and Node, started with NODE_EXTRA_CA_CERTS set, loads that certificate bundle before
// running any code: 80 ms of a cached scan's 200 on a machine with a system bundle. Programs
// ringlint starts get the variable back.
if (process.env.RINGLINT_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.RINGLINT_EXTRA_CA_CERTS;
  delete process.env.RINGLINT_EXTRA_CA_CERTS;
} else if (process.env.NODE_EXTRA_CA_CERTS === '') {
  delete process.env.NODE_EXTRA_CA_CERTS;
}

// A scan answered from the cache spends most of its time checking the tree's stamps, and one the
// cache cannot answer walking the tree; neither needs the CLI, so it starts now and runs on the
// other cores while the CLI loads. Before each starts, only the modules it needs load.
const args = process.argv.slice(2);
const checking = !args.includes('--no-cache') && (await import('../cache/scan-cache.js')).startEarlyStampCheck(args, process.cwd());
if (!checking && args[0] === 'scan') (await import('./early-walk.js')).startEarlyWalk(args, process.cwd());
// Before anything is printed: a closed pipe or a full disk on standard output ends the run cleanly.
(await import('./standard-streams.js')).guardStandardStreams();
await import('./program.js');
