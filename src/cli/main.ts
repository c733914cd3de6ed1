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

// The cache's stamp check or the tree's walk starts before the CLI loads (prestart.ts): only the
// modules they need load first, then the rest.
const prestart = (await import('./prestart.js')).startPrestart(process.argv.slice(2), process.cwd());
// Before anything is printed: a closed pipe or a full disk on standard output ends the run cleanly.
(await import('./standard-streams.js')).guardStandardStreams();
await (await import('./program.js')).runProgram(process.argv, prestart);
