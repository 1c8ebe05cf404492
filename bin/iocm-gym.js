#!/usr/bin/env node
// The package's command-line entry: runs the compiled CLI (npm run build writes dist/).
import { main } from '../dist/experiments/cli.js';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
