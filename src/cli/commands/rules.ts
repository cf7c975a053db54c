// `leakradius rules`: the catalog, one line per rule (id, provider, confidence, tier, lookup).

import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { catalogSummary, type Catalog } from '../../providers/catalog.js';
import { setExitCode } from '../options.js';
import { EXIT_CLEAN, printWarning } from '../output.js';
import { VERSION } from '../../package/version.js';

interface RulesArgs {
  format: 'text' | 'json';
  json: boolean;
  provider?: string;
  rules?: string;
  config?: string;
}

const COLUMNS = ['ID', 'PROVIDER', 'CONFIDENCE', 'TIER', 'LOOKUP'] as const;

export function renderCatalog(catalog: Catalog): string {
  const rows = catalog.rules.map((e) => [e.id, e.provider, e.confidence, e.tier ?? '-', e.lookup ? 'yes' : 'no']);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(COLUMNS), ...rows.map(line), '', catalogSummary(catalog)].join('\n');
}

export const rulesCommand: CommandModule = {
  command: 'rules',
  describe: 'List the detection rules: id, provider, confidence, tier and whether findings are looked up',
  builder: (y) =>
    y
      .option('provider', { alias: 'p', type: 'string', describe: 'Only rules of this provider (e.g. github, aws)' })
      .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const })
      .option('json', { type: 'boolean', default: false, describe: 'Same as --format json' })
      .option('rules', { type: 'string', describe: 'Directory of rule files to use instead of the built-in rules/' })
      .option('config', { alias: 'c', type: 'string', describe: 'Config file whose rules (and disabled_rules) apply' })
      .example('$0 rules --provider gitlab', 'The GitLab rules')
      .example('$0 rules --json | jq ".rules | length"', 'Count the rules'),
  handler: async (argv) => {
    const args = argv as unknown as RulesArgs;
    const [{ prepareEngine }, { ruleCatalog, filterByProvider }] = await Promise.all([
      import('../../scan/scan.js'),
      import('../../providers/catalog.js'),
    ]);
    const engine = await prepareEngine({ config: args.config, rulesDir: args.rules, onWarning: printWarning });
    let catalog = ruleCatalog(engine.rules);
    if (args.provider !== undefined) {
      catalog = filterByProvider(catalog, args.provider);
      if (catalog.rules.length === 0)
        throw new UsageError(`--provider ${args.provider}: no rule has that provider (see "leakradius rules")`);
    }
    if (args.json || args.format === 'json') {
      const { rules, providers } = catalog;
      const counts = {
        rules: rules.length,
        providers: providers.length,
        lookup: rules.filter((e) => e.lookup).length,
      };
      const tool = { name: 'leakradius', version: VERSION };
      process.stdout.write(JSON.stringify({ schemaVersion: 1, tool, counts, providers, rules }, null, 2) + '\n');
    } else process.stdout.write(renderCatalog(catalog) + '\n');
    setExitCode(EXIT_CLEAN);
  },
};
