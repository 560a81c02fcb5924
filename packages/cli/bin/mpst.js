#!/usr/bin/env node
// `node packages/cli/bin/mpst.js ...` in a checkout (as the docs and scripts write it): the
// package's bin is mpst.cjs beside this file, which this runs.
import './mpst.cjs';
