import { main } from './main.js';
import { errorMessage } from '../errors.js';
import { EXIT_USAGE } from './output.js';

// A closed pipe (`leakradius scan . | head`) ends output quietly, with the exit code of what was
// found so far (finishRun sets it before each write); any other failure to write stdout (a full
// disk) means the report is lost: say so and exit 2, never the findings code or a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`leakradius: error: cannot write the report to stdout: ${errorMessage(err)}\n`);
  process.exit(EXIT_USAGE);
});

// The arguments after node and the script (what yargs' hideBin returns under node; yargs/helpers
// would load yargs' parser, which the pre-commit hook does not need).
// No top-level await: the bundles (scripts/bundle.mjs) are CommonJS, as Node's single executable needs.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Done: exit once stdout and stderr are written out, instead of letting Node free its heap and
  // close every handle first (~10 ms CPU and 10-30 ms wall of each pre-commit hook run). A failed
  // write is left to the stdout error handler above, which decides the exit code.
  process.stdout.write('', (err) => {
    if (!err) process.stderr.write('', () => process.exit(code));
  });
});
