#!/usr/bin/env node
'use strict';
// Runs a TypeScript entry point (benchmarks, scripts) through tsx without a build step.
const path = require('node:path');
require('tsx/cjs');
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: run-ts <file.ts> [args...]\n');
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
