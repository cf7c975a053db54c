import { hideBin } from 'yargs/helpers';
import { main } from './main.js';

// A closed pipe (`leakradius scan . | head`) ends output quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const code = await main(hideBin(process.argv));
process.exitCode = code;
