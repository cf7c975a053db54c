// What the lookup tables share: scope maps and small readers of provider answers.

import type { Access, Grant } from '../../types.js';
import type { ScopeMap } from './declarative.js';

export const READ_WRITE_ADMIN = (admin: RegExp, write: RegExp): ScopeMap => [
  [admin, 'admin'],
  [write, 'write'],
];
export const grant = (resource: string, access: Access): Grant => ({ resource, access });
export const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String((x as { handle?: unknown })?.handle ?? x))) : [];
export const csv = (h: string | null): string[] | undefined =>
  h === null
    ? undefined
    : h
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

export const TWILIO_KEY_SID = /^SK[0-9a-f]{32}$/;
export const SLACK_MAP = READ_WRITE_ADMIN(/^admin/, /:write|^incoming-webhook$|^chat:write|^files:write/);
