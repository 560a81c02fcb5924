#!/usr/bin/env node
import { main } from './main.js';
import { processIo } from './node-io.js';

process.exitCode = main(process.argv.slice(2), processIo());
