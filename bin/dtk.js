#!/usr/bin/env node
'use strict';
// The CLI runs straight from TypeScript sources (no build step after `npm install`):
// tsx registers a require hook that transpiles service/ and common/ on load.
require('tsx/cjs');
require('../service/src/cli/main.ts');
