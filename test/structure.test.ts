// Structure checks: a bare token is reported only when its parts decode the way the format says.

import { describe, expect, it } from 'vitest';
import { discordBotTokenShape, unsignedJwtShape } from '../src/detect/checksum.js';
import { Detector, scanBuffer } from '../src/detect/index.js';
import { defaultRulesDir, loadRulesFromDir, parseRuleFile } from '../src/detect/rules.js';
import { b64url } from '../src/detect/template.js';
import { token } from './helpers.js';

const rules = loadRulesFromDir(defaultRulesDir());
const detector = new Detector(rules);
const found = (text: string) => scanBuffer(detector, text).map((c) => c.ruleId);

/** A Discord-shaped token from its parts: user id, timestamp (seconds since 2011) and HMAC. */
function discordToken(id: string, secondsSince2011: number): string {
  const stamp = Buffer.alloc(4);
  stamp.writeUInt32BE(secondsSince2011);
  return `${b64url(id)}.${b64url(stamp)}.${token('{{b64url:38}}', id)}`;
}
// A snowflake created 2021-06-01 (ms since 2015-01-01, shifted 22 bits).
const ID_2021 = ((BigInt(Date.UTC(2021, 5, 1)) - 1420070400000n) << 22n).toString();
const SINCE_2011 = (ms: number) => Math.floor(ms / 1000) - 1293840000;

describe('Discord bot token structure', () => {
  it('accepts an id that decodes to a past snowflake and a timestamp after it', () => {
    expect(discordBotTokenShape(discordToken(ID_2021, SINCE_2011(Date.UTC(2022, 0, 1))))).toBe(true);
    for (let i = 0; i < 20; i++) expect(discordBotTokenShape(token('{{discord}}', i))).toBe(true);
  });

  it('rejects an id that is not a decimal snowflake, a token older than its id, and a future id', () => {
    const notDigits = `${token('MT{{b64url:22}}', 1)}.G${token('{{b64url:5}}', 2)}.${token('{{b64url:38}}', 3)}`;
    expect(discordBotTokenShape(notDigits)).toBe(false);
    expect(discordBotTokenShape(discordToken(ID_2021, SINCE_2011(Date.UTC(2019, 0, 1))))).toBe(false);
    const future = ((BigInt(Date.now() + 30 * 86_400_000) - 1420070400000n) << 22n).toString();
    expect(discordBotTokenShape(discordToken(future, SINCE_2011(Date.now())))).toBe(false);
  });

  it('finds a valid token with no "discord" anywhere near, and not a random dotted string of the same shape', () => {
    const good = token('{{discord}}', 'bare');
    expect(found(`const TOKEN = "${good}";`)).toEqual(['discord-bot-token-bare']);
    const bad = `${b64url('12345678901234567x')}.${token('{{b64url:6}}', 4)}.${token('{{b64url:38}}', 5)}`;
    expect(found(`const TOKEN = "${bad}";`)).toEqual([]);
  });
});

describe('a failed structure check', () => {
  it('hides nothing: a Discord-shaped string near "discord" that fails the check is found by the keyword rule', () => {
    // "MTA" wakes the bare rule; its id does not decode, so the keyword rule's match must survive.
    const shaped = `MTA${token('{{an:21}}', 6)}.G${token('{{an:5}}', 7)}.${token('{{an:38}}', 8)}`;
    expect(found(`import discord\nclient.run("${shaped}")`)).toEqual(['discord-bot-token']);
  });
});

describe('unsigned JWT structure', () => {
  it('accepts alg "none" with JSON header and payload and an empty signature', () => {
    expect(unsignedJwtShape(token('{{jwt-none}}', 1))).toBe(true);
    expect(found(`Authorization: Bearer ${token('{{jwt-none}}', 2)}`)).toContain('jwt-unsigned');
  });

  it('rejects a signed token, a payload that is not JSON and an HS256 header', () => {
    const none = b64url('{"alg":"none","typ":"JWT"}');
    expect(unsignedJwtShape(`${none}.${token('{{b64url:40}}', 3)}.`)).toBe(false);
    expect(unsignedJwtShape(`${b64url('{"alg":"HS256"}')}.${b64url('{"sub":"a"}')}.`)).toBe(false);
    expect(unsignedJwtShape(`${none}.${b64url('{"sub":"a"}')}.${token('{{b64url:43}}', 4)}`)).toBe(false);
  });
});

describe('the structure key of a rule', () => {
  it('must name a known check', () => {
    const yaml = [
      'rules:',
      '  - id: x',
      '    name: X',
      "    pattern: '(x_[a-z]{8})'",
      '    keywords: [x_]',
      '    structure: crc64',
      "    examples: ['{{lower:8}}']",
      "    negative_examples: ['y']",
      '',
    ].join('\n');
    expect(() => parseRuleFile(yaml, 'x.yml')).toThrow(/x\.yml: rule "x": structure/);
  });
});
