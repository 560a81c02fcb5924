#!/usr/bin/env node
import { main } from './main.js';
import { processIo } from './node-io.js';

// `mpst ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = main(process.argv.slice(2), processIo());
