// Every CLI command, one module each. Adding a command is adding a line here.

import type { CommandModule } from 'yargs';
import { scanCommand } from './scan.js';

export const commands: CommandModule[] = [scanCommand];
