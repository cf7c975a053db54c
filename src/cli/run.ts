import { runAndExit } from './main.js';

// The arguments after node and the script (what yargs' hideBin returns under node; yargs/helpers
// would load yargs' parser, which the pre-commit hook does not need).
// No top-level await: the bundles (scripts/bundle.mjs) are CommonJS, as Node's single executable needs.
runAndExit(process.argv.slice(2));
