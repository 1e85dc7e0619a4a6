#!/usr/bin/env node
// Built by `npm install` (the prepare script compiles src/ into dist/).
import {main} from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
