// Every CLI command, one module each. Adding a command is adding a line here.

import type { CommandModule } from 'yargs';
import { scanCommand } from './scan.js';
import { lookupCommand } from './lookup.js';
import { gitCommand } from './git.js';
import { baselineCommand } from './baseline.js';
import { installHookCommand } from './install-hook.js';
import { mergeCommand } from './merge.js';
import { revokeCommand } from './revoke.js';
import { rulesCommand } from './rules.js';

export const commands: CommandModule[] = [
  scanCommand,
  gitCommand,
  baselineCommand,
  installHookCommand,
  lookupCommand,
  mergeCommand,
  revokeCommand,
  rulesCommand,
];
