import { main } from './main.js';

// A closed pipe (`leakradius scan . | head`) ends output quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// The arguments after node and the script (what yargs' hideBin returns under node; yargs/helpers
// would load yargs' parser, which the pre-commit hook does not need).
// No top-level await: the bundles (scripts/bundle.mjs) are CommonJS, as Node's single executable needs.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Done: exit once stdout and stderr are written out, instead of letting Node free its heap and
  // close every handle first (~10 ms CPU and 10-30 ms wall of each pre-commit hook run).
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
