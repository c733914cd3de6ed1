#!/bin/sh
//bin/true; [ -n "${NODE_EXTRA_CA_CERTS-}" ] && export RINGLINT_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"; NODE_EXTRA_CA_CERTS= exec node "$0" "$@"
// The two lines above are sh (the second is a comment to JavaScript): ringlint makes no TLS
// connections, and Node, started with NODE_EXTRA_CA_CERTS set, loads that certificate bundle before
// running any code: with a system bundle, a large share of a cached scan's time. Programs ringlint
// starts get the variable back.
if (process.env.RINGLINT_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.RINGLINT_EXTRA_CA_CERTS;
  delete process.env.RINGLINT_EXTRA_CA_CERTS;
} else if (process.env.NODE_EXTRA_CA_CERTS === '') {
  delete process.env.NODE_EXTRA_CA_CERTS;
}

// What the run will wait for starts before the CLI loads (prestart.ts), each with only the modules
// it needs: first the cache's stamp check, which runs only when this very command line left a hint
// (a scan or review that used the cache), then the tree's walk.
const args = process.argv.slice(2);
const stampCheck = (await import('../cache/early-stamp-check.js')).EarlyStampCheck.start(args, process.cwd());
const prestart = (await import('./prestart.js')).startPrestart(args, process.cwd(), stampCheck);
// Before anything is printed: a closed pipe or a full disk on standard output ends the run cleanly.
(await import('./standard-streams.js')).guardStandardStreams();
await (await import('./program.js')).runProgram(process.argv, prestart);
