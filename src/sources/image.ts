// Container image configs (docker save, OCI layout): secrets baked in with ENV, LABEL or a RUN
// line outlive the layer that used them. Layers themselves are tars, opened like any archive.

import type { EmbeddedText } from '../text/sourcemap.js';

interface ImageConfig {
  config?: { Env?: unknown; Labels?: unknown; Cmd?: unknown; Entrypoint?: unknown };
  container_config?: ImageConfig['config'];
  history?: unknown;
  rootfs?: { diff_ids?: unknown };
}

/**
 * An image config's ENV, labels, command and history, one text each with one item per line
 * (`config.Env` line 3 is the third variable), or undefined when `json` is not an image config.
 */
export function imageConfigParts(json: unknown): EmbeddedText[] | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const img = json as ImageConfig;
  if (!img.rootfs || typeof img.rootfs !== 'object' || !Array.isArray(img.rootfs.diff_ids)) return undefined;
  const cfg = img.config ?? img.container_config ?? {};
  const out: EmbeddedText[] = [];
  const lines = (v: unknown): string[] =>
    Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.replace(/\n/g, ' ') : '')) : [];
  const env = lines(cfg.Env);
  if (env.length) out.push({ name: 'config.Env', text: env.join('\n') });
  if (cfg.Labels && typeof cfg.Labels === 'object')
    out.push({
      name: 'config.Labels',
      text: Object.entries(cfg.Labels as Record<string, unknown>)
        .map(([k, v]) => `${k}=${String(v).replace(/\n/g, ' ')}`)
        .join('\n'),
    });
  const cmd = [...lines(cfg.Entrypoint), ...lines(cfg.Cmd)];
  if (cmd.length) out.push({ name: 'config.Cmd', text: cmd.join(' ') });
  if (Array.isArray(img.history)) {
    const history = img.history.map((h: { created_by?: unknown }) =>
      typeof h?.created_by === 'string' ? h.created_by.replace(/\n/g, ' ') : '',
    );
    if (history.some(Boolean)) out.push({ name: 'history', text: history.join('\n') });
  }
  return out;
}
