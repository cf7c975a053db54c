const __leakradius_import_meta_url = require('node:url').pathToFileURL(__filename).href;
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// <define:LEAKRADIUS_BUNDLE>
var define_LEAKRADIUS_BUNDLE_default;
var init_define_LEAKRADIUS_BUNDLE = __esm({
  "<define:LEAKRADIUS_BUNDLE>"() {
    define_LEAKRADIUS_BUNDLE_default = { version: "0.2.0" };
  }
});

// <define:LEAKRADIUS_RE2_NATIVE>
var define_LEAKRADIUS_RE2_NATIVE_default;
var init_define_LEAKRADIUS_RE2_NATIVE = __esm({
  "<define:LEAKRADIUS_RE2_NATIVE>"() {
    define_LEAKRADIUS_RE2_NATIVE_default = { platform: "linux", arch: "x64", modules: "137", version: "1.27.1" };
  }
});

// src/detect/checksum.ts
function crc32(text) {
  const bytes2 = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  let crc = 4294967295;
  for (let i = 0; i < bytes2.length; i++) crc = CRC_TABLE[(crc ^ bytes2[i]) & 255] ^ crc >>> 8;
  return (crc ^ 4294967295) >>> 0;
}
function base62(value, width) {
  let out = "";
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, "0");
}
function base62Crc32Valid(token, prefix) {
  const body = token.slice(prefix.length);
  if (body.length !== 36) return false;
  const random = body.slice(0, 30);
  return base62(crc32(random), 6) === body.slice(30);
}
function grafanaValid(token) {
  const m = /^(glsa_[A-Za-z0-9]{32})_([0-9a-f]{8})$/.exec(token);
  if (!m) return false;
  return littleEndianHex(crc32(m[1])) === m[2];
}
function littleEndianHex(value) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b.toString("hex");
}
function gitlabRoutableValid(token) {
  const m = /^(.+)\.([0-9a-z]{2})([0-9a-z]{7})$/.exec(token);
  if (!m) return false;
  const length = parseInt(m[2], 36);
  if (length < 27 || length > m[1].length) return false;
  return crc32(`${m[1]}.${m[2]}`).toString(36).padStart(7, "0") === m[3];
}
function cloudflareValid(token) {
  const m = /^cf(?:ut|at|k)_([A-Za-z0-9]{40})([0-9a-f]{8})$/.exec(token);
  if (!m) return false;
  return crc32(m[1]).toString(16).padStart(8, "0") === m[2];
}
function validate(name, secret) {
  return VALIDATORS[name](secret);
}
function discordBotTokenShape(token, now = Date.now()) {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const id = Buffer.from(parts[0], "base64url").toString("latin1");
  if (!/^[1-9][0-9]{16,19}$/.test(id)) return false;
  const created = Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
  if (created > now + 864e5) return false;
  const stamp = Buffer.from(parts[1], "base64url");
  if (stamp.length !== 4) return false;
  const v = stamp.readUInt32BE(0);
  const plausible = (seconds) => seconds * 1e3 >= created - 864e5 && seconds * 1e3 <= now + 864e5;
  return plausible(v + DISCORD_TOKEN_EPOCH_S) || plausible(v);
}
function unsignedJwtShape(token) {
  const [h, p, sig] = token.split(".");
  if (!h || !p || sig) return false;
  try {
    const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    const object = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
    return object(header) && object(payload) && String(header.alg).toLowerCase() === "none";
  } catch {
    return false;
  }
}
function basicAuthParts(token) {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return void 0;
  const text = Buffer.from(token, "base64").toString("latin1");
  const m = /^([\x21-\x39\x3b-\x7e]{1,256}):([\x20-\x7e]{1,4096})$/.exec(text);
  return m ? { user: m[1], password: m[2] } : void 0;
}
function hasStructure(name, secret) {
  return STRUCTURES[name](secret);
}
var CRC_TABLE, BASE62, VALIDATORS, VALIDATOR_NAMES, DISCORD_EPOCH_MS, DISCORD_TOKEN_EPOCH_S, STRUCTURES, STRUCTURE_NAMES;
var init_checksum = __esm({
  "src/detect/checksum.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    CRC_TABLE = (() => {
      const table = new Uint32Array(256);
      for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
        table[n] = c >>> 0;
      }
      return table;
    })();
    BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    VALIDATORS = {
      github: (s) => {
        const prefix = /^gh[pousr]_/.exec(s)?.[0];
        return prefix !== void 0 && base62Crc32Valid(s, prefix);
      },
      npm: (s) => s.startsWith("npm_") && base62Crc32Valid(s, "npm_"),
      grafana: grafanaValid,
      gitlab: gitlabRoutableValid,
      cloudflare: cloudflareValid
    };
    VALIDATOR_NAMES = Object.keys(VALIDATORS);
    DISCORD_EPOCH_MS = 1420070400000n;
    DISCORD_TOKEN_EPOCH_S = 129384e4;
    STRUCTURES = {
      "discord-bot-token": (s) => discordBotTokenShape(s),
      "jwt-unsigned": unsignedJwtShape,
      "basic-auth": (s) => basicAuthParts(s) !== void 0
    };
    STRUCTURE_NAMES = Object.keys(STRUCTURES);
  }
});

// src/detect/composite.ts
function compositesOf(rules2) {
  const ids = new Set(rules2.filter((r) => !r.composite).map((r) => r.id));
  const out = [];
  for (const r of rules2) {
    if (r.composite?.parts.every((p) => ids.has(p)))
      out.push({ rule: r, parts: r.composite.parts, withinLines: r.composite.withinLines });
  }
  return out;
}
function combineParts(detector2, cands, spans) {
  if (!cands.some((c) => detector2.parts.has(c.ruleId))) return cands;
  const used = /* @__PURE__ */ new Set();
  const replaced = /* @__PURE__ */ new Map();
  const consumed = [];
  const claimed = /* @__PURE__ */ new Set();
  cands.forEach((c, i) => {
    if (!detector2.partOnly.has(c.ruleId)) return;
    const m = spans[i];
    const byProvider = cands.some(
      (o, j) => j !== i && !detector2.partOnly.has(o.ruleId) && detector2.ruleById(o.ruleId)?.confidence === "high" && spans[j].start < m.end && m.start < spans[j].end
    );
    if (byProvider) claimed.add(i);
  });
  for (const spec of detector2.composites) {
    const byPart = spec.parts.map((p) => {
      const idx = [];
      cands.forEach((c, i) => c.ruleId === p && !claimed.has(i) && idx.push(i));
      return idx;
    });
    if (byPart.some((l) => l.length === 0)) continue;
    for (const anchor of byPart[0]) {
      if (used.has(anchor)) continue;
      const line = cands[anchor].line;
      const chosen = [anchor];
      for (const list of byPart.slice(1)) {
        let best = -1;
        for (const i of list) {
          if (used.has(i) || chosen.some((j) => spans[j].start === spans[i].start)) continue;
          const d = Math.abs(cands[i].line - line);
          if (d <= spec.withinLines && (best === -1 || d < Math.abs(cands[best].line - line))) best = i;
        }
        if (best === -1) break;
        chosen.push(best);
      }
      if (chosen.length !== spec.parts.length) continue;
      const lines = chosen.map((i) => cands[i].line);
      if (Math.max(...lines) - Math.min(...lines) > spec.withinLines) continue;
      const first = Math.min(...chosen);
      const at = cands[first];
      for (const i of chosen) {
        used.add(i);
        consumed.push(spans[i]);
      }
      const partLines = chosen.map((i) => cands[i].line - at.line);
      replaced.set(first, {
        ruleId: spec.rule.id,
        secret: chosen.map((i) => cands[i].secret).join("\n"),
        line: at.line,
        column: at.column,
        excerpt: at.excerpt,
        partLines
      });
    }
  }
  const out = [];
  cands.forEach((c, i) => {
    const composite = replaced.get(i);
    if (composite) return out.push(composite);
    if (used.has(i)) return;
    const m = spans[i];
    if (consumed.some((p) => m.start < p.end && p.start < m.end)) return;
    if (detector2.partOnly.has(c.ruleId)) return;
    out.push(c);
  });
  return out;
}
var init_composite = __esm({
  "src/detect/composite.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
  }
});

// scripts/bundle/re2-native.cjs
var require_re2_native = __commonJS({
  "scripts/bundle/re2-native.cjs"(exports2, module2) {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var { existsSync } = require("node:fs");
    var { join: join3 } = require("node:path");
    var { execFileSync } = require("node:child_process");
    var shipped = define_LEAKRADIUS_RE2_NATIVE_default;
    function warn(message) {
      const prefix = process.env.GITHUB_ACTIONS === "true" ? "::warning::leakradius: " : "leakradius: warning: ";
      process.stderr.write(`${prefix}${message}
`);
    }
    function load() {
      const here2 = { platform: process.platform, arch: process.arch, modules: process.versions.modules };
      if (here2.platform === shipped.platform && here2.arch === shipped.arch && here2.modules === shipped.modules) {
        return require(join3(__dirname, "re2.node"));
      }
      const prefix = join3(__dirname, "re2-fallback");
      const built = join3(prefix, "node_modules", "re2", "build", "Release", "re2.node");
      if (!existsSync(built)) {
        warn(
          `the bundled re2.node is for ${shipped.platform}-${shipped.arch}, Node ABI ${shipped.modules}; this is ${here2.platform}-${here2.arch}, Node ABI ${here2.modules}: installing re2@${shipped.version} with npm into ${prefix} (once; re2 downloads a prebuilt binary where one exists, else builds it, which takes minutes)`
        );
        const args = ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund"];
        execFileSync("npm", [...args, "--loglevel=error", `re2@${shipped.version}`], {
          stdio: ["ignore", 2, 2],
          shell: process.platform === "win32"
        });
      }
      return require(built);
    }
    module2.exports = load();
  }
});

// node_modules/re2/re2.js
var require_re2 = __commonJS({
  "node_modules/re2/re2.js"(exports2, module2) {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var RE26 = require_re2_native();
    var setAliases = (object, dict) => {
      for (let [name, alias] of Object.entries(dict)) {
        Object.defineProperty(
          object,
          alias,
          Object.getOwnPropertyDescriptor(object, name)
        );
      }
    };
    setAliases(RE26.prototype, {
      match: Symbol.match,
      search: Symbol.search,
      replace: Symbol.replace,
      split: Symbol.split
    });
    RE26.prototype[Symbol.matchAll] = function* (str) {
      if (!this.global)
        throw TypeError(
          "String.prototype.matchAll() is called with a non-global RE2 argument"
        );
      str = String(str);
      const re = new RE26(this);
      re.lastIndex = this.lastIndex;
      for (; ; ) {
        const result = re.exec(str);
        if (!result) break;
        if (!result[0])
          re.lastIndex += str.codePointAt(re.lastIndex) > 65535 ? 2 : 1;
        yield result;
      }
    };
    module2.exports = RE26;
    module2.exports.RE2 = RE26;
  }
});

// src/text/sorted.ts
function lastAtMost(sorted, value) {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = lo + hi + 1 >> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
var init_sorted = __esm({
  "src/text/sorted.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
  }
});

// src/detect/sorted.ts
var init_sorted2 = __esm({
  "src/detect/sorted.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_sorted();
  }
});

// node_modules/@noble/hashes/utils.js
function isBytes(a) {
  return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in a && a.BYTES_PER_ELEMENT === 1;
}
function anumber(n, title = "") {
  if (typeof n !== "number")
    throw new TypeError(atitle(title) + "expected number, got " + typeof n);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(atitle(title) + "expected integer >= 0, got " + n);
  return n;
}
function abytes(value, length, title = "") {
  if (isBytes(value) && (length === void 0 || value.length === length))
    return value;
  if (length !== void 0)
    anumber(length, "length");
  const bytes2 = isBytes(value);
  const ofLen = length !== void 0 ? ` of length ${length}` : "";
  const got = bytes2 ? `length=${value.length}` : `type=${typeof value}`;
  const message = atitle(title) + "expected Uint8Array" + ofLen + ", got " + got;
  if (!bytes2)
    throw new TypeError(message);
  throw new RangeError(message);
}
function aexists(instance, checkFinished = true) {
  if (instance.destroyed)
    throw new Error("hash was destroyed");
  if (checkFinished && instance.finished)
    throw new Error("digest() was already called");
}
function aoutput(out, instance) {
  abytes(out, void 0, "output");
  const min = instance.outputLen;
  if (!(out.length >= min)) {
    throw new RangeError('"output" expected length >= ' + min);
  }
}
function clean(...arrays) {
  for (let i = 0; i < arrays.length; i++) {
    arrays[i].fill(0);
  }
}
function createView(arr) {
  return new DataView(arr.buffer, arr.byteOffset, arr.byteLength);
}
function rotr(word, shift) {
  return word << 32 - shift | word >>> shift;
}
function rotl(word, shift) {
  return word << shift | word >>> 32 - shift >>> 0;
}
function bytesToHex(bytes2) {
  abytes(bytes2);
  if (hasHexBuiltin)
    return bytes2.toHex();
  let hex = "";
  for (let i = 0; i < bytes2.length; i++) {
    hex += hexes[bytes2[i]];
  }
  return hex;
}
function utf8ToBytes(str) {
  if (typeof str !== "string")
    throw new TypeError("string expected");
  const encoded = new TextEncoder().encode(str);
  try {
    return new Uint8Array(encoded);
  } finally {
    clean(encoded);
  }
}
function checkOpts(defaults, opts, title = "opts") {
  aopts(defaults, "defaults");
  if (opts !== void 0)
    aopts(opts, title);
  const merged = Object.assign(/* @__PURE__ */ Object.create(null), defaults, opts);
  return merged;
}
function createHasher(hashCons, info = {}) {
  if (typeof hashCons !== "function")
    throw new TypeError('"hashCons" expected function, got type=' + typeof hashCons);
  info = checkOpts({}, info, "info");
  const hashC = (msg, opts) => hashCons(opts).update(msg).digest();
  const tmp = hashCons(void 0);
  hashC.outputLen = tmp.outputLen;
  hashC.blockLen = tmp.blockLen;
  hashC.canXOF = tmp.canXOF;
  hashC.create = (opts) => hashCons(opts);
  Object.assign(hashC, info);
  return Object.freeze(hashC);
}
var atitle, aobject, aopts, hasHexBuiltin, hexes, oidNist;
var init_utils = __esm({
  "node_modules/@noble/hashes/utils.js"() {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    atitle = (title) => title ? `"${title}" ` : "";
    aobject = (value, label) => {
      if (value === null || typeof value !== "object" || Array.isArray(value))
        throw new TypeError((label === "object" ? "" : `"${label}" `) + "expected object, got type=" + typeof value);
    };
    aopts = (value, label) => {
      aobject(value, label);
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(`"${label}" expected plain object`);
      if (Object.hasOwn(value, "__proto__"))
        throw new TypeError(`"${label}.__proto__" is not allowed`);
    };
    hasHexBuiltin = /* @__PURE__ */ (() => (
      // @ts-ignore
      typeof Uint8Array.from([]).toHex === "function" && typeof Uint8Array.fromHex === "function"
    ))();
    hexes = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
    oidNist = (suffix) => ({
      // Current NIST hashAlgs suffixes used here fit in one DER subidentifier octet.
      // Larger suffix values would need base-128 OID encoding and a different length byte.
      oid: Uint8Array.from([6, 9, 96, 134, 72, 1, 101, 3, 4, 2, suffix])
    });
  }
});

// node_modules/@noble/hashes/_u64.js
function setU64FromNum(view, byteOffset, n, isLE) {
  const h = fromNumH(n);
  const l = fromNumL(n);
  view.setUint32(byteOffset, isLE ? l : h, isLE);
  view.setUint32(byteOffset + 4, isLE ? h : l, isLE);
}
var fromNumH, fromNumL;
var init_u64 = __esm({
  "node_modules/@noble/hashes/_u64.js"() {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    fromNumH = (n) => n / 2 ** 32 | 0;
    fromNumL = (n) => n >>> 0;
  }
});

// node_modules/@noble/hashes/_md.js
function Chi(a, b, c) {
  return a & b ^ ~a & c;
}
function Maj(a, b, c) {
  return a & b ^ a & c ^ b & c;
}
var HashMD, SHA256_IV;
var init_md = __esm({
  "node_modules/@noble/hashes/_md.js"() {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_u64();
    init_utils();
    HashMD = class {
      blockLen;
      outputLen;
      canXOF = false;
      padOffset;
      isLE;
      // For partial updates less than block size
      buffer;
      view;
      finished = false;
      length = 0;
      pos = 0;
      destroyed = false;
      constructor(blockLen, outputLen, padOffset, isLE) {
        this.blockLen = blockLen;
        this.outputLen = outputLen;
        this.padOffset = padOffset;
        this.isLE = isLE;
        this.buffer = new Uint8Array(blockLen);
        this.view = createView(this.buffer);
      }
      update(data) {
        aexists(this);
        abytes(data);
        const { view, buffer, blockLen } = this;
        const len = data.length;
        let processed = false;
        for (let pos = 0; pos < len; ) {
          const take = Math.min(blockLen - this.pos, len - pos);
          if (take === blockLen) {
            const dataView = createView(data);
            for (; blockLen <= len - pos; pos += blockLen)
              this.process(dataView, pos);
            processed = true;
            continue;
          }
          buffer.set(pos === 0 && take === len ? data : data.subarray(pos, pos + take), this.pos);
          this.pos += take;
          pos += take;
          if (this.pos === blockLen) {
            this.process(view, 0);
            this.pos = 0;
            processed = true;
          }
        }
        this.length += data.length;
        if (processed)
          this.roundClean();
        return this;
      }
      digestInto(out) {
        aexists(this);
        aoutput(out, this);
        this.finished = true;
        const { buffer, view, blockLen, isLE } = this;
        let { pos } = this;
        buffer[pos++] = 128;
        buffer.fill(0, pos);
        if (this.padOffset > blockLen - pos) {
          this.process(view, 0);
          buffer.fill(0);
        }
        setU64FromNum(view, blockLen - 8, this.length * 8, isLE);
        this.process(view, 0);
        this.roundClean();
        const oview = out === buffer ? view : createView(out);
        const len = this.outputLen;
        const outLen = len / 4;
        const state = this.get();
        if (len % 4 || outLen > state.length)
          throw new Error("invalid outputLen");
        for (let i = 0; i < outLen; i++)
          oview.setUint32(4 * i, state[i], isLE);
      }
      digest() {
        const { buffer, outputLen } = this;
        this.digestInto(buffer);
        const res = buffer.slice(0, outputLen);
        this.destroy();
        return res;
      }
      _cloneIntoMeta(to) {
        const { buffer, length, finished, destroyed, pos } = this;
        to.destroyed = destroyed;
        to.finished = finished;
        to.length = length;
        to.pos = pos;
        if (pos)
          to.buffer.set(buffer);
        return to;
      }
      clone() {
        return this._cloneInto();
      }
    };
    SHA256_IV = /* @__PURE__ */ Uint32Array.from([
      1779033703,
      3144134277,
      1013904242,
      2773480762,
      1359893119,
      2600822924,
      528734635,
      1541459225
    ]);
  }
});

// node_modules/@noble/hashes/legacy.js
var SHA1_IV, SHA1_W, _SHA1, sha1;
var init_legacy = __esm({
  "node_modules/@noble/hashes/legacy.js"() {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_md();
    init_utils();
    SHA1_IV = /* @__PURE__ */ Uint32Array.from([
      1732584193,
      4023233417,
      2562383102,
      271733878,
      3285377520
    ]);
    SHA1_W = /* @__PURE__ */ new Uint32Array(80);
    _SHA1 = class extends HashMD {
      A = SHA1_IV[0] | 0;
      B = SHA1_IV[1] | 0;
      C = SHA1_IV[2] | 0;
      D = SHA1_IV[3] | 0;
      E = SHA1_IV[4] | 0;
      constructor() {
        super(64, 20, 8, false);
      }
      get() {
        const { A, B, C, D, E } = this;
        return [A, B, C, D, E];
      }
      set(A, B, C, D, E) {
        this.A = A | 0;
        this.B = B | 0;
        this.C = C | 0;
        this.D = D | 0;
        this.E = E | 0;
      }
      _cloneInto(to) {
        (to ||= new this.constructor()).set(...this.get());
        return this._cloneIntoMeta(to);
      }
      process(view, offset) {
        for (let i = 0; i < 16; i++, offset += 4)
          SHA1_W[i] = view.getUint32(offset, false);
        for (let i = 16; i < 80; i++)
          SHA1_W[i] = rotl(SHA1_W[i - 3] ^ SHA1_W[i - 8] ^ SHA1_W[i - 14] ^ SHA1_W[i - 16], 1);
        let { A, B, C, D, E } = this;
        for (let i = 0; i < 80; i++) {
          let F, K;
          if (i < 20) {
            F = Chi(B, C, D);
            K = 1518500249;
          } else if (i < 40) {
            F = B ^ C ^ D;
            K = 1859775393;
          } else if (i < 60) {
            F = Maj(B, C, D);
            K = 2400959708;
          } else {
            F = B ^ C ^ D;
            K = 3395469782;
          }
          const T = rotl(A, 5) + F + E + K + SHA1_W[i] | 0;
          E = D;
          D = C;
          C = rotl(B, 30);
          B = A;
          A = T;
        }
        A = A + this.A | 0;
        B = B + this.B | 0;
        C = C + this.C | 0;
        D = D + this.D | 0;
        E = E + this.E | 0;
        this.set(A, B, C, D, E);
      }
      roundClean() {
        clean(SHA1_W);
      }
      destroy() {
        this.destroyed = true;
        this.set(0, 0, 0, 0, 0);
        clean(this.buffer);
      }
    };
    sha1 = /* @__PURE__ */ createHasher(() => new _SHA1());
  }
});

// node_modules/@noble/hashes/sha2.js
var SHA256_K, SHA256_W, SHA2_32B, _SHA256, sha256;
var init_sha2 = __esm({
  "node_modules/@noble/hashes/sha2.js"() {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_md();
    init_utils();
    SHA256_K = /* @__PURE__ */ Uint32Array.from([
      1116352408,
      1899447441,
      3049323471,
      3921009573,
      961987163,
      1508970993,
      2453635748,
      2870763221,
      3624381080,
      310598401,
      607225278,
      1426881987,
      1925078388,
      2162078206,
      2614888103,
      3248222580,
      3835390401,
      4022224774,
      264347078,
      604807628,
      770255983,
      1249150122,
      1555081692,
      1996064986,
      2554220882,
      2821834349,
      2952996808,
      3210313671,
      3336571891,
      3584528711,
      113926993,
      338241895,
      666307205,
      773529912,
      1294757372,
      1396182291,
      1695183700,
      1986661051,
      2177026350,
      2456956037,
      2730485921,
      2820302411,
      3259730800,
      3345764771,
      3516065817,
      3600352804,
      4094571909,
      275423344,
      430227734,
      506948616,
      659060556,
      883997877,
      958139571,
      1322822218,
      1537002063,
      1747873779,
      1955562222,
      2024104815,
      2227730452,
      2361852424,
      2428436474,
      2756734187,
      3204031479,
      3329325298
    ]);
    SHA256_W = /* @__PURE__ */ new Uint32Array(64);
    SHA2_32B = class extends HashMD {
      // We cannot use array here since array allows indexing by variable
      // which means optimizer/compiler cannot use registers.
      // Numeric initializers matter: starting the fields as `undefined` changes
      // V8's field representation and makes sha256 3x slower (measured).
      A = 0;
      B = 0;
      C = 0;
      D = 0;
      E = 0;
      F = 0;
      G = 0;
      H = 0;
      constructor(outputLen, IV) {
        super(64, outputLen, 8, false);
        this.A = IV[0] | 0;
        this.B = IV[1] | 0;
        this.C = IV[2] | 0;
        this.D = IV[3] | 0;
        this.E = IV[4] | 0;
        this.F = IV[5] | 0;
        this.G = IV[6] | 0;
        this.H = IV[7] | 0;
      }
      get() {
        const { A, B, C, D, E, F, G, H } = this;
        return [A, B, C, D, E, F, G, H];
      }
      // prettier-ignore
      set(A, B, C, D, E, F, G, H) {
        this.A = A | 0;
        this.B = B | 0;
        this.C = C | 0;
        this.D = D | 0;
        this.E = E | 0;
        this.F = F | 0;
        this.G = G | 0;
        this.H = H | 0;
      }
      _cloneInto(to) {
        (to ||= new this.constructor()).set(...this.get());
        return this._cloneIntoMeta(to);
      }
      process(view, offset) {
        for (let i = 0; i < 16; i++, offset += 4)
          SHA256_W[i] = view.getUint32(offset, false);
        for (let i = 16; i < 64; i++) {
          const W15 = SHA256_W[i - 15];
          const W2 = SHA256_W[i - 2];
          const s0 = rotr(W15, 7) ^ rotr(W15, 18) ^ W15 >>> 3;
          const s1 = rotr(W2, 17) ^ rotr(W2, 19) ^ W2 >>> 10;
          SHA256_W[i] = s1 + SHA256_W[i - 7] + s0 + SHA256_W[i - 16] | 0;
        }
        let { A, B, C, D, E, F, G, H } = this;
        for (let i = 0; i < 64; i++) {
          const sigma1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
          const T1 = H + sigma1 + Chi(E, F, G) + SHA256_K[i] + SHA256_W[i] | 0;
          const sigma0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
          const T2 = sigma0 + Maj(A, B, C) | 0;
          H = G;
          G = F;
          F = E;
          E = D + T1 | 0;
          D = C;
          C = B;
          B = A;
          A = T1 + T2 | 0;
        }
        A = A + this.A | 0;
        B = B + this.B | 0;
        C = C + this.C | 0;
        D = D + this.D | 0;
        E = E + this.E | 0;
        F = F + this.F | 0;
        G = G + this.G | 0;
        H = H + this.H | 0;
        this.set(A, B, C, D, E, F, G, H);
      }
      roundClean() {
        clean(SHA256_W);
      }
      destroy() {
        this.destroyed = true;
        this.set(0, 0, 0, 0, 0, 0, 0, 0);
        clean(this.buffer);
      }
    };
    _SHA256 = class extends SHA2_32B {
      constructor() {
        super(32, SHA256_IV);
      }
    };
    sha256 = /* @__PURE__ */ createHasher(
      () => new _SHA256(),
      /* @__PURE__ */ oidNist(1)
    );
  }
});

// src/secret/digest.ts
function digestHex(algorithm, parts) {
  if (!short(parts)) {
    const h2 = nodeCrypto().createHash(algorithm);
    for (const p of parts) h2.update(p);
    return h2.digest("hex");
  }
  const h = (algorithm === "sha256" ? sha256 : sha1).create();
  for (const p of parts) h.update(bytes(p));
  return bytesToHex(h.digest());
}
function sha256Hex(...parts) {
  return digestHex("sha256", parts);
}
function sha1Hex(...parts) {
  return digestHex("sha1", parts);
}
var import_node_module, requireLazy, cryptoModule, nodeCrypto, SHORT, bytes, short;
var init_digest = __esm({
  "src/secret/digest.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_node_module = require("node:module");
    init_legacy();
    init_sha2();
    init_utils();
    requireLazy = (0, import_node_module.createRequire)(__leakradius_import_meta_url);
    nodeCrypto = () => cryptoModule ??= require("node:crypto");
    SHORT = 16 * 1024;
    bytes = (part) => typeof part === "string" ? utf8ToBytes(part) : part;
    short = (parts) => {
      let n = 0;
      for (const p of parts) n += p.length;
      return n <= SHORT;
    };
  }
});

// src/detect/fixture.ts
function credentialStoreKind(path) {
  for (const [re, kind] of CREDENTIAL_STORE_FILES) if (re.test(path)) return kind;
  return void 0;
}
function madeUp(v) {
  const digits = v.replace(/[^0-9]/g, "");
  return LEET.some((leet) => {
    const letters = segments(v, leet).join("").toLowerCase();
    if (allFakeWords(letters)) return true;
    return DEFAULT_PASSWORDS.has(letters) && (digits.length <= 1 || digitSequence(digits));
  });
}
function digitSequence(digits) {
  if (digits.length < 3) return false;
  const step = digits.charCodeAt(1) - digits.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < digits.length; i++) if (digits.charCodeAt(i) - digits.charCodeAt(i - 1) !== step) return false;
  return true;
}
function allFakeWords(letters) {
  if (letters.length < 2) return false;
  const ok = new Array(letters.length + 1).fill(false);
  ok[0] = true;
  for (let i = 1; i <= letters.length; i++)
    for (let j = Math.max(0, i - LONGEST_FAKE_WORD); j < i && !ok[i]; j++)
      if (ok[j] && FAKE_WORD_SET.has(letters.slice(j, i))) ok[i] = true;
  return ok[letters.length];
}
function segments(value, leet) {
  const delet = !leet ? value : value.replace(/(?<=[A-Za-z][013457@$]*)[013457@$](?=[013457@$]*[A-Za-z])/g, (c) => leet[c] ?? c);
  return delet.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z\u00c0-\u024f]+/g) ?? [];
}
function pronounceable(seg) {
  const s = seg.toLowerCase();
  if (s.length < 3) return false;
  const vowels = (s.match(/[aeiouäöüéèáàíóú]/g) ?? []).length;
  if (vowels / s.length < 0.25 || /[^aeiouyäöüéèáàíóú]{4,}/.test(s)) return false;
  let common = 0;
  for (let i = 1; i < s.length; i++) if (COMMON_BIGRAMS.has(s.slice(i - 1, i + 1))) common++;
  return common >= (s.length - 1) * 0.75;
}
function sequentialOrRepeated(s) {
  const distinct = new Set(s).size;
  if (distinct <= 2 || distinct < 6 && distinct <= s.length / 3) return true;
  const lower = s.toLowerCase();
  let run = 1;
  for (let i = 1; i < lower.length; i++) {
    const d = lower.charCodeAt(i) - lower.charCodeAt(i - 1);
    run = Math.abs(d) === 1 || d === 0 ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}
function plain(value) {
  if (!/%[0-9a-f]{2}/i.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
function weakPassword(value) {
  const v = plain(value).replace(/^(["'])(.*)\1$/, "$2");
  if (madeUp(v)) return "a made-up value";
  if (sequentialOrRepeated(v)) return "repeated or sequential characters";
  if (v.length < 8) return "short";
  const digits = (v.match(/[0-9]/g) ?? []).length;
  const segs = segments(v, digits * 4 > v.length ? void 0 : LEET[0]);
  const wordy = segs.filter((s) => s.length >= 4 && pronounceable(s)).reduce((n, s) => n + s.length, 0);
  if (wordy >= v.length * 0.6) return "made of words";
  return void 0;
}
function randomLooking(value) {
  const v = plain(value);
  if (v.length < 12 || weakPassword(v)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return false;
  return shannonEntropy(v) >= 3;
}
var FIXTURE_DIR, FIXTURE_FILE, CREDENTIAL_STORE_FILES, FAKE_WORDS, FAKE_WORD_SET, LONGEST_FAKE_WORD, DEFAULT_PASSWORDS, LEET, FAKE_STEMS, COMMON_BIGRAMS;
var init_fixture = __esm({
  "src/detect/fixture.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_filters();
    FIXTURE_DIR = new RegExp(
      String.raw`(?:^|[\\/])(?:tests?|testing|testdata|test[-_]?data|` + "test[-_]?utils?|__tests__|__mocks__|mocks?|spec|specs|fixtures?|examples?|samples?|demos?|docs?|documentation|guides?|e2e|integration[-_]?tests?|" + String.raw`unit[-_]?tests?|[\w-]*[-_]tests?|tests?[-_][\w-]*)[\\/]`,
      "i"
    );
    FIXTURE_FILE = new RegExp(
      String.raw`(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*(?:_test|_spec|` + String.raw`Tests?|Spec|[.-](?:test|spec|tests))\.[\w]+|[^\\/]*[._-](?:example|` + String.raw`examples|sample|dist|template|tmpl|fixture|mock)(?:\.[\w-]+)*|` + String.raw`README[^\\/]*|CHANGELOG[^\\/]*|[^\\/]*\.(?:md|markdown|` + "rst|adoc|asciidoc|ipynb))$"
    );
    CREDENTIAL_STORE_FILES = [
      [/(?:^|[\\/])\.?pgpass$/i, "PostgreSQL password file (.pgpass)"],
      [/(?:^|[\\/])[._]netrc$/i, ".netrc credential file"],
      [/(?:^|[\\/])\.git-credentials$/i, "git credential store (.git-credentials)"],
      [/(?:^|[\\/])\.docker[\\/]config\.json$/i, "Docker client config (.docker/config.json)"],
      [/(?:^|[\\/])\.npmrc$/i, "npm client config (.npmrc)"],
      [/(?:^|[\\/])\.pypirc$/i, "PyPI client config (.pypirc)"],
      [/(?:^|[\\/])\.s3cfg$/i, "s3cmd config (.s3cfg)"],
      [/(?:^|[\\/])\.?htpasswd$/i, "Apache password file (htpasswd)"],
      [/(?:^|[\\/])shadow(?:-|\.bak)?$/i, "Unix shadow password file"],
      [/(?:^|[\\/])logins\.json$/i, "browser login store (logins.json)"],
      [/(?:^|[\\/])\.esmtprc$/i, "esmtp client config (.esmtprc)"],
      [/(?:^|[\\/])\.(?:msmtprc|fetchmailrc)$/i, "mail client config"],
      [/(?:^|[\\/])(?:sftp-config\.json|\.ftpconfig|\.remote-sync\.json)$/i, "editor SFTP/FTP upload config"],
      [/(?:^|[\\/])\.vscode[\\/]sftp\.json$/i, "VS Code SFTP config (.vscode/sftp.json)"],
      [/(?:^|[\\/])(?:recentservers|sitemanager|filezilla)\.xml$/i, "FileZilla saved sessions"],
      [/(?:^|[\\/])winscp\.ini$/i, "WinSCP saved sessions"],
      [/(?:^|[\\/])data-sources\.xml$/i, "DBeaver/DataGrip data sources (data-sources.xml)"],
      [/(?:^|[\\/])master\.key$/i, "Rails master key (config/master.key)"],
      [/(?:^|[\\/])\.ssh[\\/]config$/i, "SSH client config (.ssh/config)"],
      [/(?:^|[\\/])\.aws[\\/]credentials$/i, "AWS shared credentials file"],
      [/(?:^|[\\/])\.my\.cnf$/i, "MySQL client config (.my.cnf)"]
    ];
    FAKE_WORDS = [
      "password",
      "passwd",
      "passphrase",
      "pass",
      "pwd",
      "secret",
      "sekret",
      "test",
      "testing",
      "tester",
      "foo",
      "bar",
      "baz",
      "qux",
      "quux",
      "example",
      "sample",
      "dummy",
      "fake",
      "mock",
      "hunter",
      "changeme",
      "change",
      "me",
      "letmein",
      "qwerty",
      "asdf",
      "zxcv",
      "super",
      "my",
      "your",
      "some",
      "very",
      "hard",
      "strong",
      "weak",
      "new",
      "old",
      "wrong",
      "bad",
      "good",
      "another",
      "other",
      "word",
      "key",
      "token",
      "abc",
      "xyz",
      "the",
      "is",
      "not",
      "here",
      "it",
      "this",
      "that",
      "top",
      "safe",
      "only",
      "valid",
      "invalid",
      "correct",
      "incorrect",
      "user",
      "username",
      "demo",
      "for",
      "of",
      "to",
      "and",
      "in",
      "on",
      "at",
      "with",
      "from",
      "by"
    ];
    FAKE_WORD_SET = new Set(FAKE_WORDS);
    LONGEST_FAKE_WORD = Math.max(...FAKE_WORDS.map((w) => w.length));
    DEFAULT_PASSWORDS = /* @__PURE__ */ new Set([
      "admin",
      "administrator",
      "root",
      "guest",
      "tiger",
      "scott",
      "postgres",
      "postgresql",
      "mysql",
      "mariadb",
      "oracle",
      "mongo",
      "mongodb",
      "redis",
      "rabbitmq",
      "sa",
      "sys",
      "system",
      "manager",
      "master",
      "masterkey",
      "welcome",
      "default",
      "changeit"
    ]);
    LEET = [
      { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" },
      { "0": "o", "1": "l", "3": "s", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" }
    ];
    FAKE_STEMS = [...FAKE_WORDS, ...DEFAULT_PASSWORDS].filter((w) => w.length >= 4);
    COMMON_BIGRAMS = new Set(
      "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr ks ft wn nu af hu nn eo vo rv nf gn sm fl ok nk kn gs dy ze ws sk rf eu wr".split(" ")
    );
  }
});

// src/detect/filters.ts
function shannonEntropy(s) {
  if (s.length === 0) return 0;
  const counts = /* @__PURE__ */ new Map();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}
function xRun(secret, evidence) {
  return (evidence === "none" ? X_RUN : FORMAT_X_RUN).test(secret);
}
function isReference(secret, evidence = "none") {
  if (evidence === "checksum") return false;
  const any = (list) => list.some((re) => re.test(secret));
  return secret.trim() === "" || xRun(secret, evidence) || any(REFERENCE_PATTERNS) || any(LOCATION_PATTERNS);
}
function isDocumentationJwt(secret) {
  if (!secret.startsWith("eyJ")) return false;
  const body = secret.split(".")[1];
  if (!body) return false;
  let claims;
  try {
    claims = Buffer.from(body, "base64url").toString("utf8");
  } catch {
    return false;
  }
  return /"sub"\s*:\s*"1234567890"/.test(claims) && /"name"\s*:\s*"John Doe"/.test(claims);
}
function isPlaceholder(secret, evidence = "none") {
  if (evidence !== "checksum") {
    if (secret.length <= 40 && VERSION_RANGE.test(secret.replace(/^(?:npm|workspace|patch|portal):/, ""))) return true;
    if (xRun(secret, evidence)) return true;
    for (const re of PLACEHOLDER_PATTERNS) if (re.test(secret)) return true;
  }
  if (isDocumentationJwt(secret)) return true;
  return secret.length >= 20 && secret.length <= 200 && PUBLISHED_EXAMPLE_KEYS.has(sha256Hex(secret).slice(0, 32));
}
function looksLikeCode(value, quoted) {
  return (quoted ? /^[!?][A-Za-z_$][\w$]*$/.test(value) : /^[!?&*]+[A-Za-z_$][\w$.]*$/.test(value)) || !quoted && /^[a-z]+(?:[A-Z][a-z]+)+\d?$/.test(value) || // camelCase identifier
  !quoted && /^_*[a-z][a-z0-9]*(?:_+[a-z][a-z0-9]*)+_*$/.test(value) || // snake_case identifier
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) || // an environment variable's name
  /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(\)?)?$/.test(value) || // obj.prop.chain
  /^[A-Za-z_$][\w$]*\[/.test(value);
}
function rejectInContext(rule, secret, key, line) {
  const at = line.indexOf(secret + "@");
  if (at !== -1 && DOC_HOST.test(line.slice(at + secret.length))) return true;
  if (rule.provider === "url" && /^[a-z]{1,8}$/.test(secret)) return true;
  const pos = line.indexOf(secret);
  if (pos > 0 && /\.(?:svg|png|gif)\?(?:[\w.-]+=[^&\s]*&)*[\w.-]*token=$/i.test(line.slice(Math.max(0, pos - 200), pos)))
    return true;
  const named = pos > 0 && STAND_IN_HASH.test(line.slice(Math.max(0, pos - 120), pos));
  if (rule.provider === "password-hash" && named) return true;
  if (!KEYED_PROVIDERS.has(rule.provider)) return false;
  if (pos > 0 && /[\w.-]\/[\w.-]+:$/.test(line.slice(Math.max(0, pos - 200), pos))) return true;
  const k = key.toLowerCase();
  const quoted = /["'\x60>]\s*$/.test(key);
  if (LOCATION_PATTERNS.some((re) => re.test(secret))) return true;
  if (!quoted && /^[A-Z][a-z]+(?:[A-Z][a-z]+)+\d?$/.test(secret)) return true;
  if (rule.type !== "username" && /^[A-Za-z][a-z]{0,11}$/.test(secret)) return true;
  if (/^[a-z]+(?:[A-Z][a-z]+){2,}$/.test(secret)) return true;
  if (/::\s*$/.test(key) || secret.startsWith(":") || secret.includes("::")) return true;
  if (rule.type === "password" && /^\d{1,7}$/.test(secret)) return true;
  if (rule.type === "secret" || rule.type === "key") {
    const digit = /[0-9]/.test(secret);
    const mixed = /[A-Z]/.test(secret) && /[a-z]/.test(secret);
    if (!digit && !(mixed && secret.length >= 16)) return true;
    if (!digit && /^[A-Za-z]+(?:[-_. ][A-Za-z]+)+$/.test(secret)) return true;
    if (rule.type === "key" && !digit) return true;
    if (rule.type === "key" && SECRET_KEY_NAME.test(k)) return true;
    if (rule.type === "key" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(secret))
      return true;
    if (rule.type === "key" && /primary[_.-]?key/.test(k) && !randomLooking(secret)) return true;
    if (rule.type === "key" && IDENTIFIER_KEY_NAME.test(k)) return true;
  }
  if (namesNoSecret(key, secret)) return true;
  if (SETTING_NAME.test(k)) return true;
  if (looksLikeCode(secret, quoted)) return true;
  const around = pos >= 0 ? [line.slice(Math.max(0, pos - 200), pos), line.slice(pos + secret.length, pos + secret.length + 40)] : ["", ""];
  if (notAValue(secret, key, quoted, around[0], around[1])) return true;
  return false;
}
function namesNoSecret(key, secret) {
  const k = key.toLowerCase();
  if (/public|publishable|pubkey|pub[_.-]key|[_.-]pub\b/.test(k)) return true;
  return /access[_.-]?key(?:[_.-]?id)?["'\x60\]]*\s*(?:=|:=|=>|:)/.test(k) && /^[A-Z0-9]{16,32}$/.test(secret);
}
function notAValue(secret, key, quoted, before, after) {
  if (/^[\w.-]+:$/.test(secret)) return true;
  const pairForm = /["'][ \t]{0,2},[ \t]{0,4}["'\x60]?$/.test(key);
  const named = secret.length % 4 === 0 && /^[A-Za-z0-9+/]+={1,2}$/.test(secret) ? null : /^-{0,2}([A-Za-z_][\w-]*)=(.*)$/.exec(secret);
  const code = named && (named[2] === "" ? /^[a-z_][a-z_-]*$/.test(named[1]) : /^(?:true|false|none|null|\d+|[A-Za-z_]\w*(?:\.\w+)+(?:\(.*\))?)$/i.test(named[2]));
  if (!quoted && named && (pairForm || code)) return true;
  if (/^--[a-z][a-z0-9-]*=?$|^-[A-Za-z]$/.test(secret)) return true;
  if (/^@[A-Z_][A-Z0-9_]*@?$/.test(secret) || !quoted && /^@[A-Za-z_]\w*$/.test(secret)) return true;
  if (/%\([\w.]+\)[sdr]|\{\d*\}/.test(secret) || /^[\w./:-]*%[sd][\w./:-]*$/.test(secret)) return true;
  if (/^[a-z_][a-z_.-]*\/$/.test(secret) || /^[a-z][a-z0-9+.-]*:\/\//i.test(secret)) return true;
  if (/^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(secret) && NAMES_A_CREDENTIAL.test(secret)) return true;
  if (pairForm && /^["'\x60][ \t]*,[ \t]*["'\x60]/.test(after)) return true;
  if (!quoted && /^[=!]=/.test(secret)) return true;
  if (pairForm && (/^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(secret) || /^(?:[a-z]{2,}|(?:[A-Z][a-z]+){2})(?:\d{1,2})?(?:[A-Z][a-z]+(?:\d{1,2})?)+$/.test(secret) && !randomLooking(secret)))
    return true;
  if (!quoted && (/\|\||&&|[=!]==[\w$(!'"]|[A-Za-z_$]\?\.[A-Za-z_$]/.test(secret) || /^[A-Za-z_$][\w$]*(?:\.[\w$]+)+[:=]/.test(secret)))
    return true;
  if (!quoted && /[\w$)\]][=!]=[A-Za-z_$(!'"]/.test(secret) && !randomLooking(secret)) return true;
  if (/[;)][!\s]*[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+=[^=]/.test(secret)) return true;
  if (/\\[dwsbDWS]|[)\]][+*?]/.test(secret) && !randomLooking(secret)) return true;
  const name = /([A-Za-z_$][\w$]*)["'\x60]?\]?[ \t]*(?:=|:=|=>|:)[ \t]*["'\x60]?$/.exec(key)?.[1];
  const lower = secret.toLowerCase();
  if (!quoted && name && name.length >= 4 && (lower === name.toLowerCase() || lower.endsWith(`.${name.toLowerCase()}`)))
    return true;
  if (!quoted && /^(?:[a-z]{2,}(?:\d{1,2})?(?:[A-Z][a-z]{2,}(?:\d{1,2})?){2,}|[A-Z]+[a-z]{2,}(?:[A-Z]+[a-z]{2,}){2,})$/.test(
    secret
  ) && !randomLooking(secret))
    return true;
  if (/^[a-z_]+(?::[\w,.-]+)?(?:\|[a-z_]+(?::[\w,.-]+)?)+$/.test(secret)) return true;
  if (/^urn:/i.test(secret)) return true;
  if (/^\+/.test(secret) && /\$\{\w+:$/.test(before)) return true;
  if (!quoted && /^[A-Z][a-z]+-[A-Z][A-Za-z]+$/.test(secret)) return true;
  return false;
}
function lineAllows(line) {
  return ALLOW_MARKER.test(line);
}
function lineAllowsNext(line) {
  return ALLOW_NEXT_LINE.test(line);
}
var X_RUN, FORMAT_X_RUN, REFERENCE_PATTERNS, LOCATION_PATTERNS, PLACEHOLDER_PATTERNS, PUBLISHED_EXAMPLE_KEYS, VERSION_RANGE, KEYED_PROVIDERS, STAND_IN, STAND_IN_HASH, SECRET_KEY_NAME, IDENTIFIER_KEY_NAME, SETTING_NAME, DOC_HOST, NAMES_A_CREDENTIAL, ALLOW_MARKER, ALLOW_NEXT_LINE;
var init_filters = __esm({
  "src/detect/filters.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_digest();
    init_fixture();
    X_RUN = /x{4,}/i;
    FORMAT_X_RUN = /x{6,}/i;
    REFERENCE_PATTERNS = [
      /\*{3,}/,
      // ****
      /^<[^<>]*>$|<[a-z_ -]*(?:key|token|secret|password|pass|pwd|here|your)[a-z_ -]*>/i,
      // <your-key>
      /^\$\{[^}]*\}$|^\$\(|^\$[A-Z_][A-Z0-9_]*$|^%[A-Z_][A-Z0-9_]*%$/,
      // ${VAR}, $VAR, %VAR%, $(cmd)
      // {{ secrets.X }}, {{ .Values.key }}, a generator's {{an:20}} (rule examples in a bundle of rules)
      /^\{\{.*\}\}$|\{\{\s*[\w.]+(?::[\w.:-]*)?\s*\}\}/,
      /^\[[A-Z_ -]+\]$/,
      // [REDACTED]
      // References to an environment variable or a secret store instead of a value.
      new RegExp(
        String.raw`^(?:os\.environ|os\.getenv|process\.env|import\.meta\.env|` + String.raw`System\.getenv|ENV\[|ENV\.fetch|getenv\(|env\(|` + String.raw`Environment\.GetEnvironmentVariable|config\(|settings\.|` + String.raw`secrets\.)`
      ),
      new RegExp(
        "^(?:vault|ssm|secretsmanager|awssm|gcpsm|azkv|sm|" + String.raw`op|bws|doppler|infisical|akv|ref\+[a-z]+|arn:aws:(?:secretsmanager|` + "ssm)):",
        "i"
      ),
      /^@Microsoft\.KeyVault\(|^\{\{resolve:|^\(\(|^#\{|^%\(/,
      new RegExp(
        String.raw`\byour\b.{0,40}\b(?:here|key|phrase|password|secret|` + String.raw`token)\b|[-_ ]here$|^(?:enter|put|insert|add|set)[-_ ]`,
        "i"
      )
      // "put your unique phrase here", password_here
    ];
    LOCATION_PATTERNS = [
      /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i,
      // a URL without credentials
      /^(?:~|\.{1,2})?\/[\w./-]+$/,
      /^[\w./-]+\.(?:json|pem|key|p12|pfx|jks|ya?ml|txt|env|crt|cer|der|ini|conf|cfg|properties|xml|toml|gpg|asc|enc)$/i
    ];
    PLACEHOLDER_PATTERNS = [
      ...REFERENCE_PATTERNS,
      /(.)\1{7,}/,
      // aaaaaaaa, 00000000
      new RegExp(
        "change[-_ ]?me|changeit|placeholder|redacted|dummy|foobar|lorem ?ipsum|insert[-_ ]?(?:your|here)|your[-_ ]?(?:api[-_ ]?)?(?:key|token|secret|password|pass)|replace[-_ ]?me",
        "i"
      ),
      /\b(?:sample|todo|fixme)\b/i,
      /(?:^|[^a-z])(?:example|examplekey|test[-_]?(?:key|token|secret|password))(?:[^a-z]|$)/i,
      /EXAMPLE(?:KEY)?$/,
      // AWS documentation keys: AKIAIOSFODNN7EXAMPLE, ...bPxRfiCYEXAMPLEKEY
      /^(?:password|passwd|secret|token|null|none|undefined|true|false|empty|string|required|optional)!?$/i,
      // secret! too
      /^0123456789|^abcdefgh|^12345678|^(?:[a-z]{2,8}[-_])?(?:abc|123)+$/i,
      // also jwt_abc123
      /^(?:pass|passwd|pwd|pw|secret|token|apikey|api_key|key|value|admin|root|user|guest|test)$/i,
      // Type names: `password: string;`, `pass: boolean`, `token: Buffer`.
      new RegExp(
        "^(?:boolean|bool|number|int|integer|int32|int64|uint|str|string|object|any|void|unknown|never|bytes|byte|char|float|double|long|date|datetime|buffer|function|array|list|dict|map|optional|text|varchar|" + String.raw`blob|secretstr|securestring)\??[;,]?$`,
        "i"
      ),
      // Character encodings: writeString('mysql_native_password', 'latin1').
      /^(?:latin1|utf-?8|utf16le|ucs-?2|ascii|binary)$/i,
      // Digests: SRI and lockfile integrity (sha512-…), image digests (sha256:…).
      /^(?:sha(?:1|224|256|384|512)|md5|blake2b?|sha3-\d+)[-:=]/i,
      // Values made of words that name what should go there: "SuperSecretToken", "my-secret-key".
      /^[A-Za-z_. -]*(?:secret|token|passw(?:or)?d|api[_-]?key|private[_-]?key)[A-Za-z_. -]*$/i,
      /^(?:my|your|some|the|a)[-_]?(?:super[-_]?)?(?:secret|password|token|key)/i,
      /^(?:secret|passw(?:or)?d|token|key)[-_]for[-_]/i
      // password-for-30001: says whose it would be
    ];
    PUBLISHED_EXAMPLE_KEYS = /* @__PURE__ */ new Set([
      "2cafc0970149a84f3b9e62eaf169f36f",
      // Stripe docs secret test key
      "b1471f544ceeea31333bde7e1ecbaad6",
      // Stripe docs publishable test key
      "f2d6ca16515033e5dce14eba840b979d",
      // Stripe docs (older) secret test key
      "5895b89c8fb33402a5bfc23aad5aaf86",
      // Stripe docs (older) publishable test key
      "3543c50b0cb9cea8e55eb1f529b79f04",
      // GitHub docs personal access token
      "0e3fd41c01a697720785471d74558508",
      // Slack docs bot token
      "ac9265e56c79b234607ec72c53753cfe",
      // Google Maps samples key
      "15cef4b629cc2d07a4563df9516739d4"
      // RFC 6455's sample Sec-WebSocket-Key ("the sample nonce")
    ]);
    VERSION_RANGE = /^(?:[~^]|[<>]=?|=)?v?\d+(?:\.(?:\d+|[xX*])){1,3}(?:-[0-9A-Za-z.-]{1,16})?(?:\+[0-9A-Za-z.-]{1,16})?$/;
    KEYED_PROVIDERS = /* @__PURE__ */ new Set(["generic", "config", "login", "credential-file"]);
    STAND_IN = "dummy|fake|mock|sample|example";
    STAND_IN_HASH = new RegExp(
      `(?:${STAND_IN})[\\w-]{0,20}(?:hash|passw|pw)|(?:hash|passw)[\\w-]{0,20}(?:${STAND_IN})`,
      "i"
    );
    SECRET_KEY_NAME = new RegExp(
      "(?:secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|app[_.-]?key|" + String.raw`session[_.-]?key|license[_.-]?key)["'\x60\]]*\s*(?:=|` + ":=|=>|:)"
    );
    IDENTIFIER_KEY_NAME = new RegExp(
      "(?:cache|sort|partition|foreign|lookup|idempotency|object|storage|translation|i18n|index|map|dedup|group|routing|row|column|site|event|message|label|locale|field|state|redis|metric|query|node|entity|item|file|s3|bucket|schema|table|unique|composite|hash)[_.-]?key"
    );
    SETTING_NAME = new RegExp(
      "(?:^|[^a-z])(?:is|has|use|enable|enabled|require|required|show|hide|min|max|allow|no)[_.-]?[a-z_.-]*(?:password|secret|token)|(?:password|secret|token)[_.-]?(?:length|policy|field|label|prompt|hint|type|mode|regex|pattern|url|uri|endpoint|path|file|name|header)"
    );
    DOC_HOST = /^@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid)(?![\w.-]*[\w-]\.[a-z])/i;
    NAMES_A_CREDENTIAL = /pass|pwd|secret|token|key|auth|credential/i;
    ALLOW_MARKER = /leakradius:allow|gitleaks:allow|pragma: ?allowlist secret/;
    ALLOW_NEXT_LINE = /pragma: ?allowlist nextline secret|leakradius:allow-next-line/;
  }
});

// src/text/sourcemap.ts
function sourceMapSources(json) {
  if (!json || typeof json !== "object") return void 0;
  const map = json;
  if (Array.isArray(map.sections)) {
    const out2 = map.sections.flatMap((s) => sourceMapSources(s?.map) ?? []);
    return out2.length ? out2 : void 0;
  }
  if (!Array.isArray(map.sourcesContent)) return void 0;
  const root2 = typeof map.sourceRoot === "string" ? map.sourceRoot : "";
  const sources = Array.isArray(map.sources) ? map.sources : [];
  const out = [];
  map.sourcesContent.forEach((content, i) => {
    if (typeof content !== "string" || content.length === 0) return;
    const source = typeof sources[i] === "string" ? sources[i] : `(source ${i})`;
    out.push({ name: root2 && !/^[a-z]+:/i.test(source) ? joinRoot(root2, source) : source, text: content });
  });
  return out;
}
function joinRoot(root2, source) {
  return root2.endsWith("/") ? root2 + source : `${root2}/${source}`;
}
var init_sourcemap = __esm({
  "src/text/sourcemap.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
  }
});

// src/detect/decode.ts
function findDecodedMatches(detector2, buf, limit, plain2, depth = 0) {
  const runs = encodedRuns(detector2, buf, limit);
  if (runs.length === 0) return [];
  const parts = [];
  const offsets = [];
  let size = 0;
  for (const run of runs) {
    offsets.push(size);
    parts.push(run.decoded, NEWLINE);
    size += run.decoded.length + 1;
  }
  const joined2 = Buffer.concat(parts, size);
  const inner = detector2.findMatches(joined2, joined2.length);
  const nested = depth + 1 < MAX_NESTING ? findDecodedMatches(detector2, joined2, joined2.length, inner, depth + 1) : [];
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const m of plain2) seen.add(`${m.rule}:${m.start}:${m.secret}`);
  for (const m of [...inner, ...nested]) {
    const k = lastAtMost(offsets, m.start);
    const run = runs[k];
    const base = offsets[k];
    if (m.end > base + run.decoded.length) continue;
    if (run.sources && rejectedInSource(detector2, joined2, m)) continue;
    const start = run.map(m.start - base, false);
    if (start >= limit) continue;
    const key = `${m.rule}:${start}:${m.secret}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const end = run.map(m.end - base, true);
    if (plain2.some((p) => p.rule === m.rule && p.start < end && start < p.end)) continue;
    out.push({
      rule: m.rule,
      start,
      end,
      matchStart: run.map(Math.max(0, m.matchStart - base), false),
      matchEnd: run.map(Math.min(run.decoded.length, m.matchEnd - base), true),
      secret: m.secret,
      decoded: [run.kind, ...m.decoded ?? []]
    });
  }
  return out;
}
function rejectedInSource(detector2, text, m) {
  const rule = detector2.rules[m.rule];
  if (!rule.placeholders) return false;
  const ls = text.lastIndexOf(10, m.start - 1) + 1;
  const nl = text.indexOf(10, m.end);
  const line = text.toString(
    "latin1",
    Math.max(ls, m.start - 4096),
    nl === -1 ? text.length : Math.min(nl, m.end + 4096)
  );
  return rejectInContext(rule, m.secret, text.toString("latin1", m.matchStart, m.start), line);
}
function inlineSourceMap(decoded, start, end) {
  let sources = [];
  try {
    sources = (sourceMapSources(JSON.parse(decoded.toString("utf8"))) ?? []).map((s) => s.text);
  } catch {
  }
  const text = Buffer.from(sources.join("\n"), "utf8");
  return { kind: "base64", start, end, decoded: text, map: (_i, isEnd) => isEnd ? end : start, sources: true };
}
function addDecodedMatches(detector2, buf, limit, matches) {
  for (let i = matches.length - 1; i >= 0; i--) {
    const m = matches[i];
    if (detector2.rules[m.rule].placeholders && maskedWhenDecoded(m.secret)) matches.splice(i, 1);
  }
  const decoded = findDecodedMatches(detector2, buf, limit, matches);
  if (decoded.length === 0) return;
  matches.push(...decoded);
  matches.sort((x, y) => x.start - y.start || x.rule - y.rule);
}
function maskedWhenDecoded(secret) {
  if (/%[0-9A-Fa-f]{2}/.test(secret)) {
    try {
      if (isPlaceholder(decodeURIComponent(secret))) return true;
    } catch {
    }
  }
  if (/^[A-Za-z0-9+/_-]{8,}={0,2}$/.test(secret)) {
    const text = Buffer.from(secret, "base64");
    if (mostlyText(text) && isPlaceholder(text.toString("utf8"))) return true;
  }
  return false;
}
function encodedSpans(detector2, buf, limit, out) {
  for (const run of encodedRuns(detector2, buf, limit)) out.push(run.start, run.end);
}
function encodedRuns(detector2, buf, limit) {
  return [
    ...percentRuns(buf, limit, keywordGate(detector2, "percent")),
    ...jsonRuns(buf, limit, keywordGate(detector2, "json")),
    ...base64Runs(buf, limit)
  ];
}
function* percentHits(buf, limit, next) {
  for (let i = buf.indexOf(37); i !== -1 && i < limit; i = buf.indexOf(37, Math.max(i + 1, next.lastIndex))) {
    if (i + 2 < buf.length && isHex(buf[i + 1]) && isHex(buf[i + 2])) yield { index: i };
  }
}
function* jsonHits(buf, limit, next) {
  for (let i = buf.indexOf(92); i !== -1 && i < limit; i = buf.indexOf(92, Math.max(i + 2, next.lastIndex))) {
    if (i + 1 < buf.length && JSON_ESCAPED[buf[i + 1]]) yield { index: i };
  }
}
function base64Hits(buf, limit) {
  const out = [];
  const n = buf.length;
  let i = 0;
  while (i + 15 < n) {
    if (B64[buf[i + 15]] === 0) {
      i += 16;
      continue;
    }
    let s = i + 15;
    while (s > i && B64[buf[s - 1]] !== 0) s--;
    if (s >= limit) break;
    let e = s;
    let kinds = 0;
    while (e < n) {
      const k = B64[buf[e]];
      if (k === 0) break;
      kinds |= k;
      e++;
    }
    if (e - s >= 16 && (kinds & 6) === 6) {
      let end = e;
      while (end < n && end - e < 2 && buf[end] === 61) end++;
      out.push(s, end);
    }
    i = e + 1;
  }
  return out;
}
function* percentRuns(buf, limit, gate) {
  const re = { lastIndex: 0 };
  for (const m of percentHits(buf, limit, re)) {
    let a = m.index;
    let b = m.index + 3;
    while (a > 0 && URL_BYTE[buf[a - 1]] && m.index - a < MAX_RUN) a--;
    while (b < buf.length && URL_BYTE[buf[b]] && b - m.index < MAX_RUN) b++;
    re.lastIndex = b;
    if (gate && !gate.test(buf.subarray(a, b))) continue;
    const run = new RunBuilder(buf);
    let plainFrom = a;
    for (let i = buf.indexOf(37, a); i !== -1 && i + 2 < b; i = buf.indexOf(37, i + 1)) {
      if (!isHex(buf[i + 1]) || !isHex(buf[i + 2])) continue;
      run.plain(plainFrom, i);
      run.escape(i, 3, Buffer.from([hexValue(buf[i + 1]) << 4 | hexValue(buf[i + 2])]));
      plainFrom = i + 3;
      i += 2;
    }
    run.plain(plainFrom, b);
    yield run.build("percent", a, b);
  }
}
function* jsonRuns(buf, limit, gate) {
  const re = { lastIndex: 0 };
  for (const m of jsonHits(buf, limit, re)) {
    let a = m.index;
    while (a > 0 && m.index - a < MAX_RUN) {
      const c = buf[a - 1];
      if (c === 10 || c === 34 && !escaped(buf, a - 1)) break;
      a--;
    }
    let b = m.index;
    while (b < buf.length && b - m.index < MAX_RUN) {
      const c = buf[b];
      if (c === 10 || c === 34 && !escaped(buf, b)) break;
      b++;
    }
    re.lastIndex = Math.max(b, m.index + 2);
    if (gate && !gate.test(buf.subarray(a, b))) continue;
    const run = new RunBuilder(buf);
    let plainFrom = a;
    for (let i = buf.indexOf(92, a); i !== -1 && i + 1 < b; i = buf.indexOf(92, i)) {
      run.plain(plainFrom, i);
      const e = buf[i + 1];
      let len = 2;
      let out;
      const code = e === 117 ? unicodeEscape(buf.toString("latin1", i, Math.min(b, i + 12)), 0, Math.min(b, i + 12) - i) : void 0;
      if (code) {
        out = Buffer.from(String.fromCodePoint(code.cp), "utf8");
        len = code.len;
      } else {
        out = Buffer.from([SIMPLE_ESCAPES[e] ?? e]);
      }
      run.escape(i, len, out);
      i += len;
      plainFrom = i;
    }
    run.plain(plainFrom, b);
    yield run.build("json", a, b);
  }
}
function hexValue(c) {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}
function keywordGate(detector2, kind) {
  let cached = gates.get(detector2);
  if (!cached)
    gates.set(
      detector2,
      cached = { percent: buildGate(detector2, /[^A-Za-z0-9_.~-]+/), json: buildGate(detector2, /["\\/\x00-\x1f]+/) }
    );
  return cached[kind];
}
function buildGate(detector2, unsafe) {
  const parts = /* @__PURE__ */ new Set();
  for (const r of detector2.rules) {
    if (r.composite) continue;
    if (r.keywords.length === 0) return null;
    for (const k of r.keywords) {
      const longest = k.split(unsafe).reduce((x, y) => y.length > x.length ? y : x, "");
      if (longest.length < 3) return null;
      parts.add(longest.toLowerCase());
    }
  }
  if (parts.size === 0) return null;
  return new import_re2.default([...parts].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "i");
}
function unicodeEscape(text, i, end) {
  const hex = /^[0-9A-Fa-f]{4}$/;
  const h = text.slice(i + 2, i + 6);
  if (i + 6 > end || !hex.test(h)) return void 0;
  const cu = parseInt(h, 16);
  if (cu >= 55296 && cu < 56320 && text.startsWith("\\u", i + 6) && i + 12 <= end) {
    const l = text.slice(i + 8, i + 12);
    if (hex.test(l)) {
      const lo = parseInt(l, 16);
      if (lo >= 56320 && lo < 57344) return { cp: 65536 + (cu - 55296 << 10) + (lo - 56320), len: 12 };
    }
  }
  if (cu >= 55296 && cu < 57344) return { cp: 65533, len: 6 };
  return { cp: cu, len: 6 };
}
function escaped(buf, i) {
  let n = 0;
  while (i - n - 1 >= 0 && buf[i - n - 1] === 92) n++;
  return n % 2 === 1;
}
function isHex(c) {
  return c >= 48 && c <= 57 || c >= 65 && c <= 70 || c >= 97 && c <= 102;
}
function* base64Runs(buf, limit) {
  const hits = base64Hits(buf, limit);
  for (let h = 0; h < hits.length; h += 2) {
    const m = { index: hits[h], length: hits[h + 1] - hits[h] };
    if (m.length > MAX_RUN || m.length < MIN_BASE64) continue;
    if (!printableProbe(buf, m.index)) continue;
    const run = buf.toString("latin1", m.index, m.index + m.length);
    const body = run.replace(/=+$/, "");
    if (body.length < MIN_BASE64 || body.length % 4 === 1) continue;
    const decoded = Buffer.from(body, "base64");
    if (!mostlyText(decoded)) continue;
    const start = m.index;
    const end = m.index + run.length;
    if (INLINE_SOURCE_MAP.test(buf.toString("latin1", Math.max(0, start - 100), start))) {
      yield inlineSourceMap(decoded, start, end);
      continue;
    }
    yield {
      kind: "base64",
      start,
      end,
      decoded,
      // Each 3 decoded bytes come from 4 encoded characters; spans widen to whole groups.
      map: (i, isEnd) => isEnd ? Math.min(end, start + Math.ceil(i / 3) * 4 + (i >= decoded.length ? run.length - body.length : 0)) : start + Math.floor(i / 3) * 4
    };
  }
}
function printableByte(c) {
  return c >= 32 && c < 127 || c === 9 || c === 10 || c === 13;
}
function printableProbe(buf, at) {
  if (at + 16 > buf.length) return false;
  for (let g = at; g < at + 16; g += 4) {
    const v = B64_VALUE[buf[g]] << 18 | B64_VALUE[buf[g + 1]] << 12 | B64_VALUE[buf[g + 2]] << 6 | B64_VALUE[buf[g + 3]];
    if (!printableByte(v >> 16 & 255) || !printableByte(v >> 8 & 255) || !printableByte(v & 255)) return false;
  }
  return true;
}
function mostlyText(b) {
  if (b.length < 8) return false;
  let bad = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 9 || c === 10 || c === 13 || c >= 32 && c < 127) continue;
    if (c >= 128) continue;
    bad++;
  }
  return bad === 0 && printableShare(b) >= 0.9;
}
function printableShare(b) {
  let ok = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 32 && c < 127) ok++;
    else if (c === 9 || c === 10 || c === 13) ok++;
  }
  return ok / b.length;
}
var import_re2, MAX_NESTING, MAX_RUN, MIN_BASE64, NEWLINE, INLINE_SOURCE_MAP, JSON_ESCAPED, B64, URL_BYTE, RunBuilder, gates, SIMPLE_ESCAPES, B64_VALUE;
var init_decode = __esm({
  "src/detect/decode.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_re2 = __toESM(require_re2(), 1);
    init_sorted2();
    init_filters();
    init_sourcemap();
    MAX_NESTING = 3;
    MAX_RUN = 1024 * 1024;
    MIN_BASE64 = 16;
    NEWLINE = Buffer.from("\n");
    INLINE_SOURCE_MAP = /sourceMappingURL=data:application\/json[^,\s]{0,64},$/;
    JSON_ESCAPED = (() => {
      const t = new Uint8Array(256);
      for (const c of [34, 92, 47, 98, 102, 110, 114, 116, 117]) t[c] = 1;
      return t;
    })();
    B64 = (() => {
      const t = new Uint8Array(256);
      for (const ch of "0123456789+/_-") t[ch.charCodeAt(0)] = 1;
      for (let c = 65; c <= 90; c++) t[c] = 2;
      for (let c = 97; c <= 122; c++) t[c] = 4;
      return t;
    })();
    URL_BYTE = (() => {
      const t = new Uint8Array(256);
      for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?#[]%")
        t[ch.charCodeAt(0)] = 1;
      t[39] = 0;
      return t;
    })();
    RunBuilder = class {
      constructor(buf) {
        this.buf = buf;
      }
      buf;
      parts = [];
      /** Flat segments: decoded start, encoded start, decoded length, encoded length, 1 = plain. */
      segs = [];
      size = 0;
      plain(a, b) {
        if (b <= a) return;
        this.parts.push(this.buf.subarray(a, b));
        this.segs.push(this.size, a, b - a, b - a, 1);
        this.size += b - a;
      }
      escape(at, encodedLength, out) {
        this.parts.push(out);
        this.segs.push(this.size, at, out.length, encodedLength, 0);
        this.size += out.length;
      }
      build(kind, start, end) {
        const segs = this.segs;
        const decoded = Buffer.concat(this.parts, this.size);
        const n = segs.length / 5;
        const map = (i, isEnd) => {
          if (i >= decoded.length || n === 0) return end;
          let lo = 0;
          let hi = n - 1;
          while (lo < hi) {
            const mid = lo + hi + 1 >> 1;
            if (segs[mid * 5] <= i) lo = mid;
            else hi = mid - 1;
          }
          const k = lo * 5;
          const [ds, es, el, plain2] = [segs[k], segs[k + 1], segs[k + 3], segs[k + 4]];
          if (plain2) return es + (i - ds);
          return isEnd && i > ds ? es + el : es;
        };
        return { kind, start, end, decoded, map };
      }
    };
    gates = /* @__PURE__ */ new WeakMap();
    SIMPLE_ESCAPES = {
      98: 8,
      102: 12,
      110: 10,
      114: 13,
      116: 9,
      34: 34,
      92: 92,
      47: 47
    };
    B64_VALUE = (() => {
      const t = new Uint8Array(256).fill(255);
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
      t[45] = 62;
      t[95] = 63;
      return t;
    })();
  }
});

// src/secret/redact.ts
function redact(secret) {
  const len = [...secret].length;
  const word = WORD_PREFIX.exec(secret)?.[0];
  const prefix = KNOWN_PREFIX.exec(secret)?.[0] ?? (word && looksRandom(secret.slice(word.length)) ? word : "");
  const visible = Math.min(prefix ? prefix.length + 2 : looksRandom(secret) ? 2 : 0, Math.floor(len / 3));
  const shown = secret.slice(0, visible).replace(/\s+/g, " ");
  return `${shown}\u2026(${len} chars)`;
}
function secretForms(secret) {
  if (secret === "") return [];
  const bytes2 = Buffer.from(secret, "utf8");
  const base64 = bytes2.toString("base64");
  const percent = encodeURIComponent(secret);
  return [
    .../* @__PURE__ */ new Set([
      secret,
      base64,
      base64.replace(/=+$/, ""),
      bytes2.toString("base64url"),
      percent,
      percent.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
      JSON.stringify(secret).slice(1, -1)
    ])
  ];
}
var KNOWN_PREFIX, WORD_PREFIX, looksRandom;
var init_redact = __esm({
  "src/secret/redact.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    KNOWN_PREFIX = /^(?:[A-Z]{4}(?=[A-Z2-7]{16}$)|SG\.|eyJ|-----BEGIN [A-Z ]{0,40}-----)/;
    WORD_PREFIX = /^[a-z]{2,6}[_-](?:[a-z0-9]{1,8}[_-])?/;
    looksRandom = (s) => s.length >= 16 && !/[-_\s]/.test(s) && /\d/.test(s) && new Set(s).size >= 12;
  }
});

// src/detect/excerpts.ts
function onLine(all, ls, le) {
  const from = ls - 8192;
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (all[mid].start < from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < all.length && all[end].start < le) end++;
  return lo === 0 && end === all.length ? all : all.slice(lo, end);
}
function copies(buf, ls, le, m, all) {
  const out = [];
  const secrets = /* @__PURE__ */ new Set([m.secret]);
  for (const o of all) secrets.add(o.secret);
  for (const secret of secrets)
    for (const form of secretForms(secret)) {
      const needle = Buffer.from(form, "utf8");
      const from = Math.max(ls, m.start - EXCERPT_RADIUS - needle.length);
      const near = buf.subarray(from, Math.min(le, m.end + EXCERPT_RADIUS + needle.length));
      for (let i = near.indexOf(needle); i !== -1; i = near.indexOf(needle, i + 1))
        out.push({ start: from + i, end: from + i + needle.length, secret: form, copy: true });
    }
  return out;
}
function excerpt(buf, ls, le, m, all) {
  const hidden = [...all, ...copies(buf, ls, le, m, all)].sort((x, y) => x.start - y.start);
  let a = Math.max(ls, m.start - EXCERPT_RADIUS);
  let b = Math.min(le, m.end + EXCERPT_RADIUS);
  for (const o of hidden) {
    if (o === m) continue;
    if (o.start < a && o.end > a) a = o.copy ? o.start : Math.min(o.end, m.start);
    if (o.start < b && o.end > b) b = o.copy ? o.end : Math.max(o.start, m.end);
  }
  while (a > ls && (buf[a] & 192) === 128) a--;
  while (b < le && (buf[b] & 192) === 128) b++;
  const parts = [];
  let p = a;
  for (const o of hidden) {
    if (o.end <= a || o.start >= b) continue;
    if (o.start < p) {
      p = Math.max(p, o.end);
      continue;
    }
    parts.push(buf.toString("utf8", p, o.start), redact(o.secret));
    p = o.end;
  }
  parts.push(buf.toString("utf8", p, b));
  let s = parts.join("").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, " ").replace(/\r?\n/g, "\u23CE");
  if (a > ls) s = "\u2026" + s;
  if (b < le) s = s + "\u2026";
  return s.trim();
}
var EXCERPT_RADIUS;
var init_excerpts = __esm({
  "src/detect/excerpts.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_redact();
    EXCERPT_RADIUS = 40;
  }
});

// src/detect/chunks.ts
function codePoints(buf, a, b) {
  if (b <= a) return 0;
  const part = buf.subarray(a, b);
  if ((0, import_node_buffer.isAscii)(part)) return part.length;
  let n = 0;
  for (let i = 0; i < part.length; i++) if ((part[i] & 192) !== 128) n++;
  return n;
}
function joinCarried(carry, parts) {
  let size = carry.length;
  for (const p of parts) size += p.length;
  if (joined.length < size || joined.length > 4 * size + (8 << 20))
    joined = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  let at = carry.copy(joined, 0);
  for (const p of parts) at += p.copy(joined, at);
  return joined.subarray(0, size);
}
function scanBuffer(detector2, input, options2 = {}) {
  const buf = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  return new ChunkScanner(detector2, options2).push(buf, true);
}
var import_node_buffer, NEWLINE2, joined, CHUNK_OVERLAP, ChunkScanner;
var init_chunks = __esm({
  "src/detect/chunks.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_node_buffer = require("node:buffer");
    init_checksum();
    init_composite();
    init_decode();
    init_excerpts();
    init_filters();
    init_fixture();
    NEWLINE2 = 10;
    joined = Buffer.alloc(0);
    CHUNK_OVERLAP = 64 * 1024;
    ChunkScanner = class {
      constructor(detector2, options2 = {}) {
        this.detector = detector2;
        this.overlap = options2.overlap ?? CHUNK_OVERLAP;
        this.eager = options2.eager ?? false;
        this.compose = options2.compose ?? true;
        this.pathRules = detector2.rulesForPath(options2.path, options2.anyPath);
        this.path = options2.path;
      }
      detector;
      carry = Buffer.alloc(0);
      base = 0;
      // absolute offset of carry[0]
      line = 1;
      // line number at carry[0]
      column = 0;
      // code points between the start of that line and carry[0]
      prevLineAllows = false;
      // the line before carry[0]'s line holds an allow-next-line marker
      /** Matches already reported that start inside the carried tail: "rule:offset". */
      reported = /* @__PURE__ */ new Set();
      overlap;
      eager;
      compose;
      pathRules;
      path;
      /** The file is a credential store: weak values are leaks there, not placeholders (known at its first match). */
      store;
      inStore() {
        return this.store ??= this.path !== void 0 && credentialStoreKind(this.path) !== void 0;
      }
      push(chunk, final = false) {
        return this.pushParts([chunk], final);
      }
      /** push() of several pieces in a row (decompressor output), joined once with the carried tail. */
      pushParts(parts, final = false) {
        const buf = !this.carry.length && parts.length === 1 ? parts[0] : joinCarried(this.carry, parts);
        const carryStart = final ? buf.length : Math.max(0, buf.length - this.overlap);
        let commit = carryStart;
        if (final) commit = buf.length;
        else if (this.eager) commit = Math.max(carryStart, buf.lastIndexOf(NEWLINE2) + 1);
        const matches = commit > 0 ? this.detector.findMatches(buf, commit, void 0, this.pathRules) : [];
        if (commit > 0) addDecodedMatches(this.detector, buf, commit, matches);
        return this.candidates(buf, matches, carryStart, final);
      }
      /** Candidates of a whole buffer whose raw matches were found in a joined buffer (scanSegments). */
      matched(buf, matches) {
        return this.candidates(buf, matches, buf.length, true);
      }
      /** Raw matches → candidates (filters, positions, excerpts, composites), and the carry for the next push. */
      candidates(buf, matches, carryStart, final) {
        let out = [];
        const spans = [];
        const reported = /* @__PURE__ */ new Set();
        let pos = 0;
        let line = this.line;
        let lineStart = -1;
        let prevLineStart = -2;
        let snapshot;
        const advance = (to) => {
          let nl = buf.indexOf(NEWLINE2, pos);
          while (nl !== -1 && nl < to) {
            line++;
            prevLineStart = lineStart;
            lineStart = nl + 1;
            nl = buf.indexOf(NEWLINE2, lineStart);
          }
          pos = Math.max(pos, to);
        };
        const takeSnapshot = () => {
          advance(carryStart);
          snapshot = lineStart === -1 ? { line, column: this.column + codePoints(buf, 0, carryStart), prevLineAllows: this.prevLineAllows } : {
            line,
            column: codePoints(buf, lineStart, carryStart),
            prevLineAllows: prevLineStart >= -1 && this.lineAllowsAt(buf, prevLineStart, lineStart)
          };
        };
        for (const m of matches) {
          if (!final && !snapshot && m.start >= carryStart) takeSnapshot();
          const key = `${m.rule}:${this.base + m.start}`;
          if (this.reported.has(key)) continue;
          if (!final && m.start >= carryStart) reported.add(key);
          advance(m.start);
          const rule = this.detector.rules[m.rule];
          const store = this.inStore();
          if (!this.detector.accepts(rule, m.secret, store)) continue;
          const ls = lineStart === -1 ? 0 : lineStart;
          const lineEndIdx = buf.indexOf(NEWLINE2, m.start);
          const le = lineEndIdx === -1 ? buf.length : lineEndIdx;
          const lineText = buf.toString("latin1", Math.max(ls, m.start - 4096), Math.min(le, m.end + 4096));
          const pragma = lineAllows(lineText);
          if (pragma && !this.detector.reportPragmas) continue;
          if (!m.decoded && rule.placeholders) {
            const key2 = buf.toString("latin1", m.matchStart, m.start);
            if (store ? namesNoSecret(key2, m.secret) : rejectInContext(rule, m.secret, key2, lineText)) continue;
          }
          const allowedByPrevious = lineStart === -1 ? this.prevLineAllows : this.lineAllowsAt(buf, prevLineStart, lineStart);
          if (allowedByPrevious && !this.detector.reportPragmas) continue;
          const column = (lineStart === -1 ? this.column + codePoints(buf, 0, m.start) : codePoints(buf, lineStart, m.start)) + 1;
          out.push({
            ruleId: rule.id,
            secret: m.secret,
            line,
            column,
            excerpt: excerpt(buf, ls, le, m, onLine(matches, ls, le)),
            decoded: m.decoded,
            checksum: rule.validate ? validate(rule.validate, m.secret) ? "valid" : "invalid" : void 0,
            ...pragma || allowedByPrevious ? { allowed: pragma ? "line" : "next-line" } : {}
          });
          spans.push(m);
        }
        if (this.compose && (this.detector.composites.length || this.detector.partOnly.size))
          out = combineParts(this.detector, out, spans);
        if (final) {
          this.carry = Buffer.alloc(0);
          this.reported.clear();
          return out;
        }
        if (!snapshot) takeSnapshot();
        this.line = snapshot.line;
        this.column = snapshot.column;
        this.prevLineAllows = snapshot.prevLineAllows;
        this.base += carryStart;
        this.carry = Buffer.from(buf.subarray(carryStart));
        this.reported = reported;
        return out;
      }
      /** Whether the line at [start, end) — the line before the current one — allows the next line. */
      lineAllowsAt(buf, start, end) {
        if (start < -1) return false;
        const s = Math.max(start, 0);
        if (end - s > 8192) return false;
        return lineAllowsNext(buf.toString("latin1", s, end));
      }
    };
  }
});

// src/errors.ts
function errorMessage(err) {
  if (err instanceof Error) {
    const code = err.code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
var UsageError;
var init_errors = __esm({
  "src/errors.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    UsageError = class extends Error {
      name = "UsageError";
      constructor(message) {
        super(message);
      }
    };
  }
});

// src/detect/captures.ts
function compilePath(r) {
  try {
    return new import_re22.default(r.path);
  } catch (err) {
    throw new UsageError(`${r.source}: rule "${r.id}": path does not compile with RE2: ${err.message}`);
  }
}
function compilePattern(r, flags) {
  try {
    return new import_re22.default(r.pattern, flags);
  } catch (err) {
    throw new UsageError(`${r.source}: rule "${r.id}": pattern does not compile with RE2: ${err.message}`);
  }
}
function classEnd(p, i) {
  let j = i + 1;
  if (p[j] === "^") j++;
  if (p[j] === "]") j++;
  while (j < p.length && p[j] !== "]") {
    if (p[j] === "\\") j++;
    else if (p[j] === "[" && p[j + 1] === ":") {
      const close = p.indexOf(":]", j + 2);
      if (close !== -1) j = close + 1;
    }
    j++;
  }
  return j;
}
function quotedEnd(p, i) {
  if (p[i] === "[") return classEnd(p, i) + 1;
  if (p[i] !== "\\") return void 0;
  const next = p[i + 1];
  const close = next === "Q" ? "\\E" : "xpP".includes(next ?? "-") && p[i + 2] === "{" ? "}" : void 0;
  if (close === void 0) return Math.min(i + 2, p.length);
  const end = p.indexOf(close, i + 2);
  return end === -1 ? p.length : end + close.length;
}
function withoutCaptures(p) {
  let out = "";
  let groups = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    const quoted = quotedEnd(p, i);
    if (quoted !== void 0) {
      out += p.slice(i, quoted);
      i = quoted - 1;
      continue;
    }
    if (c === "(") {
      if (p[i + 1] !== "?") {
        groups++;
        out += "(?:";
        continue;
      }
      const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(p.slice(i, i + 72));
      if (named) {
        groups++;
        out += "(?:";
        i += named[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return { pattern: out, groups };
}
function secretGroupValue(m, group) {
  const g = m;
  if (typeof group === "number") return g[group];
  if (typeof group === "string") return g.groups?.[group];
  if (g.groups && "secret" in g.groups) return g.groups.secret;
  for (let i = 1; i < g.length; i++) if (g[i] !== void 0) return g[i];
  return g[0];
}
function secretSpan(m, group) {
  const ind = m.indices;
  if (!ind) return void 0;
  if (typeof group === "number") return ind[group];
  if (typeof group === "string") return ind.groups?.[group];
  if (ind.groups && "secret" in ind.groups) return ind.groups.secret;
  for (let i = 1; i < ind.length; i++) if (ind[i]) return ind[i];
  return ind[0];
}
var import_re22, SPAN_CACHE_MATCH, SPAN_CACHE_SIZE;
var init_captures = __esm({
  "src/detect/captures.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_re22 = __toESM(require_re2(), 1);
    init_errors();
    SPAN_CACHE_MATCH = 512;
    SPAN_CACHE_SIZE = 4096;
  }
});

// src/detect/relaxed.ts
function relaxedCounts(pattern) {
  let out = "";
  let relaxed = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const quoted = quotedEnd(pattern, i);
    if (quoted !== void 0) {
      out += pattern.slice(i, quoted);
      i = quoted - 1;
      continue;
    }
    const count = c === "{" ? /^\{(\d+),(\d+)\}/.exec(pattern.slice(i, i + 16)) : null;
    if (count && Number(count[2]) - Number(count[1]) >= LONG_RANGE) {
      out += `{${count[1]},}`;
      i += count[0].length - 1;
      relaxed = true;
      continue;
    }
    out += c;
  }
  return relaxed ? out : void 0;
}
var LONG_RANGE;
var init_relaxed = __esm({
  "src/detect/relaxed.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_captures();
    LONG_RANGE = 16;
  }
});

// src/detect/gate.ts
var import_re23, GATE_MIN_BYTES, GATE_MAX_MEM, GATE_LEARN_BYTES, GATE_SHARE, GATE_MAX_RULES, BroadRuleGate;
var init_gate = __esm({
  "src/detect/gate.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_re23 = __toESM(require_re2(), 1);
    GATE_MIN_BYTES = 256;
    GATE_MAX_MEM = 64 << 20;
    GATE_LEARN_BYTES = 2 * 1024 * 1024;
    GATE_SHARE = 0.1;
    GATE_MAX_RULES = 16;
    BroadRuleGate = class {
      constructor(rules2) {
        this.rules = rules2;
        this.covered = new Float64Array(rules2.length);
      }
      rules;
      /** Per rule: bytes its windows covered so far. */
      covered;
      scanned = 0;
      nextLearn = GATE_LEARN_BYTES;
      set;
      /** The rule behind each pattern of the set. */
      order = [];
      members;
      /**
       * The touched rules that may match in `buf` (given their raw windows `lists`), or undefined when
       * every one must run.
       */
      possible(buf, touched, lists) {
        let broadHere = 0;
        const floor = buf.length < 4096 ? buf.length / 4 : Math.max(1024, buf.length / 8);
        for (const rule of touched) {
          const list = lists[rule];
          let covered = 0;
          for (let i = 0; i < list.length; i += 2) covered += Math.min(buf.length, list[i + 1]) - Math.max(0, list[i]);
          this.covered[rule] = this.covered[rule] + covered;
          if (this.members?.has(rule) && covered >= floor) broadHere++;
        }
        this.scanned += buf.length;
        if (this.scanned >= this.nextLearn) this.learn();
        if (!this.set || broadHere < 2 || buf.length < GATE_MIN_BYTES) return void 0;
        let hits;
        try {
          hits = this.set.match(buf);
        } catch {
          return void 0;
        }
        const possible = new Set(touched);
        for (const rule of this.members) possible.delete(rule);
        for (const i of hits) possible.add(this.order[i]);
        return possible;
      }
      /** (Re)build the gate set from the rules whose windows covered the most bytes so far. */
      learn() {
        const covered = this.covered;
        const members = this.members;
        this.nextLearn = this.scanned * 16;
        const ranked = [...covered.keys()].filter((r) => covered[r] >= this.scanned * GATE_SHARE && !this.rules[r].composite).sort((x, y) => covered[y] - covered[x]).slice(0, GATE_MAX_RULES);
        if (ranked.length < 2 || members && ranked.length === members.size && ranked.every((r) => members.has(r)))
          return;
        try {
          this.set = new import_re23.default.Set(
            ranked.map((r) => this.rules[r].pattern),
            "",
            { maxMem: GATE_MAX_MEM }
          );
          this.order = ranked;
          this.members = new Set(ranked);
        } catch {
          this.set = void 0;
          this.members = void 0;
        }
      }
    };
  }
});

// src/detect/prefilter.ts
function openWindow(lists, touched, rule, a, b, segOf, id) {
  const list = lists[rule];
  const n = list.length;
  if (n !== 0 && a <= list[n - 1] && (segOf === void 0 || segOf[rule] === id)) {
    if (b > list[n - 1]) list[n - 1] = b;
  } else {
    if (n === 0) touched.push(rule);
    list.push(a, b);
    if (segOf) segOf[rule] = id;
  }
}
function keywordPrefilter(byKeyword, store) {
  return byKeyword.size ? new KeywordPrefilter(byKeyword, store) : null;
}
function automatonOf(byKeyword, store) {
  const keywords = [...byKeyword.keys()];
  const inputs = store && keywords.length ? [...byKeyword].map(([k, set]) => `${k}\0${[...set].join(",")}`).join("\n") : void 0;
  const stored = inputs !== void 0 ? store.load(inputs) : void 0;
  if (stored) return new KeywordAutomaton(stored);
  const keywordRules = /* @__PURE__ */ new Map();
  const empty = byKeyword.get("");
  for (const k of keywords) {
    const set = new Set(empty);
    for (let i = 0; i < k.length; i++)
      for (let j = i + 1; j <= k.length; j++) for (const r of byKeyword.get(k.slice(i, j)) ?? []) set.add(r);
    keywordRules.set(
      k,
      [...set].sort((a, b) => a - b)
    );
  }
  keywords.sort((a, b) => b.length - a.length);
  const prefilter = KeywordAutomaton.build(
    keywords,
    keywords.map((k) => keywordRules.get(k))
  );
  if (inputs !== void 0) store.save(inputs, prefilter.tables);
  return prefilter;
}
var KeywordAutomaton, DIRECT_BYTES, KeywordPrefilter, FOLD, DirectSearch;
var init_prefilter = __esm({
  "src/detect/prefilter.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    KeywordAutomaton = class _KeywordAutomaton {
      constructor(tables) {
        this.tables = tables;
        this.delta = tables.delta;
        this.outputRules = tables.outputRules;
        this.outputLength = tables.outputLength;
        this.hasOutput = new Uint8Array(tables.outputLength.length);
        tables.outputRules.forEach((rules2, i) => this.hasOutput[i] = rules2 ? 1 : 0);
      }
      tables;
      delta;
      hasOutput;
      outputRules;
      outputLength;
      static build(keywords, rulesOf) {
        const fold = new Uint8Array(256);
        for (let i = 0; i < 256; i++) fold[i] = i >= 65 && i <= 90 ? i + 32 : i;
        const next = [/* @__PURE__ */ new Map()];
        const own = [void 0];
        const ownLen = [0];
        keywords.forEach((k, ki) => {
          let st = 0;
          for (const byte of Buffer.from(k.toLowerCase(), "latin1")) {
            const c = fold[byte];
            let n = next[st].get(c);
            if (n === void 0) {
              n = next.length;
              next.push(/* @__PURE__ */ new Map());
              own.push(void 0);
              ownLen.push(0);
              next[st].set(c, n);
            }
            st = n;
          }
          const set = own[st] ??= /* @__PURE__ */ new Set();
          for (const r of rulesOf[ki]) set.add(r);
          ownLen[st] = Math.max(ownLen[st], k.length);
        });
        const states = next.length;
        const delta = states < 65536 ? new Uint16Array(states * 256) : new Uint32Array(states * 256);
        const fail = new Int32Array(states);
        const out = own.map((o) => o ? new Set(o) : void 0);
        const outLen = new Uint16Array(states);
        ownLen.forEach((l, i) => outLen[i] = l);
        const queue2 = [];
        for (const [c, n] of next[0]) {
          delta[c] = n;
          queue2.push(n);
        }
        for (let qi = 0; qi < queue2.length; qi++) {
          const st = queue2[qi];
          const f = fail[st];
          if (out[f]) {
            const merged = out[st] ??= /* @__PURE__ */ new Set();
            for (const r of out[f]) merged.add(r);
            outLen[st] = Math.max(outLen[st], outLen[f]);
          }
          const row = st * 256;
          delta.copyWithin(row, f * 256, f * 256 + 256);
          for (const [c, n] of next[st]) {
            fail[n] = delta[row + c];
            delta[row + c] = n;
            queue2.push(n);
          }
        }
        for (let row = 0; row < delta.length; row += 256) delta.copyWithin(row + 65, row + 97, row + 123);
        const outputRules = [];
        out.forEach((set, i) => {
          if (set?.size) outputRules[i] = [...set].sort((a, b) => a - b);
        });
        return new _KeywordAutomaton({ delta, outputRules, outputLength: outLen });
      }
      /**
       * The hot path: one pass over the bytes that grows each woken rule's raw windows
       * [hit - before, hit + length + after) in place. Pure arithmetic per hit: hits on everyday
       * keywords come by the million, and a callback with two native index searches per hit cost more
       * than the RE2 work it saved (openWindow is small enough to inline: the source-tree scan's CPU
       * is the same with it). `lists[rule]` is flat [a0, b0, a1, b1, ...].
       */
      windows(buf, end, before, after, lists, touched, seg) {
        const delta = this.delta;
        const has = this.hasOutput;
        const outLen = this.outputLength;
        const outRules = this.outputRules;
        const segOf = seg?.of;
        const id = seg?.id ?? 0;
        let st = 0;
        for (let i = seg?.from ?? 0; i < end; i++) {
          st = delta[st << 8 | buf[i]];
          if (has[st] !== 1) continue;
          const len = outLen[st];
          const pos = i + 1 - len;
          const rules2 = outRules[st];
          for (let k = 0; k < rules2.length; k++) {
            const rule = rules2[k];
            openWindow(lists, touched, rule, pos - before[rule], i + 1 + after[rule], segOf, id);
          }
        }
      }
    };
    DIRECT_BYTES = 32 * 1024;
    KeywordPrefilter = class {
      constructor(byKeyword, store) {
        this.byKeyword = byKeyword;
        this.store = store;
      }
      byKeyword;
      store;
      automaton;
      direct;
      directBytes = DIRECT_BYTES;
      /** The automaton's tables (built or loaded now if it was not yet). */
      get tables() {
        return this.full().tables;
      }
      full() {
        return this.automaton ??= automatonOf(this.byKeyword, this.store);
      }
      /** KeywordAutomaton.windows. */
      windows(buf, end, before, after, lists, touched, seg) {
        const bytes2 = end - (seg?.from ?? 0);
        if (this.automaton === void 0 && bytes2 <= this.directBytes) {
          this.direct ??= DirectSearch.of(this.byKeyword);
          if (this.direct) {
            this.directBytes -= bytes2;
            this.direct.windows(buf, end, before, after, lists, touched, seg);
            return;
          }
        }
        this.full().windows(buf, end, before, after, lists, touched, seg);
      }
    };
    FOLD = Uint8Array.from({ length: 256 }, (_, i) => i >= 65 && i <= 90 ? i + 32 : i);
    DirectSearch = class _DirectSearch {
      constructor(byKeyword, names, bytes2, at, length, first, next) {
        this.byKeyword = byKeyword;
        this.names = names;
        this.bytes = bytes2;
        this.at = at;
        this.length = length;
        this.first = first;
        this.next = next;
      }
      byKeyword;
      names;
      bytes;
      at;
      length;
      first;
      next;
      /** Per keyword's rules with those of the keywords inside it (as the automaton's), by keyword index. */
      rulesOf = /* @__PURE__ */ new Map();
      /** Null where a keyword has fewer than two bytes or is not ASCII: the automaton alone then. */
      static of(byKeyword) {
        const names = [...byKeyword.keys()];
        const all = names.join("\n").toLowerCase();
        if (!/^[\x00-\x7f]*$/.test(all) || names.some((k) => k.length < 2)) return null;
        const bytes2 = Buffer.from(all, "latin1");
        const at = new Int32Array(names.length);
        const length = new Int32Array(names.length);
        const first = new Int32Array(65536).fill(-1);
        const next = new Int32Array(names.length);
        for (let i = 0, pos = 0; i < names.length; pos += names[i].length + 1, i++) {
          at[i] = pos;
          length[i] = names[i].length;
          const pair = bytes2[pos] << 8 | bytes2[pos + 1];
          next[i] = first[pair];
          first[pair] = i;
        }
        return new _DirectSearch(byKeyword, names, bytes2, at, length, first, next);
      }
      rules(keyword) {
        let rules2 = this.rulesOf.get(keyword);
        if (rules2 === void 0) {
          const k = this.names[keyword];
          const set = /* @__PURE__ */ new Set();
          for (let i = 0; i < k.length; i++)
            for (let j = i + 1; j <= k.length; j++) for (const r of this.byKeyword.get(k.slice(i, j)) ?? []) set.add(r);
          rules2 = [...set].sort((a, b) => a - b);
          this.rulesOf.set(keyword, rules2);
        }
        return rules2;
      }
      windows(buf, end, before, after, lists, touched, seg) {
        const from = seg?.from ?? 0;
        const segOf = seg?.of;
        const id = seg?.id ?? 0;
        const longest = /* @__PURE__ */ new Map();
        const { bytes: bytes2, at, length, first, next } = this;
        for (let p = from; p + 1 < end; p++) {
          for (let k = first[FOLD[buf[p]] << 8 | FOLD[buf[p + 1]]]; k !== -1; k = next[k]) {
            const n = length[k];
            const last = p + n - 1;
            if (last >= end) continue;
            const key = at[k];
            let j = 2;
            while (j < n && FOLD[buf[p + j]] === bytes2[key + j]) j++;
            if (j < n) continue;
            const known = longest.get(last);
            if (known === void 0 || n > length[known]) longest.set(last, k);
          }
        }
        for (const i of [...longest.keys()].sort((a, b) => a - b)) {
          const k = longest.get(i);
          const pos = i + 1 - this.names[k].length;
          for (const rule of this.rules(k))
            openWindow(lists, touched, rule, pos - before[rule], i + 1 + after[rule], segOf, id);
        }
      }
    };
  }
});

// src/detect/segments.ts
function segmentAt(segs, pos) {
  return lastAtMost(segs.starts, pos);
}
function markDirty(segs, from, to) {
  const last = segmentAt(segs, to - 1);
  for (let i = segmentAt(segs, from); i <= last; i++) segs.dirty.add(i);
}
function scanSegments(detector2, segments2) {
  const out = segments2.map(() => []);
  if (segments2.length === 0) return out;
  let size = segments2.length - 1;
  for (const s of segments2) size += s.length;
  if (batchBuf.length < size || batchBuf.length > 4 * size + (8 << 20))
    batchBuf = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  const starts = [];
  const ends = [];
  let at = 0;
  segments2.forEach((s, i) => {
    if (i > 0) batchBuf[at++] = NEWLINE3;
    starts.push(at);
    at += s.copy(batchBuf, at);
    ends.push(at);
  });
  const buf = batchBuf.subarray(0, size);
  const segs = { starts, ends, dirty: /* @__PURE__ */ new Set() };
  const matches = detector2.findMatches(buf, size, segs);
  const runs = [];
  encodedSpans(detector2, buf, size, runs);
  for (let k = 0; k < runs.length; k += 2) markDirty(segs, runs[k], runs[k + 1]);
  for (let k = 0; k < matches.length; ) {
    const i = segmentAt(segs, matches[k].start);
    const next = i + 1 < starts.length ? starts[i + 1] : Number.POSITIVE_INFINITY;
    let j = k;
    while (j < matches.length && matches[j].start < next) j++;
    if (!segs.dirty.has(i) && someAccepted(detector2, matches, k, j))
      out[i] = new ChunkScanner(detector2).matched(segments2[i], rebased(matches, k, j, starts[i]));
    k = j;
  }
  for (const i of segs.dirty) out[i] = scanBuffer(detector2, segments2[i]);
  return out;
}
function someAccepted(detector2, matches, k, j) {
  for (let n = k; n < j; n++) if (detector2.accepts(detector2.rules[matches[n].rule], matches[n].secret)) return true;
  return false;
}
function rebased(matches, k, j, base) {
  const out = [];
  for (let n = k; n < j; n++) {
    const m = matches[n];
    out.push({
      rule: m.rule,
      start: m.start - base,
      end: m.end - base,
      matchStart: m.matchStart - base,
      matchEnd: m.matchEnd - base,
      secret: m.secret,
      decoded: m.decoded
    });
  }
  return out;
}
var NEWLINE3, batchBuf;
var init_segments = __esm({
  "src/detect/segments.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_chunks();
    init_decode();
    init_sorted2();
    NEWLINE3 = 10;
    batchBuf = Buffer.alloc(0);
  }
});

// src/detect/detector.ts
function keepInsideWindows(out, from, list, i, j, dropped) {
  let w = i;
  let keep = from;
  for (let k = from; k < out.length; k++) {
    const m = out[k];
    while (w < j && list[w + 1] <= m.matchStart) w += 2;
    if (w < j && m.matchStart >= list[w] && m.matchEnd <= list[w + 1]) out[keep++] = m;
    else dropped?.(m);
  }
  out.length = keep;
}
function evidenceFor(rule, secret) {
  if (rule.validate && validate(rule.validate, secret)) return "checksum";
  return rule.confidence === "high" ? "format" : "none";
}
var import_re24, NEWLINE4, NO_RULES, PATH_READS_MAX, COALESCE_GAP, CONFIDENCE_RANK, TOKEN_BYTE, Detector;
var init_detector = __esm({
  "src/detect/detector.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_re24 = __toESM(require_re2(), 1);
    init_captures();
    init_digest();
    init_checksum();
    init_composite();
    init_filters();
    init_fixture();
    init_relaxed();
    init_gate();
    init_prefilter();
    init_segments();
    NEWLINE4 = 10;
    NO_RULES = [];
    PATH_READS_MAX = 16384;
    COALESCE_GAP = 8 * 1024;
    CONFIDENCE_RANK = { high: 3, medium: 2, low: 1 };
    TOKEN_BYTE = (() => {
      const t = new Uint8Array(256);
      for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.~") t[ch.charCodeAt(0)] = 1;
      return t;
    })();
    Detector = class {
      rules;
      /** Compiled on a rule's first keyword hit: start-up compiles nothing a scan does not use. */
      patterns;
      /** Whether a rule's search pattern had its capture groups removed (undefined: searched with them). */
      captures = [];
      /** Per rule: relaxed.ts's superset of its pattern (null: none), tried while the pattern is not compiled. */
      relaxed = [];
      /** The rules' own patterns, sticky: run at a match to locate the secret. */
      anchored = [];
      /** Per rule: match bytes with the byte on either side → secret span within the match (null: none). */
      spanCache = [];
      /** The same patterns with indices, anchored: for the rare match whose secret group is ambiguous. */
      exactPatterns = [];
      prefilter;
      unkeyed = [];
      /** Rules with a `path`: never woken by keywords, run over a whole file whose path matches. */
      pathRules = [];
      /** Per-rule context bytes before and after a keyword hit. */
      before;
      after;
      gate;
      /** Per-rule raw window lists, reused by every findMatches call (emptied after use). */
      scratch;
      allowRegexes;
      /** Candidates an inline pragma allows are returned marked, not dropped (Allowlist.pragmas). */
      reportPragmas;
      stopwords;
      hashedSecrets;
      /** Composite rules whose parts are all present in this rule set. */
      composites;
      /** Ids of rules whose matches only feed composites. */
      partOnly;
      /** Ids of every rule a composite is made of, and the part-only ones: what combineParts looks at. */
      parts;
      constructor(rules2, allow2 = {}, store) {
        this.rules = rules2;
        this.patterns = new Array(rules2.length);
        this.before = Int32Array.from(rules2, (r) => r.before);
        this.after = Int32Array.from(rules2, (r) => r.after);
        this.scratch = rules2.map(() => []);
        this.gate = new BroadRuleGate(rules2);
        this.composites = compositesOf(rules2);
        this.partOnly = new Set(rules2.filter((r) => r.reportAlone === false).map((r) => r.id));
        this.parts = /* @__PURE__ */ new Set([...this.partOnly, ...this.composites.flatMap((c) => c.parts)]);
        const byKeyword = /* @__PURE__ */ new Map();
        rules2.forEach((r, i) => {
          if (r.composite) return;
          if (r.path !== void 0) return void this.pathRules.push({ rule: i, path: compilePath(r) });
          if (r.keywords.length === 0) this.unkeyed.push(i);
          for (const k of r.keywords) {
            const key = k.toLowerCase();
            if (!byKeyword.has(key)) byKeyword.set(key, /* @__PURE__ */ new Set());
            byKeyword.get(key).add(i);
          }
        });
        this.prefilter = keywordPrefilter(byKeyword, store);
        this.allowRegexes = (allow2.regexes ?? []).map((r) => new import_re24.default(r));
        this.stopwords = (allow2.stopwords ?? []).map((s) => s.toLowerCase());
        this.hashedSecrets = new Set((allow2.hashedSecrets ?? []).map((h) => h.toLowerCase()));
        this.reportPragmas = allow2.pragmas === "report";
      }
      segOf;
      /**
       * Matches in `buf` whose secret starts before `limit`. With `segs` (scanSegments), buf is many
       * buffers joined by "\n": every window stays inside the segment of its keyword hit, exactly as
       * when that segment is scanned alone, and a segment where a match found across windows was
       * dropped (it may have hidden one) is marked dirty, to be scanned alone.
       */
      findMatches(buf, limit, segs, pathRules = NO_RULES) {
        const lists = this.scratch;
        const touched = [];
        if (this.prefilter) {
          if (!segs)
            this.prefilter.windows(buf, Math.min(buf.length, limit + 64), this.before, this.after, lists, touched);
          else {
            const of = this.segOf ??= new Int32Array(this.rules.length);
            for (let i = 0; i < segs.starts.length; i++)
              this.prefilter.windows(buf, segs.ends[i], this.before, this.after, lists, touched, {
                from: segs.starts[i],
                id: i,
                of
              });
          }
        }
        const out = [];
        try {
          const possible = this.gate.possible(buf, touched, lists);
          for (const rule of touched) {
            if (possible && !possible.has(rule)) continue;
            const list = this.snap(buf, rule, lists[rule], segs);
            lists[rule].length = 0;
            this.searchWindows(rule, buf, list, limit, out, segs);
          }
        } finally {
          for (const rule of touched) lists[rule].length = 0;
        }
        for (const rule of this.unkeyed) {
          if (!segs) this.matchWindow(rule, buf, 0, buf.length, limit, out);
          else
            for (let i = 0; i < segs.starts.length; i++)
              this.matchWindow(rule, buf, segs.starts[i], segs.ends[i], limit, out);
        }
        for (const rule of pathRules) this.matchWindow(rule, buf, 0, buf.length, limit, out);
        out.sort((x, y) => x.start - y.start || x.rule - y.rule);
        return this.dropShadowed(out);
      }
      /**
       * Raw windows (merged where they overlap) → windows snapped to whole lines or whole tokens,
       * merged again where snapping made them touch. Done once per window, not once per hit.
       */
      snap(buf, rule, raw, segs) {
        const before = this.before[rule];
        const after = this.after[rule];
        const out = [];
        let lo = 0;
        let hi = buf.length;
        for (let i = 0; i < raw.length; i += 2) {
          const rawA = raw[i];
          const rawB = raw[i + 1];
          if (segs) {
            const s = segmentAt(segs, rawA + before);
            lo = segs.starts[s];
            hi = segs.ends[s];
          }
          const a = this.windowStart(buf, Math.max(lo, rawA), rawA + before, lo);
          const b = this.windowEnd(buf, Math.min(hi, rawB), Math.min(hi, rawB - after), hi);
          const n = out.length;
          if (n && a <= out[n - 1]) out[n - 1] = Math.max(out[n - 1], b);
          else out.push(a, b);
        }
        return out;
      }
      /** Neighbouring windows a few hundred bytes apart run as one RE2 call; matches must stay inside one window. */
      searchWindows(rule, buf, list, limit, out, segs) {
        const dropped = segs ? (m) => markDirty(segs, Math.min(m.matchStart, m.start), Math.max(m.matchEnd, m.end)) : void 0;
        for (let i = 0; i < list.length; ) {
          let j = i + 2;
          while (j < list.length && list[j] - list[j - 1] <= COALESCE_GAP) j += 2;
          const from = out.length;
          this.matchWindow(rule, buf, list[i], list[j - 1], limit, out);
          if (j > i + 2) keepInsideWindows(out, from, list, i, j, dropped);
          i = j;
        }
      }
      /**
       * The path rules that run on a file at `path` (any: all of them, for rule verification). Most
       * files match none, and most rule sets have none: then nothing is tested at all.
       */
      rulesForPath(path, any = false) {
        if (this.pathRules.length === 0 || path === void 0 && !any) return NO_RULES;
        if (any) return this.pathRules.map((p) => p.rule);
        const slashed = path.replace(/\\/g, "/");
        const out = this.pathRules.filter((p) => p.path.test(slashed)).map((p) => p.rule);
        return out.length ? out : NO_RULES;
      }
      /** readsPath's answers: a history asks once per change, for the same few hundred paths. */
      pathReads = /* @__PURE__ */ new Map();
      /** Whether a file at `path` is scanned differently from others (path rules, credential store). */
      readsPath(path) {
        let reads = this.pathReads.get(path);
        if (reads === void 0) {
          reads = this.rulesForPath(path).length > 0 || credentialStoreKind(path) !== void 0;
          if (this.pathReads.size >= PATH_READS_MAX) this.pathReads.clear();
          this.pathReads.set(path, reads);
        }
        return reads;
      }
      byId;
      ruleById(id) {
        return (this.byId ??= new Map(this.rules.map((r) => [r.id, r]))).get(id);
      }
      /** Compile every pattern now (rule verification): a bad pattern fails at load, not mid-scan. */
      compileAll() {
        this.rules.forEach((r, i) => {
          if (!r.composite) {
            this.patterns[i] ??= this.compileScan(i);
            this.anchored[i] ??= compilePattern(r, "y");
          }
        });
      }
      /**
       * One secret, one finding: where a generic (lower-confidence) rule matched a span that a more
       * specific rule also matched, keep only the specific one.
       */
      dropShadowed(sorted) {
        if (sorted.length < 2) return sorted;
        const rank = (m) => CONFIDENCE_RANK[this.rules[m.rule].confidence];
        const drop = /* @__PURE__ */ new Set();
        for (let i = 0; i < sorted.length; i++) {
          const a = sorted[i];
          for (let j = i + 1; j < sorted.length && sorted[j].start < a.end; j++) {
            const b = sorted[j];
            if (this.rules[a.rule].reportAlone === false || this.rules[b.rule].reportAlone === false) continue;
            if (rank(a) > rank(b)) drop.add(b);
            else if (rank(b) > rank(a)) drop.add(a);
          }
        }
        return drop.size ? sorted.filter((m) => !drop.has(m)) : sorted;
      }
      /** Move a window start that fell inside a token back to the line start or forward past the token. */
      /**
       * Snap a window start to the first whole line inside `context.before`; on a long line (no line
       * start between `a` and the hit), move it forward out of any token it cuts.
       */
      windowStart(buf, a, pos, lo) {
        if (a === lo) return lo;
        const nl = buf.indexOf(NEWLINE4, a - 1);
        if (nl !== -1 && nl < pos) return nl + 1;
        while (a < pos && TOKEN_BYTE[buf[a - 1]]) a++;
        return a;
      }
      /**
       * Snap a window end to the last whole line inside `context.after`; on a long line, extend it to
       * the end of the token it cuts (bounded), so a long token (a JWT in a minified bundle) stays whole.
       */
      windowEnd(buf, b, hitEnd, hi) {
        if (b >= hi) return hi;
        const last = buf.lastIndexOf(NEWLINE4, b - 1);
        if (last >= hitEnd) return last;
        const cap = Math.min(hi, b + 65536);
        while (b < cap && TOKEN_BYTE[buf[b]]) b++;
        return b;
      }
      matchWindow(rule, buf, a, b, limit, out) {
        const slice = buf.subarray(a, b);
        if (this.patterns[rule] === void 0 && this.cannotMatch(rule, slice)) return;
        const re = this.patterns[rule] ??= this.compileScan(rule);
        re.lastIndex = 0;
        let m;
        while ((m = re.exec(slice)) !== null) {
          const whole = m[0];
          if (whole.length === 0) {
            re.lastIndex++;
            continue;
          }
          const span = this.spanOf(rule, slice, m, whole);
          if (!span || span[1] <= span[0]) continue;
          const matchStart = a + m.index;
          const start = a + span[0];
          const end = a + span[1];
          if (start >= limit) continue;
          const secret = buf.toString("utf8", start, end);
          const structure = this.rules[rule].structure;
          if (structure && !hasStructure(structure, secret)) continue;
          out.push({ rule, start, end, matchStart, matchEnd: matchStart + whole.length, secret, decoded: void 0 });
        }
      }
      /**
       * Whether the rule's relaxed pattern (relaxed.ts) finds nothing in `slice`: then its own, not
       * compiled yet and dear to compile, cannot match there either.
       */
      cannotMatch(rule, slice) {
        let relaxed = this.relaxed[rule];
        if (relaxed === void 0) {
          const pattern = relaxedCounts(withoutCaptures(this.rules[rule].pattern).pattern);
          try {
            relaxed = pattern === void 0 ? null : new import_re24.default(pattern);
          } catch {
            relaxed = null;
          }
          this.relaxed[rule] = relaxed;
        }
        return relaxed !== null && !relaxed.test(slice);
      }
      /**
       * The search runs a copy of the pattern without capture groups: RE2 then finds a match with its
       * DFA alone, and the submatch pass (half the cost of a match on the generic rules, which match
       * thousands of times per MB of code before the filters drop them) runs only to locate the secret.
       */
      compileScan(rule) {
        const r = this.rules[rule];
        const plain2 = withoutCaptures(r.pattern);
        this.captures[rule] = plain2.groups > 0;
        if (plain2.groups === 0) return compilePattern(r, "g");
        try {
          return new import_re24.default(plain2.pattern, "g");
        } catch {
          this.captures[rule] = void 0;
          return compilePattern(r, "g");
        }
      }
      /**
       * Byte span of the secret in `slice` for the match of `whole` at `at`. The secret's place in a
       * match depends only on the match's bytes and the byte on either side (for \b, ^ and $), so it
       * is remembered per rule: code repeats the same assignments (`apiKey = process.env.API_KEY`)
       * again and again. Otherwise the pattern with its groups runs anchored at the match.
       */
      spanOf(rule, slice, m, whole) {
        const at = m.index;
        const grouped = this.captures[rule];
        if (grouped === false) return [at, at + whole.length];
        let key;
        let cache;
        if (grouped && whole.length <= SPAN_CACHE_MATCH) {
          const before = at > 0 ? slice[at - 1] : 256;
          const after = at + whole.length < slice.length ? slice[at + whole.length] : 256;
          key = `${before},${after},${whole.toString("latin1")}`;
          cache = this.spanCache[rule] ??= /* @__PURE__ */ new Map();
          const known = cache.get(key);
          if (known !== void 0) return known ? [at + known[0], at + known[1]] : void 0;
        }
        let span;
        if (grouped) {
          const exact = this.anchored[rule] ??= compilePattern(this.rules[rule], "y");
          exact.lastIndex = at;
          const again = exact.exec(slice);
          if (again && again.index === at) span = this.secretSpan(rule, slice, again, again[0]);
        } else {
          span = this.secretSpan(rule, slice, m, whole);
        }
        if (cache && key !== void 0) {
          if (cache.size >= SPAN_CACHE_SIZE) cache.clear();
          cache.set(key, span ? [span[0] - at, span[1] - at] : null);
        }
        return span;
      }
      /**
       * Byte span of the secret in `slice` for match `m` (found without the "d" flag): the group's
       * bytes located inside the match, or, when they occur twice in it, RE2's indices.
       */
      secretSpan(rule, slice, m, whole) {
        const r = this.rules[rule];
        const group = secretGroupValue(m, r.secretGroup);
        if (group === whole) return [m.index, m.index + whole.length];
        if (!group || group.length === 0) return void 0;
        const at = whole.indexOf(group);
        if (at !== -1 && whole.lastIndexOf(group) === at) return [m.index + at, m.index + at + group.length];
        const exact = this.exactPatterns[rule] ??= compilePattern(r, "yd");
        exact.lastIndex = m.index;
        const again = exact.exec(slice);
        return again ? secretSpan(again, r.secretGroup) : void 0;
      }
      /**
       * Filters that need only the secret: placeholders, entropy, allowlists. In a credential store
       * (`store`), only references (${VAR}, <password>, ****) count as placeholders: a weak password
       * committed there is still a leak.
       */
      accepts(rule, secret, store = false) {
        if (rule.placeholders) {
          const evidence = evidenceFor(rule, secret);
          if (store ? isReference(secret, evidence) : isPlaceholder(secret, evidence)) return false;
        }
        if (rule.entropy !== void 0 && shannonEntropy(secret) < rule.entropy) return false;
        for (const re of this.allowRegexes) if (re.test(secret)) return false;
        if (this.stopwords.length) {
          const lower = secret.toLowerCase();
          for (const w of this.stopwords) if (lower.includes(w)) return false;
        }
        if (this.hashedSecrets.size && this.hashedSecrets.has(sha1Hex(secret))) return false;
        return true;
      }
    };
  }
});

// src/package/own-files.ts
var import_node_path, import_node_fs, import_node_sea, import_node_url, bundle, here, codeDir, root, VERSION;
var init_own_files = __esm({
  "src/package/own-files.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_node_path = require("node:path");
    import_node_fs = require("node:fs");
    import_node_sea = require("node:sea");
    import_node_url = require("node:url");
    bundle = typeof define_LEAKRADIUS_BUNDLE_default === "undefined" ? void 0 : define_LEAKRADIUS_BUNDLE_default;
    here = (0, import_node_url.fileURLToPath)(__leakradius_import_meta_url);
    codeDir = bundle ? (0, import_node_path.dirname)(here) : (0, import_node_path.join)((0, import_node_path.dirname)(here), "..");
    root = (0, import_node_path.join)(codeDir, "..");
    VERSION = bundle?.version ?? JSON.parse((0, import_node_fs.readFileSync)((0, import_node_path.join)(root, "package.json"), "utf8")).version;
  }
});

// src/detect/cache-file.ts
var init_cache_file = __esm({
  "src/detect/cache-file.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
  }
});

// src/detect/rules.ts
var import_node_module2, requireLazy2;
var init_rules = __esm({
  "src/detect/rules.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_node_module2 = require("node:module");
    init_errors();
    init_own_files();
    init_digest();
    init_cache_file();
    init_checksum();
    requireLazy2 = (0, import_node_module2.createRequire)(__leakradius_import_meta_url);
  }
});

// src/detect/prefilter-cache.ts
var init_prefilter_cache = __esm({
  "src/detect/prefilter-cache.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_own_files();
    init_digest();
    init_rules();
    init_cache_file();
  }
});

// src/detect/index.ts
var init_detect = __esm({
  "src/detect/index.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_chunks();
    init_detector();
    init_prefilter_cache();
    init_rules();
    init_segments();
  }
});

// src/dedupe/blob-repeats.ts
var MAX_PER_SECRET, CandidateSink;
var init_blob_repeats = __esm({
  "src/dedupe/blob-repeats.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    MAX_PER_SECRET = 100;
    CandidateSink = class {
      list = [];
      counts = /* @__PURE__ */ new Map();
      add(batch) {
        for (const c of batch) {
          const key = `${c.ruleId}\0${c.secret}`;
          const n = this.counts.get(key);
          if (!n) {
            this.counts.set(key, { kept: 1, extra: 0, last: this.list.length });
            this.list.push(c);
          } else if (n.kept < MAX_PER_SECRET) {
            n.kept++;
            n.last = this.list.length;
            this.list.push(c);
          } else {
            n.extra += 1 + (c.extra ?? 0);
          }
        }
      }
      result() {
        for (const n of this.counts.values()) {
          if (!n.extra) continue;
          const last = this.list[n.last];
          this.list[n.last] = { ...last, extra: (last.extra ?? 0) + n.extra };
        }
        return this.list;
      }
    };
  }
});

// node_modules/pend/index.js
var require_pend = __commonJS({
  "node_modules/pend/index.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    module2.exports = Pend;
    function Pend() {
      this.pending = 0;
      this.max = Infinity;
      this.listeners = [];
      this.waiting = [];
      this.error = null;
    }
    Pend.prototype.go = function(fn) {
      if (this.pending < this.max) {
        pendGo(this, fn);
      } else {
        this.waiting.push(fn);
      }
    };
    Pend.prototype.wait = function(cb) {
      if (this.pending === 0) {
        cb(this.error);
      } else {
        this.listeners.push(cb);
      }
    };
    Pend.prototype.hold = function() {
      return pendHold(this);
    };
    function pendHold(self) {
      self.pending += 1;
      var called = false;
      return onCb;
      function onCb(err) {
        if (called) throw new Error("callback called twice");
        called = true;
        self.error = self.error || err;
        self.pending -= 1;
        if (self.waiting.length > 0 && self.pending < self.max) {
          pendGo(self, self.waiting.shift());
        } else if (self.pending === 0) {
          var listeners = self.listeners;
          self.listeners = [];
          listeners.forEach(cbListener);
        }
      }
      function cbListener(listener) {
        listener(self.error);
      }
    }
    function pendGo(self, fn) {
      fn(pendHold(self));
    }
  }
});

// node_modules/yauzl/fd-slicer.js
var require_fd_slicer = __commonJS({
  "node_modules/yauzl/fd-slicer.js"(exports2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var fs = require("fs");
    var util = require("util");
    var stream2 = require("stream");
    var Readable2 = stream2.Readable;
    var PassThrough = stream2.PassThrough;
    var Pend = require_pend();
    var EventEmitter = require("events").EventEmitter;
    exports2.BufferSlicer = BufferSlicer;
    exports2.FdSlicer = FdSlicer;
    util.inherits(FdSlicer, EventEmitter);
    function FdSlicer(fd) {
      EventEmitter.call(this);
      this.fd = fd;
      this.pend = new Pend();
      this.pend.max = 1;
      this.refCount = 0;
    }
    FdSlicer.prototype.read = function(buffer, offset, length, position, callback) {
      var self = this;
      self.pend.go(function(cb) {
        fs.read(self.fd, buffer, offset, length, position, function(err, bytesRead, buffer2) {
          cb();
          callback(err, bytesRead, buffer2);
        });
      });
    };
    FdSlicer.prototype.createReadStream = function(options2) {
      return new ReadStream(this, options2);
    };
    FdSlicer.prototype.ref = function() {
      this.refCount += 1;
    };
    FdSlicer.prototype.unref = function() {
      var self = this;
      self.refCount -= 1;
      if (self.refCount < 0) throw new Error("invalid unref");
      if (self.refCount > 0) return;
      fs.close(self.fd, onCloseDone);
      function onCloseDone(err) {
        if (err) {
          self.emit("error", err);
        } else {
          self.emit("close");
        }
      }
    };
    util.inherits(ReadStream, Readable2);
    function ReadStream(context, options2) {
      options2 = options2 || {};
      Readable2.call(this, options2);
      this.context = context;
      this.context.ref();
      this.start = options2.start || 0;
      this.endOffset = options2.end;
      this.pos = this.start;
    }
    ReadStream.prototype._read = function(n) {
      var self = this;
      var toRead = Math.min(self._readableState.highWaterMark, n);
      if (self.endOffset != null) {
        toRead = Math.min(toRead, self.endOffset - self.pos);
      }
      if (toRead <= 0) {
        self.push(null);
        this._cleanup();
        return;
      }
      self.context.pend.go(function(cb) {
        var buffer = Buffer.allocUnsafe(toRead);
        fs.read(self.context.fd, buffer, 0, toRead, self.pos, function(err, bytesRead) {
          if (err) {
            self.destroy(err);
          } else if (bytesRead === 0) {
            self.push(null);
            self._cleanup();
          } else {
            self.pos += bytesRead;
            self.push(buffer.slice(0, bytesRead));
          }
          cb();
        });
      });
    };
    ReadStream.prototype._destroy = function(err, cb) {
      this._cleanup();
      cb(err);
    };
    ReadStream.prototype._cleanup = function() {
      if (this.context != null) {
        this.context.unref();
        this.context = null;
      }
    };
    util.inherits(BufferSlicer, EventEmitter);
    function BufferSlicer(buffer) {
      EventEmitter.call(this);
      this.refCount = 0;
      this.buffer = buffer;
    }
    BufferSlicer.prototype.read = function(buffer, offset, length, position, callback) {
      if (!(0 <= offset && offset <= buffer.length)) throw new RangeError("offset outside buffer: 0 <= " + offset + " <= " + buffer.length);
      if (position < 0) throw new RangeError("position is negative: " + position);
      if (offset + length > buffer.length) {
        length = buffer.length - offset;
      }
      if (position + length > this.buffer.length) {
        length = this.buffer.length - position;
      }
      if (length <= 0) {
        setImmediate(function() {
          callback(null, 0);
        });
        return;
      }
      this.buffer.copy(buffer, offset, position, position + length);
      setImmediate(function() {
        callback(null, length);
      });
    };
    BufferSlicer.prototype.createReadStream = function(options2) {
      options2 = options2 || {};
      var readStream = new PassThrough(options2);
      readStream.start = options2.start || 0;
      readStream.endOffset = options2.end;
      readStream.pos = readStream.endOffset || this.buffer.length;
      var entireSlice = this.buffer.slice(readStream.start, readStream.pos);
      var maxChunkSize = 65536;
      var offset = 0;
      while (true) {
        var nextOffset = offset + maxChunkSize;
        if (nextOffset >= entireSlice.length) {
          if (offset < entireSlice.length) {
            readStream.write(entireSlice.slice(offset, entireSlice.length));
          }
          break;
        }
        readStream.write(entireSlice.slice(offset, nextOffset));
        offset = nextOffset;
      }
      readStream.end();
      return readStream;
    };
    BufferSlicer.prototype.ref = function() {
      this.refCount += 1;
    };
    BufferSlicer.prototype.unref = function() {
      this.refCount -= 1;
      if (this.refCount < 0) {
        throw new Error("invalid unref");
      }
    };
  }
});

// node_modules/yauzl/crc32.js
var require_crc32 = __commonJS({
  "node_modules/yauzl/crc32.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var CRC_TABLE2 = new Int32Array([
      0,
      1996959894,
      3993919788,
      2567524794,
      124634137,
      1886057615,
      3915621685,
      2657392035,
      249268274,
      2044508324,
      3772115230,
      2547177864,
      162941995,
      2125561021,
      3887607047,
      2428444049,
      498536548,
      1789927666,
      4089016648,
      2227061214,
      450548861,
      1843258603,
      4107580753,
      2211677639,
      325883990,
      1684777152,
      4251122042,
      2321926636,
      335633487,
      1661365465,
      4195302755,
      2366115317,
      997073096,
      1281953886,
      3579855332,
      2724688242,
      1006888145,
      1258607687,
      3524101629,
      2768942443,
      901097722,
      1119000684,
      3686517206,
      2898065728,
      853044451,
      1172266101,
      3705015759,
      2882616665,
      651767980,
      1373503546,
      3369554304,
      3218104598,
      565507253,
      1454621731,
      3485111705,
      3099436303,
      671266974,
      1594198024,
      3322730930,
      2970347812,
      795835527,
      1483230225,
      3244367275,
      3060149565,
      1994146192,
      31158534,
      2563907772,
      4023717930,
      1907459465,
      112637215,
      2680153253,
      3904427059,
      2013776290,
      251722036,
      2517215374,
      3775830040,
      2137656763,
      141376813,
      2439277719,
      3865271297,
      1802195444,
      476864866,
      2238001368,
      4066508878,
      1812370925,
      453092731,
      2181625025,
      4111451223,
      1706088902,
      314042704,
      2344532202,
      4240017532,
      1658658271,
      366619977,
      2362670323,
      4224994405,
      1303535960,
      984961486,
      2747007092,
      3569037538,
      1256170817,
      1037604311,
      2765210733,
      3554079995,
      1131014506,
      879679996,
      2909243462,
      3663771856,
      1141124467,
      855842277,
      2852801631,
      3708648649,
      1342533948,
      654459306,
      3188396048,
      3373015174,
      1466479909,
      544179635,
      3110523913,
      3462522015,
      1591671054,
      702138776,
      2966460450,
      3352799412,
      1504918807,
      783551873,
      3082640443,
      3233442989,
      3988292384,
      2596254646,
      62317068,
      1957810842,
      3939845945,
      2647816111,
      81470997,
      1943803523,
      3814918930,
      2489596804,
      225274430,
      2053790376,
      3826175755,
      2466906013,
      167816743,
      2097651377,
      4027552580,
      2265490386,
      503444072,
      1762050814,
      4150417245,
      2154129355,
      426522225,
      1852507879,
      4275313526,
      2312317920,
      282753626,
      1742555852,
      4189708143,
      2394877945,
      397917763,
      1622183637,
      3604390888,
      2714866558,
      953729732,
      1340076626,
      3518719985,
      2797360999,
      1068828381,
      1219638859,
      3624741850,
      2936675148,
      906185462,
      1090812512,
      3747672003,
      2825379669,
      829329135,
      1181335161,
      3412177804,
      3160834842,
      628085408,
      1382605366,
      3423369109,
      3138078467,
      570562233,
      1426400815,
      3317316542,
      2998733608,
      733239954,
      1555261956,
      3268935591,
      3050360625,
      752459403,
      1541320221,
      2607071920,
      3965973030,
      1969922972,
      40735498,
      2617837225,
      3943577151,
      1913087877,
      83908371,
      2512341634,
      3803740692,
      2075208622,
      213261112,
      2463272603,
      3855990285,
      2094854071,
      198958881,
      2262029012,
      4057260610,
      1759359992,
      534414190,
      2176718541,
      4139329115,
      1873836001,
      414664567,
      2282248934,
      4279200368,
      1711684554,
      285281116,
      2405801727,
      4167216745,
      1634467795,
      376229701,
      2685067896,
      3608007406,
      1308918612,
      956543938,
      2808555105,
      3495958263,
      1231636301,
      1047427035,
      2932959818,
      3654703836,
      1088359270,
      936918e3,
      2847714899,
      3736837829,
      1202900863,
      817233897,
      3183342108,
      3401237130,
      1404277552,
      615818150,
      3134207493,
      3453421203,
      1423857449,
      601450431,
      3009837614,
      3294710456,
      1567103746,
      711928724,
      3020668471,
      3272380065,
      1510334235,
      755167117
    ]);
    function crc322(buf) {
      let crc = -1;
      for (let x of buf) {
        crc = CRC_TABLE2[(crc ^ x) & 255] ^ crc >>> 8;
      }
      return (crc ^ -1) >>> 0;
    }
    module2.exports = crc322;
  }
});

// node_modules/yauzl/index.js
var require_yauzl = __commonJS({
  "node_modules/yauzl/index.js"(exports2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var fs = require("fs");
    var zlib = require("zlib");
    var fd_slicer = require_fd_slicer();
    var util = require("util");
    var EventEmitter = require("events").EventEmitter;
    var Transform2 = require("stream").Transform;
    var PassThrough = require("stream").PassThrough;
    var Writable = require("stream").Writable;
    var crc322 = typeof zlib.crc32 === "function" ? zlib.crc32 : require_crc32();
    exports2.open = open;
    exports2.fromFd = fromFd;
    exports2.fromBuffer = fromBuffer;
    exports2.fromRandomAccessReader = fromRandomAccessReader;
    exports2.openPromise = openPromise;
    exports2.fromFdPromise = fromFdPromise;
    exports2.fromBufferPromise = fromBufferPromise;
    exports2.fromRandomAccessReaderPromise = fromRandomAccessReaderPromise;
    exports2.dosDateTimeToDate = dosDateTimeToDate;
    exports2.getFileNameLowLevel = getFileNameLowLevel;
    exports2.validateFileName = validateFileName;
    exports2.parseExtraFields = parseExtraFields;
    exports2.ZipFile = ZipFile;
    exports2.Entry = Entry;
    exports2.LocalFileHeader = LocalFileHeader;
    exports2.RandomAccessReader = RandomAccessReader;
    function openPromise(path, options2) {
      return new Promise((resolve, reject) => {
        open(path, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve(zipfile);
        });
      });
    }
    function fromFdPromise(fd, options2) {
      return new Promise((resolve, reject) => {
        fromFd(fd, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve(zipfile);
        });
      });
    }
    function fromBufferPromise(buffer, options2) {
      return new Promise((resolve, reject) => {
        fromBuffer(buffer, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve(zipfile);
        });
      });
    }
    function fromRandomAccessReaderPromise(reader, totalSize, options2) {
      return new Promise((resolve, reject) => {
        fromRandomAccessReader(reader, totalSize, { ...options2, lazyEntries: true }, function(err, zipfile) {
          if (err) return reject(err);
          resolve(zipfile);
        });
      });
    }
    function open(path, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      if (options2.autoClose == null) options2.autoClose = true;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      if (callback == null) callback = defaultCallback;
      fs.open(path, "r", function(err, fd) {
        if (err) return callback(err);
        fromFd(fd, options2, function(err2, zipfile) {
          if (err2) fs.close(fd, defaultCallback);
          callback(err2, zipfile);
        });
      });
    }
    function fromFd(fd, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      if (options2.autoClose == null) options2.autoClose = false;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      if (callback == null) callback = defaultCallback;
      fs.fstat(fd, function(err, stats) {
        if (err) return callback(err);
        var reader = new fd_slicer.FdSlicer(fd);
        fromRandomAccessReader(reader, stats.size, options2, callback);
      });
    }
    function fromBuffer(buffer, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      options2.autoClose = false;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      var reader = new fd_slicer.BufferSlicer(buffer);
      fromRandomAccessReader(reader, buffer.length, options2, callback);
    }
    function fromRandomAccessReader(reader, totalSize, options2, callback) {
      if (typeof options2 === "function") {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      if (options2.autoClose == null) options2.autoClose = true;
      if (options2.lazyEntries == null) options2.lazyEntries = false;
      if (options2.decodeStrings == null) options2.decodeStrings = true;
      var decodeStrings = !!options2.decodeStrings;
      if (options2.validateEntrySizes == null) options2.validateEntrySizes = true;
      if (options2.strictFileNames == null) options2.strictFileNames = false;
      if (callback == null) callback = defaultCallback;
      if (typeof totalSize !== "number") throw new Error("expected totalSize parameter to be a number");
      if (totalSize > Number.MAX_SAFE_INTEGER) {
        throw new Error("zip file too large. only file sizes up to 2^52 are supported due to JavaScript's Number type being an IEEE 754 double.");
      }
      reader.ref();
      var eocdrWithoutCommentSize = 22;
      var zip64EocdlSize = 20;
      var maxCommentSize = 65535;
      var bufferSize = Math.min(zip64EocdlSize + eocdrWithoutCommentSize + maxCommentSize, totalSize);
      var buffer = newBuffer(bufferSize);
      var bufferReadStart = totalSize - buffer.length;
      readAndAssertNoEof(reader, buffer, 0, bufferSize, bufferReadStart, function(err) {
        if (err) return callback(err);
        for (var i = bufferSize - eocdrWithoutCommentSize; i >= 0; i -= 1) {
          if (buffer.readUInt32LE(i) !== 101010256) continue;
          var eocdrBuffer = buffer.subarray(i);
          var diskNumber = eocdrBuffer.readUInt16LE(4);
          var entryCount = eocdrBuffer.readUInt16LE(10);
          var centralDirectoryOffset = eocdrBuffer.readUInt32LE(16);
          var commentLength = eocdrBuffer.readUInt16LE(20);
          var expectedCommentLength = eocdrBuffer.length - eocdrWithoutCommentSize;
          if (commentLength !== expectedCommentLength) {
            return callback(new Error("Invalid comment length. Expected: " + expectedCommentLength + ". Found: " + commentLength + ". Are there extra bytes at the end of the file? Or is the end of central dir signature `PK\u263A\u263B` in the comment?"));
          }
          var comment = decodeStrings ? decodeBuffer(eocdrBuffer.subarray(22), false) : eocdrBuffer.subarray(22);
          if (i - zip64EocdlSize >= 0 && buffer.readUInt32LE(i - zip64EocdlSize) === 117853008) {
            var zip64EocdlBuffer = buffer.subarray(i - zip64EocdlSize, i - zip64EocdlSize + zip64EocdlSize);
            var zip64EocdrOffset = readUInt64LE(zip64EocdlBuffer, 8);
            var zip64EocdrBuffer = newBuffer(56);
            return readAndAssertNoEof(reader, zip64EocdrBuffer, 0, zip64EocdrBuffer.length, zip64EocdrOffset, function(err2) {
              if (err2) return callback(err2);
              if (zip64EocdrBuffer.readUInt32LE(0) !== 101075792) {
                return callback(new Error("invalid zip64 end of central directory record signature"));
              }
              diskNumber = zip64EocdrBuffer.readUInt32LE(16);
              if (diskNumber !== 0) {
                return callback(new Error("multi-disk zip files are not supported: found disk number: " + diskNumber));
              }
              entryCount = readUInt64LE(zip64EocdrBuffer, 32);
              centralDirectoryOffset = readUInt64LE(zip64EocdrBuffer, 48);
              return callback(null, new ZipFile(reader, centralDirectoryOffset, totalSize, entryCount, comment, options2.autoClose, options2.lazyEntries, decodeStrings, options2.validateEntrySizes, options2.strictFileNames));
            });
          }
          if (diskNumber !== 0) {
            return callback(new Error("multi-disk zip files are not supported: found disk number: " + diskNumber));
          }
          return callback(null, new ZipFile(reader, centralDirectoryOffset, totalSize, entryCount, comment, options2.autoClose, options2.lazyEntries, decodeStrings, options2.validateEntrySizes, options2.strictFileNames));
        }
        callback(new Error("End of central directory record signature not found. Either not a zip file, or file is truncated."));
      });
    }
    util.inherits(ZipFile, EventEmitter);
    function ZipFile(reader, centralDirectoryOffset, fileSize, entryCount, comment, autoClose, lazyEntries, decodeStrings, validateEntrySizes, strictFileNames) {
      var self = this;
      EventEmitter.call(self);
      self.reader = reader;
      self.reader.on("error", function(err) {
        emitError(self, err);
      });
      self.reader.once("close", function() {
        self.emit("close");
      });
      self.readEntryCursor = centralDirectoryOffset;
      self.fileSize = fileSize;
      self.entryCount = entryCount;
      self.comment = comment;
      self.entriesRead = 0;
      self.autoClose = !!autoClose;
      self.lazyEntries = !!lazyEntries;
      self.decodeStrings = !!decodeStrings;
      self.validateEntrySizes = !!validateEntrySizes;
      self.strictFileNames = !!strictFileNames;
      self.isOpen = true;
      self.emittedError = false;
      self.hasEachEntryBeenCalled = false;
      if (!self.lazyEntries) self._readEntry();
    }
    ZipFile.prototype.close = function() {
      if (!this.isOpen) return;
      this.isOpen = false;
      this.reader.unref();
    };
    function emitErrorAndAutoClose(self, err) {
      if (self.autoClose) self.close();
      emitError(self, err);
    }
    function emitError(self, err) {
      if (self.emittedError) return;
      self.emittedError = true;
      self.emit("error", err);
    }
    ZipFile.prototype.readEntry = function() {
      if (!this.lazyEntries) throw new Error("readEntry() called without lazyEntries:true");
      this._readEntry();
    };
    ZipFile.prototype._readEntry = function() {
      var self = this;
      if (self.entryCount === self.entriesRead) {
        setImmediate(function() {
          if (self.autoClose) self.close();
          if (self.emittedError) return;
          self.emit("end");
        });
        return;
      }
      if (self.emittedError) return;
      var buffer = newBuffer(46);
      readAndAssertNoEof(self.reader, buffer, 0, buffer.length, self.readEntryCursor, function(err) {
        if (err) return emitErrorAndAutoClose(self, err);
        if (self.emittedError) return;
        var entry = new Entry();
        var signature = buffer.readUInt32LE(0);
        if (signature !== 33639248) return emitErrorAndAutoClose(self, new Error("invalid central directory file header signature: 0x" + signature.toString(16)));
        entry.versionMadeBy = buffer.readUInt16LE(4);
        entry.versionNeededToExtract = buffer.readUInt16LE(6);
        entry.generalPurposeBitFlag = buffer.readUInt16LE(8);
        entry.compressionMethod = buffer.readUInt16LE(10);
        entry.lastModFileTime = buffer.readUInt16LE(12);
        entry.lastModFileDate = buffer.readUInt16LE(14);
        entry.crc32 = buffer.readUInt32LE(16);
        entry.compressedSize = buffer.readUInt32LE(20);
        entry.uncompressedSize = buffer.readUInt32LE(24);
        entry.fileNameLength = buffer.readUInt16LE(28);
        entry.extraFieldLength = buffer.readUInt16LE(30);
        entry.fileCommentLength = buffer.readUInt16LE(32);
        entry.internalFileAttributes = buffer.readUInt16LE(36);
        entry.externalFileAttributes = buffer.readUInt32LE(38);
        entry.relativeOffsetOfLocalHeader = buffer.readUInt32LE(42);
        if (entry.generalPurposeBitFlag & 64) return emitErrorAndAutoClose(self, new Error("strong encryption is not supported"));
        self.readEntryCursor += 46;
        buffer = newBuffer(entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength);
        readAndAssertNoEof(self.reader, buffer, 0, buffer.length, self.readEntryCursor, function(err2) {
          if (err2) return emitErrorAndAutoClose(self, err2);
          if (self.emittedError) return;
          entry.fileNameRaw = buffer.subarray(0, entry.fileNameLength);
          var fileCommentStart = entry.fileNameLength + entry.extraFieldLength;
          entry.extraFieldRaw = buffer.subarray(entry.fileNameLength, fileCommentStart);
          entry.fileCommentRaw = buffer.subarray(fileCommentStart, fileCommentStart + entry.fileCommentLength);
          try {
            entry.extraFields = parseExtraFields(entry.extraFieldRaw);
          } catch (err3) {
            return emitErrorAndAutoClose(self, err3);
          }
          if (self.decodeStrings) {
            var isUtf8 = (entry.generalPurposeBitFlag & 2048) !== 0;
            entry.fileComment = decodeBuffer(entry.fileCommentRaw, isUtf8);
            entry.fileName = getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, self.strictFileNames);
            var errorMessage2 = validateFileName(entry.fileName);
            if (errorMessage2 != null) return emitErrorAndAutoClose(self, new Error(errorMessage2));
          } else {
            entry.fileComment = entry.fileCommentRaw;
            entry.fileName = entry.fileNameRaw;
          }
          entry.comment = entry.fileComment;
          self.readEntryCursor += buffer.length;
          self.entriesRead += 1;
          for (var i = 0; i < entry.extraFields.length; i++) {
            var extraField = entry.extraFields[i];
            if (extraField.id !== 1) continue;
            var zip64EiefBuffer = extraField.data;
            var index = 0;
            if (entry.uncompressedSize === 4294967295) {
              if (index + 8 > zip64EiefBuffer.length) {
                return emitErrorAndAutoClose(self, new Error("zip64 extended information extra field does not include uncompressed size"));
              }
              entry.uncompressedSize = readUInt64LE(zip64EiefBuffer, index);
              index += 8;
            }
            if (entry.compressedSize === 4294967295) {
              if (index + 8 > zip64EiefBuffer.length) {
                return emitErrorAndAutoClose(self, new Error("zip64 extended information extra field does not include compressed size"));
              }
              entry.compressedSize = readUInt64LE(zip64EiefBuffer, index);
              index += 8;
            }
            if (entry.relativeOffsetOfLocalHeader === 4294967295) {
              if (index + 8 > zip64EiefBuffer.length) {
                return emitErrorAndAutoClose(self, new Error("zip64 extended information extra field does not include relative header offset"));
              }
              entry.relativeOffsetOfLocalHeader = readUInt64LE(zip64EiefBuffer, index);
              index += 8;
            }
            break;
          }
          if (self.validateEntrySizes && entry.compressionMethod === 0) {
            var expectedCompressedSize = entry.uncompressedSize;
            if (entry.isEncrypted()) {
              expectedCompressedSize += 12;
            }
            if (entry.compressedSize !== expectedCompressedSize) {
              var msg = "compressed/uncompressed size mismatch for stored file: " + entry.compressedSize + " != " + entry.uncompressedSize;
              return emitErrorAndAutoClose(self, new Error(msg));
            }
          }
          self.emit("entry", entry);
          if (!self.lazyEntries) self._readEntry();
        });
      });
    };
    ZipFile.prototype.eachEntry = function() {
      const self = this;
      if (!self.lazyEntries) throw new Error("eachEntry() requires lazyEntries: true");
      if (self.hasEachEntryBeenCalled) throw new Error("eachEntry() must only be called once per ZipFile");
      self.hasEachEntryBeenCalled = true;
      let pendingResolveReject = null;
      self.on("entry", onEntry);
      self.on("end", onEnd);
      self.on("error", onError);
      function cleanup() {
        self.removeListener("entry", onEntry);
        self.removeListener("end", onEnd);
        self.removeListener("error", onError);
        if (self.autoClose) self.close();
      }
      function onEntry(entry) {
        let { resolve } = pendingResolveReject;
        pendingResolveReject = null;
        resolve({ value: entry });
      }
      function onEnd() {
        let { resolve } = pendingResolveReject;
        pendingResolveReject = null;
        cleanup();
        resolve({ done: true });
      }
      function onError(err) {
        let { reject } = pendingResolveReject;
        pendingResolveReject = null;
        cleanup();
        reject(err);
      }
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        next() {
          const promise = new Promise((resolve, reject) => {
            if (pendingResolveReject != null) throw new Error("next() called before previous Promise was resolved.");
            pendingResolveReject = { resolve, reject };
          });
          self.readEntry();
          return promise;
        },
        return(value) {
          cleanup();
          return Promise.resolve({ done: true, value });
        },
        throw(value) {
          cleanup();
          return Promise.reject(value);
        }
      };
    };
    ZipFile.prototype.openReadStream = function(entry, options2, callback) {
      var self = this;
      var relativeStart = 0;
      var relativeEnd = entry.compressedSize;
      if (callback == null) {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) {
        options2 = {};
      } else {
        if (options2.decodeFileData === false) {
          if (options2.decrypt != null) {
            throw new Error("cannot use options.decrypt when options.decodeFileData === false");
          }
          if (options2.decompress != null) {
            throw new Error("cannot use options.decompress when options.decodeFileData === false");
          }
        } else {
          if (options2.decrypt != null) {
            if (!entry.isEncrypted()) {
              throw new Error("options.decrypt can only be specified for encrypted entries. See also option decodeFileData.");
            }
            if (options2.decrypt !== false) throw new Error("invalid options.decrypt value: " + options2.decrypt);
            if (entry.isCompressed()) {
              if (options2.decompress !== false) throw new Error("entry is encrypted and compressed, and options.decompress !== false. See also option decodeFileData.");
            }
          }
          if (options2.decompress != null) {
            if (!entry.isCompressed()) {
              throw new Error("options.decompress can only be specified for compressed entries. See also option decodeFileData.");
            }
            if (!(options2.decompress === false || options2.decompress === true)) {
              throw new Error("invalid options.decompress value: " + options2.decompress);
            }
            decompress = options2.decompress;
          }
        }
        if (options2.start != null) {
          relativeStart = options2.start;
          if (relativeStart < 0) throw new Error("options.start < 0");
          if (relativeStart > entry.compressedSize) throw new Error("options.start > entry.compressedSize");
        }
        if (options2.end != null) {
          relativeEnd = options2.end;
          if (relativeEnd < 0) throw new Error("options.end < 0");
          if (relativeEnd > entry.compressedSize) throw new Error("options.end > entry.compressedSize");
          if (relativeEnd < relativeStart) throw new Error("options.end < options.start");
        }
      }
      var rawMode = options2.decodeFileData === false || // Explicitly requested raw.
      (entry.compressionMethod === 0 || // Naturally without compression.
      entry.compressionMethod === 8 && options2.decompress === false) && (!entry.isEncrypted() || // Naturally without encryption.
      options2.decrypt === false);
      if (options2.start != null || options2.end != null) {
        if (!rawMode) throw new Error("start/end range require options.decodeFileData === false for non-trivial encoded entries.");
      }
      if (!self.isOpen) return callback(new Error("closed"));
      if (entry.isEncrypted() && !rawMode) {
        if (options2.decrypt !== false) return callback(new Error("entry is encrypted, and options.decodeFileData !== false"));
      }
      var decompress;
      if (rawMode) {
        decompress = false;
      } else if (entry.compressionMethod === 8) {
        decompress = options2.decodeFileData !== true;
      } else {
        return callback(new Error("unsupported compression method: " + entry.compressionMethod));
      }
      self.readLocalFileHeader(entry, { minimal: true }, function(err, localFileHeader) {
        if (err) return callback(err);
        self.openReadStreamLowLevel(
          localFileHeader.fileDataStart,
          entry.compressedSize,
          relativeStart,
          relativeEnd,
          decompress,
          entry.uncompressedSize,
          callback
        );
      });
    };
    ZipFile.prototype.openReadStreamLowLevel = function(fileDataStart, compressedSize, relativeStart, relativeEnd, decompress, uncompressedSize, callback) {
      var self = this;
      var fileDataEnd = fileDataStart + compressedSize;
      var readStream = self.reader.createReadStream({
        start: fileDataStart + relativeStart,
        end: fileDataStart + relativeEnd
      });
      var endpointStream = readStream;
      if (decompress) {
        var destroyed = false;
        var inflateFilter = zlib.createInflateRaw();
        readStream.on("error", function(err) {
          setImmediate(function() {
            if (!destroyed) inflateFilter.emit("error", err);
          });
        });
        readStream.pipe(inflateFilter);
        if (self.validateEntrySizes) {
          endpointStream = new AssertByteCountStream(uncompressedSize);
          inflateFilter.on("error", function(err) {
            setImmediate(function() {
              if (!destroyed) endpointStream.emit("error", err);
            });
          });
          inflateFilter.pipe(endpointStream);
        } else {
          endpointStream = inflateFilter;
        }
        installDestroyFn(endpointStream, function() {
          destroyed = true;
          if (inflateFilter !== endpointStream) inflateFilter.unpipe(endpointStream);
          readStream.unpipe(inflateFilter);
          readStream.destroy();
        });
      }
      callback(null, endpointStream);
    };
    ZipFile.prototype.readLocalFileHeader = function(entry, options2, callback) {
      var self = this;
      if (callback == null) {
        callback = options2;
        options2 = null;
      }
      if (options2 == null) options2 = {};
      self.reader.ref();
      var buffer = newBuffer(30);
      readAndAssertNoEof(self.reader, buffer, 0, buffer.length, entry.relativeOffsetOfLocalHeader, function(err) {
        try {
          if (err) return callback(err);
          var signature = buffer.readUInt32LE(0);
          if (signature !== 67324752) {
            return callback(new Error("invalid local file header signature: 0x" + signature.toString(16)));
          }
          var fileNameLength = buffer.readUInt16LE(26);
          var extraFieldLength = buffer.readUInt16LE(28);
          var fileDataStart = entry.relativeOffsetOfLocalHeader + 30 + fileNameLength + extraFieldLength;
          if (fileDataStart + entry.compressedSize > self.fileSize) {
            return callback(new Error("file data overflows file bounds: " + fileDataStart + " + " + entry.compressedSize + " > " + self.fileSize));
          }
          if (options2.minimal) {
            return callback(null, { fileDataStart });
          }
          var localFileHeader = new LocalFileHeader();
          localFileHeader.fileDataStart = fileDataStart;
          localFileHeader.versionNeededToExtract = buffer.readUInt16LE(4);
          localFileHeader.generalPurposeBitFlag = buffer.readUInt16LE(6);
          localFileHeader.compressionMethod = buffer.readUInt16LE(8);
          localFileHeader.lastModFileTime = buffer.readUInt16LE(10);
          localFileHeader.lastModFileDate = buffer.readUInt16LE(12);
          localFileHeader.crc32 = buffer.readUInt32LE(14);
          localFileHeader.compressedSize = buffer.readUInt32LE(18);
          localFileHeader.uncompressedSize = buffer.readUInt32LE(22);
          localFileHeader.fileNameLength = fileNameLength;
          localFileHeader.extraFieldLength = extraFieldLength;
          buffer = newBuffer(fileNameLength + extraFieldLength);
          self.reader.ref();
          readAndAssertNoEof(self.reader, buffer, 0, buffer.length, entry.relativeOffsetOfLocalHeader + 30, function(err2) {
            try {
              if (err2) return callback(err2);
              localFileHeader.fileName = buffer.subarray(0, fileNameLength);
              localFileHeader.extraField = buffer.subarray(fileNameLength);
              return callback(null, localFileHeader);
            } finally {
              self.reader.unref();
            }
          });
        } finally {
          self.reader.unref();
        }
      });
    };
    ZipFile.prototype.openReadStreamPromise = function(entry, options2) {
      return new Promise((resolve, reject) => {
        this.openReadStream(entry, options2, function(err, readStream) {
          if (err) return reject(err);
          resolve(readStream);
        });
      });
    };
    ZipFile.prototype.openReadStreamLowLevelPromise = function(fileDataStart, compressedSize, relativeStart, relativeEnd, decompress, uncompressedSize) {
      return new Promise((resolve, reject) => {
        this.openReadStream(fileDataStart, compressedSize, relativeStart, relativeEnd, decompress, uncompressedSize, function(err, readStream) {
          if (err) return reject(err);
          resolve(readStream);
        });
      });
    };
    ZipFile.prototype.readLocalFileHeaderPromise = function(entry, options2) {
      return new Promise((resolve, reject) => {
        this.readLocalFileHeader(entry, options2, function(err, localFileHeader) {
          if (err) return reject(err);
          resolve(localFileHeader);
        });
      });
    };
    function Entry() {
    }
    Entry.prototype.getLastModDate = function(options2) {
      if (options2 == null) options2 = {};
      if (!options2.forceDosFormat) {
        for (var i = 0; i < this.extraFields.length; i++) {
          var extraField = this.extraFields[i];
          if (extraField.id === 21589) {
            var data = extraField.data;
            if (data.length < 5) continue;
            var flags = data[0];
            var HAS_MTIME = 1;
            if (!(flags & HAS_MTIME)) continue;
            var posixTimestamp = data.readInt32LE(1);
            return new Date(posixTimestamp * 1e3);
          } else if (extraField.id === 10) {
            var data = extraField.data;
            if (data.length !== 32) continue;
            if (data.readUInt16LE(4) !== 1) continue;
            if (data.readUInt16LE(6) !== 24) continue;
            var hundredNanoSecondsSince1601 = data.readUInt32LE(8) + 4294967296 * data.readInt32LE(12);
            var millisecondsSince1970 = hundredNanoSecondsSince1601 / 1e4 - 116444736e5;
            return new Date(millisecondsSince1970);
          }
        }
      }
      return dosDateTimeToDate(this.lastModFileDate, this.lastModFileTime, options2.timezone);
    };
    Entry.prototype.canDecodeFileData = function() {
      return !this.isEncrypted() && (this.compressionMethod === 0 || this.compressionMethod === 8);
    };
    Entry.prototype.isEncrypted = function() {
      return (this.generalPurposeBitFlag & 1) !== 0;
    };
    Entry.prototype.isCompressed = function() {
      return this.compressionMethod === 8;
    };
    function LocalFileHeader() {
    }
    function dosDateTimeToDate(date, time, timezone) {
      var day = date & 31;
      var month = (date >> 5 & 15) - 1;
      var year = (date >> 9 & 127) + 1980;
      var millisecond = 0;
      var second = (time & 31) * 2;
      var minute = time >> 5 & 63;
      var hour = time >> 11 & 31;
      if (timezone == null || timezone === "local") {
        return new Date(year, month, day, hour, minute, second, millisecond);
      } else if (timezone === "UTC") {
        return new Date(Date.UTC(year, month, day, hour, minute, second, millisecond));
      } else {
        throw new Error("unrecognized options.timezone: " + options.timezone);
      }
    }
    function getFileNameLowLevel(generalPurposeBitFlag, fileNameBuffer, extraFields, strictFileNames) {
      var fileName = null;
      for (var i = 0; i < extraFields.length; i++) {
        var extraField = extraFields[i];
        if (extraField.id === 28789) {
          if (extraField.data.length < 6) {
            continue;
          }
          if (extraField.data.readUInt8(0) !== 1) {
            continue;
          }
          var oldNameCrc32 = extraField.data.readUInt32LE(1);
          if (crc322(fileNameBuffer) !== oldNameCrc32) {
            continue;
          }
          fileName = decodeBuffer(extraField.data.subarray(5), true);
          break;
        }
      }
      if (fileName == null) {
        var isUtf8 = (generalPurposeBitFlag & 2048) !== 0;
        fileName = decodeBuffer(fileNameBuffer, isUtf8);
      }
      if (!strictFileNames) {
        fileName = fileName.replace(/\\/g, "/");
      }
      return fileName;
    }
    function validateFileName(fileName) {
      if (fileName.indexOf("\\") !== -1) {
        return "invalid characters in fileName: " + fileName;
      }
      if (/^[a-zA-Z]:/.test(fileName) || /^\//.test(fileName)) {
        return "absolute path: " + fileName;
      }
      if (fileName.split("/").indexOf("..") !== -1) {
        return "invalid relative path: " + fileName;
      }
      return null;
    }
    function parseExtraFields(extraFieldBuffer) {
      var extraFields = [];
      var i = 0;
      while (i < extraFieldBuffer.length - 3) {
        var headerId = extraFieldBuffer.readUInt16LE(i + 0);
        var dataSize = extraFieldBuffer.readUInt16LE(i + 2);
        var dataStart = i + 4;
        var dataEnd = dataStart + dataSize;
        if (dataEnd > extraFieldBuffer.length) throw new Error("extra field length exceeds extra field buffer size");
        var dataBuffer = extraFieldBuffer.subarray(dataStart, dataEnd);
        extraFields.push({
          id: headerId,
          data: dataBuffer
        });
        i = dataEnd;
      }
      return extraFields;
    }
    function readAndAssertNoEof(reader, buffer, offset, length, position, callback) {
      if (length === 0) {
        return setImmediate(function() {
          callback(null, newBuffer(0));
        });
      }
      reader.read(buffer, offset, length, position, function(err, bytesRead) {
        if (err) return callback(err);
        if (bytesRead < length) {
          return callback(new Error("unexpected EOF"));
        }
        callback();
      });
    }
    util.inherits(AssertByteCountStream, Transform2);
    function AssertByteCountStream(byteCount) {
      Transform2.call(this);
      this.actualByteCount = 0;
      this.expectedByteCount = byteCount;
    }
    AssertByteCountStream.prototype._transform = function(chunk, encoding, cb) {
      this.actualByteCount += chunk.length;
      if (this.actualByteCount > this.expectedByteCount) {
        var msg = "too many bytes in the stream. expected " + this.expectedByteCount + ". got at least " + this.actualByteCount;
        return cb(new Error(msg));
      }
      cb(null, chunk);
    };
    AssertByteCountStream.prototype._flush = function(cb) {
      if (this.actualByteCount < this.expectedByteCount) {
        var msg = "not enough bytes in the stream. expected " + this.expectedByteCount + ". got only " + this.actualByteCount;
        return cb(new Error(msg));
      }
      cb();
    };
    util.inherits(RandomAccessReader, EventEmitter);
    function RandomAccessReader() {
      EventEmitter.call(this);
      this.refCount = 0;
    }
    RandomAccessReader.prototype.ref = function() {
      this.refCount += 1;
    };
    RandomAccessReader.prototype.unref = function() {
      var self = this;
      self.refCount -= 1;
      if (self.refCount > 0) return;
      if (self.refCount < 0) throw new Error("invalid unref");
      self.close(onCloseDone);
      function onCloseDone(err) {
        if (err) return self.emit("error", err);
        self.emit("close");
      }
    };
    RandomAccessReader.prototype.createReadStream = function(options2) {
      if (options2 == null) options2 = {};
      var start = options2.start;
      var end = options2.end;
      if (start === end) {
        var emptyStream = new PassThrough();
        setImmediate(function() {
          emptyStream.end();
        });
        return emptyStream;
      }
      var stream2 = this._readStreamForRange(start, end);
      var destroyed = false;
      var refUnrefFilter = new RefUnrefFilter(this);
      stream2.on("error", function(err) {
        setImmediate(function() {
          if (!destroyed) refUnrefFilter.emit("error", err);
        });
      });
      installDestroyFn(refUnrefFilter, function() {
        stream2.unpipe(refUnrefFilter);
        refUnrefFilter.unref();
        stream2.destroy();
      });
      var byteCounter = new AssertByteCountStream(end - start);
      refUnrefFilter.on("error", function(err) {
        setImmediate(function() {
          if (!destroyed) byteCounter.emit("error", err);
        });
      });
      installDestroyFn(byteCounter, function() {
        destroyed = true;
        refUnrefFilter.unpipe(byteCounter);
        refUnrefFilter.destroy();
      });
      return stream2.pipe(refUnrefFilter).pipe(byteCounter);
    };
    RandomAccessReader.prototype._readStreamForRange = function(start, end) {
      throw new Error("not implemented");
    };
    RandomAccessReader.prototype.read = function(buffer, offset, length, position, callback) {
      var readStream = this.createReadStream({ start: position, end: position + length });
      var writeStream = new Writable();
      var written = 0;
      writeStream._write = function(chunk, encoding, cb) {
        chunk.copy(buffer, offset + written, 0, chunk.length);
        written += chunk.length;
        cb();
      };
      writeStream.on("finish", callback);
      readStream.on("error", function(error) {
        callback(error);
      });
      readStream.pipe(writeStream);
    };
    RandomAccessReader.prototype.close = function(callback) {
      setImmediate(callback);
    };
    util.inherits(RefUnrefFilter, PassThrough);
    function RefUnrefFilter(context) {
      PassThrough.call(this);
      this.context = context;
      this.context.ref();
      this.unreffedYet = false;
    }
    RefUnrefFilter.prototype._flush = function(cb) {
      this.unref();
      cb();
    };
    RefUnrefFilter.prototype.unref = function(cb) {
      if (this.unreffedYet) return;
      this.unreffedYet = true;
      this.context.unref();
    };
    var cp437 = "\0\u263A\u263B\u2665\u2666\u2663\u2660\u2022\u25D8\u25CB\u25D9\u2642\u2640\u266A\u266B\u263C\u25BA\u25C4\u2195\u203C\xB6\xA7\u25AC\u21A8\u2191\u2193\u2192\u2190\u221F\u2194\u25B2\u25BC !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u2302\xC7\xFC\xE9\xE2\xE4\xE0\xE5\xE7\xEA\xEB\xE8\xEF\xEE\xEC\xC4\xC5\xC9\xE6\xC6\xF4\xF6\xF2\xFB\xF9\xFF\xD6\xDC\xA2\xA3\xA5\u20A7\u0192\xE1\xED\xF3\xFA\xF1\xD1\xAA\xBA\xBF\u2310\xAC\xBD\xBC\xA1\xAB\xBB\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255D\u255C\u255B\u2510\u2514\u2534\u252C\u251C\u2500\u253C\u255E\u255F\u255A\u2554\u2569\u2566\u2560\u2550\u256C\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256B\u256A\u2518\u250C\u2588\u2584\u258C\u2590\u2580\u03B1\xDF\u0393\u03C0\u03A3\u03C3\xB5\u03C4\u03A6\u0398\u03A9\u03B4\u221E\u03C6\u03B5\u2229\u2261\xB1\u2265\u2264\u2320\u2321\xF7\u2248\xB0\u2219\xB7\u221A\u207F\xB2\u25A0\xA0";
    function decodeBuffer(buffer, isUtf8) {
      if (isUtf8) {
        return buffer.toString("utf8");
      } else {
        var result = "";
        for (var i = 0; i < buffer.length; i++) {
          result += cp437[buffer[i]];
        }
        return result;
      }
    }
    function readUInt64LE(buffer, offset) {
      var lower32 = buffer.readUInt32LE(offset);
      var upper32 = buffer.readUInt32LE(offset + 4);
      return upper32 * 4294967296 + lower32;
    }
    var newBuffer;
    if (typeof Buffer.allocUnsafe === "function") {
      newBuffer = function(len) {
        return Buffer.allocUnsafe(len);
      };
    } else {
      newBuffer = function(len) {
        return new Buffer(len);
      };
    }
    function installDestroyFn(stream2, fn) {
      if (typeof stream2.destroy === "function") {
        stream2._destroy = function(err, cb) {
          fn();
          if (cb != null) cb(err);
        };
      } else {
        stream2.destroy = fn;
      }
    }
    function defaultCallback(err) {
      if (err) throw err;
    }
  }
});

// node_modules/events-universal/default.js
var require_default = __commonJS({
  "node_modules/events-universal/default.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    module2.exports = require("events");
  }
});

// node_modules/fast-fifo/fixed-size.js
var require_fixed_size = __commonJS({
  "node_modules/fast-fifo/fixed-size.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    module2.exports = class FixedFIFO {
      constructor(hwm) {
        if (!(hwm > 0) || (hwm - 1 & hwm) !== 0) throw new Error("Max size for a FixedFIFO should be a power of two");
        this.buffer = new Array(hwm);
        this.mask = hwm - 1;
        this.top = 0;
        this.btm = 0;
        this.next = null;
      }
      clear() {
        this.top = this.btm = 0;
        this.next = null;
        this.buffer.fill(void 0);
      }
      push(data) {
        if (this.buffer[this.top] !== void 0) return false;
        this.buffer[this.top] = data;
        this.top = this.top + 1 & this.mask;
        return true;
      }
      shift() {
        const last = this.buffer[this.btm];
        if (last === void 0) return void 0;
        this.buffer[this.btm] = void 0;
        this.btm = this.btm + 1 & this.mask;
        return last;
      }
      peek() {
        return this.buffer[this.btm];
      }
      isEmpty() {
        return this.buffer[this.btm] === void 0;
      }
    };
  }
});

// node_modules/fast-fifo/index.js
var require_fast_fifo = __commonJS({
  "node_modules/fast-fifo/index.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var FixedFIFO = require_fixed_size();
    module2.exports = class FastFIFO {
      constructor(hwm) {
        this.hwm = hwm || 16;
        this.head = new FixedFIFO(this.hwm);
        this.tail = this.head;
        this.length = 0;
      }
      clear() {
        this.head = this.tail;
        this.head.clear();
        this.length = 0;
      }
      push(val) {
        this.length++;
        if (!this.head.push(val)) {
          const prev = this.head;
          this.head = prev.next = new FixedFIFO(2 * this.head.buffer.length);
          this.head.push(val);
        }
      }
      shift() {
        if (this.length !== 0) this.length--;
        const val = this.tail.shift();
        if (val === void 0 && this.tail.next) {
          const next = this.tail.next;
          this.tail.next = null;
          this.tail = next;
          return this.tail.shift();
        }
        return val;
      }
      peek() {
        const val = this.tail.peek();
        if (val === void 0 && this.tail.next) return this.tail.next.peek();
        return val;
      }
      isEmpty() {
        return this.length === 0;
      }
    };
  }
});

// node_modules/b4a/index.js
var require_b4a = __commonJS({
  "node_modules/b4a/index.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    function isBuffer(value) {
      return Buffer.isBuffer(value) || value instanceof Uint8Array;
    }
    function isEncoding(encoding) {
      return Buffer.isEncoding(encoding);
    }
    function alloc(size, fill2, encoding) {
      return Buffer.alloc(size, fill2, encoding);
    }
    function allocUnsafe(size) {
      return Buffer.allocUnsafe(size);
    }
    function allocUnsafeSlow(size) {
      return Buffer.allocUnsafeSlow(size);
    }
    function byteLength(string, encoding) {
      return Buffer.byteLength(string, encoding);
    }
    function compare(a, b) {
      return Buffer.compare(a, b);
    }
    function concat(buffers, totalLength) {
      return Buffer.concat(buffers, totalLength);
    }
    function copy(source, target, targetStart, start, end) {
      return toBuffer(source).copy(target, targetStart, start, end);
    }
    function equals(a, b) {
      return toBuffer(a).equals(b);
    }
    function fill(buffer, value, offset, end, encoding) {
      return toBuffer(buffer).fill(value, offset, end, encoding);
    }
    function from(value, encodingOrOffset, length) {
      return Buffer.from(value, encodingOrOffset, length);
    }
    function includes(buffer, value, byteOffset, encoding) {
      return toBuffer(buffer).includes(value, byteOffset, encoding);
    }
    function indexOf(buffer, value, byfeOffset, encoding) {
      return toBuffer(buffer).indexOf(value, byfeOffset, encoding);
    }
    function lastIndexOf(buffer, value, byteOffset, encoding) {
      return toBuffer(buffer).lastIndexOf(value, byteOffset, encoding);
    }
    function swap16(buffer) {
      return toBuffer(buffer).swap16();
    }
    function swap32(buffer) {
      return toBuffer(buffer).swap32();
    }
    function swap64(buffer) {
      return toBuffer(buffer).swap64();
    }
    function toBuffer(buffer) {
      if (Buffer.isBuffer(buffer)) return buffer;
      return Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    }
    function toString(buffer, encoding, start, end) {
      return toBuffer(buffer).toString(encoding, start, end);
    }
    function toHex(buffer, start, end) {
      return toBuffer(buffer).toString("hex", start, end);
    }
    function write(buffer, string, offset, length, encoding) {
      return toBuffer(buffer).write(string, offset, length, encoding);
    }
    function readDoubleBE(buffer, offset) {
      return toBuffer(buffer).readDoubleBE(offset);
    }
    function readDoubleLE(buffer, offset) {
      return toBuffer(buffer).readDoubleLE(offset);
    }
    function readFloatBE(buffer, offset) {
      return toBuffer(buffer).readFloatBE(offset);
    }
    function readFloatLE(buffer, offset) {
      return toBuffer(buffer).readFloatLE(offset);
    }
    function readInt32BE(buffer, offset) {
      return toBuffer(buffer).readInt32BE(offset);
    }
    function readInt32LE(buffer, offset) {
      return toBuffer(buffer).readInt32LE(offset);
    }
    function readUInt32BE(buffer, offset) {
      return toBuffer(buffer).readUInt32BE(offset);
    }
    function readUInt32LE(buffer, offset) {
      return toBuffer(buffer).readUInt32LE(offset);
    }
    function writeDoubleBE(buffer, value, offset) {
      return toBuffer(buffer).writeDoubleBE(value, offset);
    }
    function writeDoubleLE(buffer, value, offset) {
      return toBuffer(buffer).writeDoubleLE(value, offset);
    }
    function writeFloatBE(buffer, value, offset) {
      return toBuffer(buffer).writeFloatBE(value, offset);
    }
    function writeFloatLE(buffer, value, offset) {
      return toBuffer(buffer).writeFloatLE(value, offset);
    }
    function writeInt32BE(buffer, value, offset) {
      return toBuffer(buffer).writeInt32BE(value, offset);
    }
    function writeInt32LE(buffer, value, offset) {
      return toBuffer(buffer).writeInt32LE(value, offset);
    }
    function writeUInt32BE(buffer, value, offset) {
      return toBuffer(buffer).writeUInt32BE(value, offset);
    }
    function writeUInt32LE(buffer, value, offset) {
      return toBuffer(buffer).writeUInt32LE(value, offset);
    }
    module2.exports = {
      isBuffer,
      isEncoding,
      alloc,
      allocUnsafe,
      allocUnsafeSlow,
      byteLength,
      compare,
      concat,
      copy,
      equals,
      fill,
      from,
      includes,
      indexOf,
      lastIndexOf,
      swap16,
      swap32,
      swap64,
      toBuffer,
      toString,
      toHex,
      write,
      readDoubleBE,
      readDoubleLE,
      readFloatBE,
      readFloatLE,
      readInt32BE,
      readInt32LE,
      readUInt32BE,
      readUInt32LE,
      writeDoubleBE,
      writeDoubleLE,
      writeFloatBE,
      writeFloatLE,
      writeInt32BE,
      writeInt32LE,
      writeUInt32BE,
      writeUInt32LE
    };
  }
});

// node_modules/text-decoder/lib/pass-through-decoder.js
var require_pass_through_decoder = __commonJS({
  "node_modules/text-decoder/lib/pass-through-decoder.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var b4a = require_b4a();
    module2.exports = class PassThroughDecoder {
      constructor(encoding) {
        this.encoding = encoding;
      }
      get remaining() {
        return 0;
      }
      decode(data) {
        return b4a.toString(data, this.encoding);
      }
      flush() {
        return "";
      }
    };
  }
});

// node_modules/text-decoder/lib/utf8-decoder.js
var require_utf8_decoder = __commonJS({
  "node_modules/text-decoder/lib/utf8-decoder.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var b4a = require_b4a();
    module2.exports = class UTF8Decoder {
      constructor() {
        this._reset();
      }
      get remaining() {
        return this.bytesSeen;
      }
      decode(data) {
        if (data.byteLength === 0) return "";
        if (this.bytesNeeded === 0 && trailingIncomplete(data, 0) === 0) {
          this.bytesSeen = trailingBytesSeen(data);
          return b4a.toString(data, "utf8");
        }
        let result = "";
        let start = 0;
        if (this.bytesNeeded > 0) {
          while (start < data.byteLength) {
            const byte = data[start];
            if (byte < this.lowerBoundary || byte > this.upperBoundary) {
              result += "\uFFFD";
              this._reset();
              break;
            }
            this.lowerBoundary = 128;
            this.upperBoundary = 191;
            this.codePoint = this.codePoint << 6 | byte & 63;
            this.bytesSeen++;
            start++;
            if (this.bytesSeen === this.bytesNeeded) {
              result += String.fromCodePoint(this.codePoint);
              this._reset();
              break;
            }
          }
          if (this.bytesNeeded > 0) return result;
        }
        const trailing = trailingIncomplete(data, start);
        const end = data.byteLength - trailing;
        if (end > start) result += b4a.toString(data, "utf8", start, end);
        for (let i = end; i < data.byteLength; i++) {
          const byte = data[i];
          if (this.bytesNeeded === 0) {
            if (byte <= 127) {
              this.bytesSeen = 0;
              result += String.fromCharCode(byte);
            } else if (byte >= 194 && byte <= 223) {
              this.bytesNeeded = 2;
              this.bytesSeen = 1;
              this.codePoint = byte & 31;
            } else if (byte >= 224 && byte <= 239) {
              if (byte === 224) this.lowerBoundary = 160;
              else if (byte === 237) this.upperBoundary = 159;
              this.bytesNeeded = 3;
              this.bytesSeen = 1;
              this.codePoint = byte & 15;
            } else if (byte >= 240 && byte <= 244) {
              if (byte === 240) this.lowerBoundary = 144;
              else if (byte === 244) this.upperBoundary = 143;
              this.bytesNeeded = 4;
              this.bytesSeen = 1;
              this.codePoint = byte & 7;
            } else {
              this.bytesSeen = 1;
              result += "\uFFFD";
            }
            continue;
          }
          if (byte < this.lowerBoundary || byte > this.upperBoundary) {
            result += "\uFFFD";
            i--;
            this._reset();
            continue;
          }
          this.lowerBoundary = 128;
          this.upperBoundary = 191;
          this.codePoint = this.codePoint << 6 | byte & 63;
          this.bytesSeen++;
          if (this.bytesSeen === this.bytesNeeded) {
            result += String.fromCodePoint(this.codePoint);
            this._reset();
          }
        }
        return result;
      }
      flush() {
        const result = this.bytesNeeded > 0 ? "\uFFFD" : "";
        this._reset();
        return result;
      }
      _reset() {
        this.codePoint = 0;
        this.bytesNeeded = 0;
        this.bytesSeen = 0;
        this.lowerBoundary = 128;
        this.upperBoundary = 191;
      }
    };
    function trailingIncomplete(data, start) {
      const len = data.byteLength;
      if (len <= start) return 0;
      const limit = Math.max(start, len - 4);
      let i = len - 1;
      while (i > limit && (data[i] & 192) === 128) i--;
      if (i < start) return 0;
      const byte = data[i];
      let needed;
      if (byte <= 127) return 0;
      if (byte >= 194 && byte <= 223) needed = 2;
      else if (byte >= 224 && byte <= 239) needed = 3;
      else if (byte >= 240 && byte <= 244) needed = 4;
      else return 0;
      const available = len - i;
      return available < needed ? available : 0;
    }
    function trailingBytesSeen(data) {
      const len = data.byteLength;
      if (len === 0) return 0;
      const last = data[len - 1];
      if (last <= 127) return 0;
      if ((last & 192) !== 128) return 1;
      const limit = Math.max(0, len - 4);
      let i = len - 2;
      while (i >= limit && (data[i] & 192) === 128) i--;
      if (i < 0) return 1;
      const first = data[i];
      let needed;
      if (first >= 194 && first <= 223) needed = 2;
      else if (first >= 224 && first <= 239) needed = 3;
      else if (first >= 240 && first <= 244) needed = 4;
      else return 1;
      if (len - i !== needed) return 1;
      if (needed >= 3) {
        const second = data[i + 1];
        if (first === 224 && second < 160) return 1;
        if (first === 237 && second > 159) return 1;
        if (first === 240 && second < 144) return 1;
        if (first === 244 && second > 143) return 1;
      }
      return 0;
    }
  }
});

// node_modules/text-decoder/index.js
var require_text_decoder = __commonJS({
  "node_modules/text-decoder/index.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var PassThroughDecoder = require_pass_through_decoder();
    var UTF8Decoder = require_utf8_decoder();
    module2.exports = class TextDecoder {
      constructor(encoding = "utf8") {
        this.encoding = normalizeEncoding(encoding);
        switch (this.encoding) {
          case "utf8":
            this.decoder = new UTF8Decoder();
            break;
          case "utf16le":
          case "base64":
            throw new Error("Unsupported encoding: " + this.encoding);
          default:
            this.decoder = new PassThroughDecoder(this.encoding);
        }
      }
      get remaining() {
        return this.decoder.remaining;
      }
      push(data) {
        if (typeof data === "string") return data;
        return this.decoder.decode(data);
      }
      // For Node.js compatibility
      write(data) {
        return this.push(data);
      }
      end(data) {
        let result = "";
        if (data) result = this.push(data);
        result += this.decoder.flush();
        return result;
      }
    };
    function normalizeEncoding(encoding) {
      encoding = encoding.toLowerCase();
      switch (encoding) {
        case "utf8":
        case "utf-8":
          return "utf8";
        case "ucs2":
        case "ucs-2":
        case "utf16le":
        case "utf-16le":
          return "utf16le";
        case "latin1":
        case "binary":
          return "latin1";
        case "base64":
        case "ascii":
        case "hex":
          return encoding;
        default:
          throw new Error("Unknown encoding: " + encoding);
      }
    }
  }
});

// node_modules/streamx/lib/errors.js
var require_errors = __commonJS({
  "node_modules/streamx/lib/errors.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    module2.exports = class StreamError extends Error {
      constructor(msg, code, fn = StreamError) {
        super(msg);
        this.code = code;
        if (Error.captureStackTrace) {
          Error.captureStackTrace(this, fn);
        }
      }
      static isStreamDestroyed(err) {
        return err && err.code === "STREAM_DESTROYED";
      }
      static isPrematureClose(err) {
        return err && err.code === "PREMATURE_CLOSE";
      }
      static isAborted(err) {
        return err && err.code === "ABORTED";
      }
      static isBadArgument(err) {
        return err && err.code === "BAD_ARGUMENT";
      }
      get name() {
        return "StreamError";
      }
      static STREAM_DESTROYED() {
        return new StreamError("Stream was destroyed", "STREAM_DESTROYED", StreamError.STREAM_DESTROYED);
      }
      static PREMATURE_CLOSE(msg = "Premature close") {
        return new StreamError(msg, "PREMATURE_CLOSE", StreamError.PREMATURE_CLOSE);
      }
      static ABORTED() {
        return new StreamError("Stream aborted", "ABORTED", StreamError.ABORTED);
      }
      static BAD_ARGUMENT(msg = "Bad argument") {
        return new StreamError(msg, "BAD_ARGUMENT", StreamError.BAD_ARGUMENT);
      }
    };
  }
});

// node_modules/streamx/index.js
var require_streamx = __commonJS({
  "node_modules/streamx/index.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var { EventEmitter } = require_default();
    var FIFO = require_fast_fifo();
    var TextDecoder2 = require_text_decoder();
    var StreamError = require_errors();
    var qmt = typeof queueMicrotask === "undefined" ? (fn) => global.process.nextTick(fn) : queueMicrotask;
    var MAX = (1 << 29) - 1;
    var OPENING = 1;
    var PREDESTROYING = 2;
    var DESTROYING = 4;
    var DESTROYED = 8;
    var NOT_OPENING = MAX ^ OPENING;
    var NOT_PREDESTROYING = MAX ^ PREDESTROYING;
    var READ_ACTIVE = 1 << 4;
    var READ_UPDATING = 2 << 4;
    var READ_PRIMARY = 4 << 4;
    var READ_QUEUED = 8 << 4;
    var READ_RESUMED = 16 << 4;
    var READ_PIPE_DRAINED = 32 << 4;
    var READ_ENDING = 64 << 4;
    var READ_EMIT_DATA = 128 << 4;
    var READ_EMIT_READABLE = 256 << 4;
    var READ_EMITTED_READABLE = 512 << 4;
    var READ_DONE = 1024 << 4;
    var READ_NEXT_TICK = 2048 << 4;
    var READ_NEEDS_PUSH = 4096 << 4;
    var READ_READ_AHEAD = 8192 << 4;
    var READ_FLOWING = READ_RESUMED | READ_PIPE_DRAINED;
    var READ_ACTIVE_AND_NEEDS_PUSH = READ_ACTIVE | READ_NEEDS_PUSH;
    var READ_PRIMARY_AND_ACTIVE = READ_PRIMARY | READ_ACTIVE;
    var READ_EMIT_READABLE_AND_QUEUED = READ_EMIT_READABLE | READ_QUEUED;
    var READ_RESUMED_READ_AHEAD = READ_RESUMED | READ_READ_AHEAD;
    var READ_NOT_ACTIVE = MAX ^ READ_ACTIVE;
    var READ_NON_PRIMARY = MAX ^ READ_PRIMARY;
    var READ_NON_PRIMARY_AND_PUSHED = MAX ^ (READ_PRIMARY | READ_NEEDS_PUSH);
    var READ_PUSHED = MAX ^ READ_NEEDS_PUSH;
    var READ_PAUSED = MAX ^ READ_RESUMED;
    var READ_NOT_QUEUED = MAX ^ (READ_QUEUED | READ_EMITTED_READABLE);
    var READ_NOT_ENDING = MAX ^ READ_ENDING;
    var READ_PIPE_NOT_DRAINED = MAX ^ READ_FLOWING;
    var READ_NOT_NEXT_TICK = MAX ^ READ_NEXT_TICK;
    var READ_NOT_UPDATING = MAX ^ READ_UPDATING;
    var READ_NO_READ_AHEAD = MAX ^ READ_READ_AHEAD;
    var READ_PAUSED_NO_READ_AHEAD = MAX ^ READ_RESUMED_READ_AHEAD;
    var WRITE_ACTIVE = 1 << 18;
    var WRITE_UPDATING = 2 << 18;
    var WRITE_PRIMARY = 4 << 18;
    var WRITE_QUEUED = 8 << 18;
    var WRITE_UNDRAINED = 16 << 18;
    var WRITE_DONE = 32 << 18;
    var WRITE_EMIT_DRAIN = 64 << 18;
    var WRITE_NEXT_TICK = 128 << 18;
    var WRITE_WRITING = 256 << 18;
    var WRITE_FINISHING = 512 << 18;
    var WRITE_CORKED = 1024 << 18;
    var WRITE_NOT_ACTIVE = MAX ^ (WRITE_ACTIVE | WRITE_WRITING);
    var WRITE_NON_PRIMARY = MAX ^ WRITE_PRIMARY;
    var WRITE_NOT_FINISHING = MAX ^ (WRITE_ACTIVE | WRITE_FINISHING);
    var WRITE_DRAINED = MAX ^ WRITE_UNDRAINED;
    var WRITE_NOT_QUEUED = MAX ^ WRITE_QUEUED;
    var WRITE_NOT_NEXT_TICK = MAX ^ WRITE_NEXT_TICK;
    var WRITE_NOT_UPDATING = MAX ^ WRITE_UPDATING;
    var WRITE_NOT_CORKED = MAX ^ WRITE_CORKED;
    var ACTIVE = READ_ACTIVE | WRITE_ACTIVE;
    var NOT_ACTIVE = MAX ^ ACTIVE;
    var DONE = READ_DONE | WRITE_DONE;
    var DESTROY_STATUS = DESTROYING | DESTROYED | PREDESTROYING;
    var OPEN_STATUS = DESTROY_STATUS | OPENING;
    var AUTO_DESTROY = DESTROY_STATUS | DONE;
    var NON_PRIMARY = WRITE_NON_PRIMARY & READ_NON_PRIMARY;
    var ACTIVE_OR_TICKING = WRITE_NEXT_TICK | READ_NEXT_TICK;
    var TICKING = ACTIVE_OR_TICKING & NOT_ACTIVE;
    var IS_OPENING = OPEN_STATUS | TICKING;
    var READ_PRIMARY_STATUS = OPEN_STATUS | READ_ENDING | READ_DONE;
    var READ_STATUS = OPEN_STATUS | READ_DONE | READ_QUEUED;
    var READ_ENDING_STATUS = OPEN_STATUS | READ_ENDING | READ_QUEUED;
    var READ_READABLE_STATUS = OPEN_STATUS | READ_EMIT_READABLE | READ_QUEUED | READ_EMITTED_READABLE;
    var SHOULD_NOT_READ = OPEN_STATUS | READ_ACTIVE | READ_ENDING | READ_DONE | READ_NEEDS_PUSH | READ_READ_AHEAD;
    var READ_BACKPRESSURE_STATUS = DESTROY_STATUS | READ_ENDING | READ_DONE;
    var READ_UPDATE_SYNC_STATUS = READ_UPDATING | OPEN_STATUS | READ_NEXT_TICK | READ_PRIMARY;
    var READ_NEXT_TICK_OR_OPENING = READ_NEXT_TICK | OPENING;
    var WRITE_PRIMARY_STATUS = OPEN_STATUS | WRITE_FINISHING | WRITE_DONE;
    var WRITE_QUEUED_AND_UNDRAINED = WRITE_QUEUED | WRITE_UNDRAINED;
    var WRITE_QUEUED_AND_ACTIVE = WRITE_QUEUED | WRITE_ACTIVE;
    var WRITE_DRAIN_STATUS = WRITE_QUEUED | WRITE_UNDRAINED | OPEN_STATUS | WRITE_ACTIVE;
    var WRITE_STATUS = OPEN_STATUS | WRITE_ACTIVE | WRITE_QUEUED | WRITE_CORKED;
    var WRITE_PRIMARY_AND_ACTIVE = WRITE_PRIMARY | WRITE_ACTIVE;
    var WRITE_ACTIVE_AND_WRITING = WRITE_ACTIVE | WRITE_WRITING;
    var WRITE_FINISHING_STATUS = OPEN_STATUS | WRITE_FINISHING | WRITE_QUEUED_AND_ACTIVE | WRITE_DONE;
    var WRITE_BACKPRESSURE_STATUS = WRITE_UNDRAINED | DESTROY_STATUS | WRITE_FINISHING | WRITE_DONE;
    var WRITE_UPDATE_SYNC_STATUS = WRITE_UPDATING | OPEN_STATUS | WRITE_NEXT_TICK | WRITE_PRIMARY;
    var WRITE_DROP_DATA = WRITE_FINISHING | WRITE_DONE | DESTROY_STATUS;
    var asyncIterator = Symbol.asyncIterator || /* @__PURE__ */ Symbol("asyncIterator");
    var WritableState = class {
      constructor(stream2, { highWaterMark = 16384, map = null, mapWritable, byteLength, byteLengthWritable } = {}) {
        this.stream = stream2;
        this.queue = new FIFO();
        this.highWaterMark = highWaterMark;
        this.buffered = 0;
        this.error = null;
        this.pipeline = null;
        this.drains = null;
        this.byteLength = byteLengthWritable || byteLength || defaultByteLength;
        this.map = mapWritable || map;
        this.afterWrite = afterWrite.bind(this);
        this.afterUpdateNextTick = updateWriteNT.bind(this);
      }
      get ending() {
        return (this.stream._duplexState & WRITE_FINISHING) !== 0;
      }
      get ended() {
        return (this.stream._duplexState & WRITE_DONE) !== 0;
      }
      push(data) {
        if ((this.stream._duplexState & WRITE_DROP_DATA) !== 0) return false;
        if (this.map !== null) data = this.map(data);
        this.buffered += this.byteLength(data);
        this.queue.push(data);
        if (this.buffered < this.highWaterMark) {
          this.stream._duplexState |= WRITE_QUEUED;
          return true;
        }
        this.stream._duplexState |= WRITE_QUEUED_AND_UNDRAINED;
        return false;
      }
      shift() {
        const data = this.queue.shift();
        this.buffered -= this.byteLength(data);
        if (this.buffered === 0) this.stream._duplexState &= WRITE_NOT_QUEUED;
        return data;
      }
      end(data) {
        if (typeof data === "function") {
          this.stream.once("finish", data);
        } else if (data !== void 0 && data !== null) {
          this.push(data);
        }
        this.stream._duplexState = (this.stream._duplexState | WRITE_FINISHING) & WRITE_NON_PRIMARY;
      }
      autoBatch(data, cb) {
        const buffer = [];
        const stream2 = this.stream;
        buffer.push(data);
        while ((stream2._duplexState & WRITE_STATUS) === WRITE_QUEUED_AND_ACTIVE) {
          buffer.push(stream2._writableState.shift());
        }
        if ((stream2._duplexState & OPEN_STATUS) !== 0) return cb(null);
        stream2._writev(buffer, cb);
      }
      update() {
        const stream2 = this.stream;
        stream2._duplexState |= WRITE_UPDATING;
        do {
          while ((stream2._duplexState & WRITE_STATUS) === WRITE_QUEUED) {
            const data = this.shift();
            stream2._duplexState |= WRITE_ACTIVE_AND_WRITING;
            stream2._write(data, this.afterWrite);
          }
          if ((stream2._duplexState & WRITE_PRIMARY_AND_ACTIVE) === 0) this.updateNonPrimary();
        } while (this.continueUpdate() === true);
        stream2._duplexState &= WRITE_NOT_UPDATING;
      }
      updateNonPrimary() {
        const stream2 = this.stream;
        if ((stream2._duplexState & WRITE_FINISHING_STATUS) === WRITE_FINISHING) {
          stream2._duplexState = stream2._duplexState | WRITE_ACTIVE;
          stream2._final(afterFinal.bind(this));
          return;
        }
        if ((stream2._duplexState & DESTROY_STATUS) === DESTROYING) {
          if ((stream2._duplexState & ACTIVE_OR_TICKING) === 0) {
            stream2._duplexState |= ACTIVE;
            stream2._destroy(afterDestroy.bind(this));
          }
          return;
        }
        if ((stream2._duplexState & IS_OPENING) === OPENING) {
          stream2._duplexState = (stream2._duplexState | ACTIVE) & NOT_OPENING;
          stream2._open(afterOpen.bind(this));
        }
      }
      continueUpdate() {
        if ((this.stream._duplexState & WRITE_NEXT_TICK) === 0) return false;
        this.stream._duplexState &= WRITE_NOT_NEXT_TICK;
        return true;
      }
      updateCallback() {
        if ((this.stream._duplexState & WRITE_UPDATE_SYNC_STATUS) === WRITE_PRIMARY) {
          this.update();
        } else {
          this.updateNextTick();
        }
      }
      updateNextTick() {
        if ((this.stream._duplexState & WRITE_NEXT_TICK) !== 0) return;
        this.stream._duplexState |= WRITE_NEXT_TICK;
        if ((this.stream._duplexState & WRITE_UPDATING) === 0) qmt(this.afterUpdateNextTick);
      }
    };
    var ReadableState = class {
      constructor(stream2, { highWaterMark = 16384, map = null, mapReadable, byteLength, byteLengthReadable } = {}) {
        this.stream = stream2;
        this.queue = new FIFO();
        this.highWaterMark = highWaterMark === 0 ? 1 : highWaterMark;
        this.buffered = 0;
        this.readAhead = highWaterMark > 0;
        this.error = null;
        this.pipeline = null;
        this.byteLength = byteLengthReadable || byteLength || defaultByteLength;
        this.map = mapReadable || map;
        this.pipeTo = null;
        this.afterRead = afterRead.bind(this);
        this.afterUpdateNextTick = updateReadNT.bind(this);
      }
      get ending() {
        return (this.stream._duplexState & READ_ENDING) !== 0;
      }
      get ended() {
        return (this.stream._duplexState & READ_DONE) !== 0;
      }
      pipe(pipeTo, cb) {
        if (this.pipeTo !== null) throw StreamError.BAD_ARGUMENT("Can only pipe to one destination");
        if (typeof cb !== "function") cb = null;
        this.stream._duplexState |= READ_PIPE_DRAINED;
        this.pipeTo = pipeTo;
        this.pipeline = new Pipeline(this.stream, pipeTo, cb);
        if (cb) this.stream.on("error", noop);
        if (isStreamx(pipeTo)) {
          pipeTo._writableState.pipeline = this.pipeline;
          if (cb) pipeTo.on("error", noop);
          pipeTo.on("finish", this.pipeline.finished.bind(this.pipeline));
        } else {
          const onerror = this.pipeline.done.bind(this.pipeline, pipeTo);
          const onclose = this.pipeline.done.bind(this.pipeline, pipeTo, null);
          pipeTo.on("error", onerror);
          pipeTo.on("close", onclose);
          pipeTo.on("finish", this.pipeline.finished.bind(this.pipeline));
        }
        pipeTo.on("drain", afterDrain.bind(this));
        this.stream.emit("piping", pipeTo);
        pipeTo.emit("pipe", this.stream);
      }
      push(data) {
        const stream2 = this.stream;
        if (data === null) {
          this.highWaterMark = 0;
          stream2._duplexState = (stream2._duplexState | READ_ENDING) & READ_NON_PRIMARY_AND_PUSHED;
          return false;
        }
        if (this.map !== null) {
          data = this.map(data);
          if (data === null) {
            stream2._duplexState &= READ_PUSHED;
            return this.buffered < this.highWaterMark;
          }
        }
        this.buffered += this.byteLength(data);
        this.queue.push(data);
        stream2._duplexState = (stream2._duplexState | READ_QUEUED) & READ_PUSHED;
        return this.buffered < this.highWaterMark;
      }
      shift() {
        const data = this.queue.shift();
        this.buffered -= this.byteLength(data);
        if (this.buffered === 0) {
          this.stream._duplexState &= READ_NOT_QUEUED;
        }
        return data;
      }
      unshift(data) {
        const pending = [this.map !== null ? this.map(data) : data];
        while (this.buffered > 0) pending.push(this.shift());
        for (let i = 0; i < pending.length - 1; i++) {
          const data2 = pending[i];
          this.buffered += this.byteLength(data2);
          this.queue.push(data2);
        }
        this.push(pending[pending.length - 1]);
      }
      read() {
        const stream2 = this.stream;
        if ((stream2._duplexState & READ_STATUS) === READ_QUEUED) {
          const data = this.shift();
          if (this.pipeTo !== null && this.pipeTo.write(data) === false) {
            stream2._duplexState &= READ_PIPE_NOT_DRAINED;
          }
          if ((stream2._duplexState & READ_EMIT_DATA) !== 0) {
            stream2.emit("data", data);
          }
          return data;
        }
        if (this.readAhead === false) {
          stream2._duplexState |= READ_READ_AHEAD;
          this.updateNextTick();
        }
        return null;
      }
      drain() {
        const stream2 = this.stream;
        while ((stream2._duplexState & READ_STATUS) === READ_QUEUED && (stream2._duplexState & READ_FLOWING) !== 0) {
          const data = this.shift();
          if (this.pipeTo !== null && this.pipeTo.write(data) === false) {
            stream2._duplexState &= READ_PIPE_NOT_DRAINED;
          }
          if ((stream2._duplexState & READ_EMIT_DATA) !== 0) {
            stream2.emit("data", data);
          }
        }
      }
      update() {
        const stream2 = this.stream;
        stream2._duplexState |= READ_UPDATING;
        do {
          this.drain();
          while (this.buffered < this.highWaterMark && (stream2._duplexState & SHOULD_NOT_READ) === READ_READ_AHEAD) {
            stream2._duplexState |= READ_ACTIVE_AND_NEEDS_PUSH;
            stream2._read(this.afterRead);
            this.drain();
          }
          if ((stream2._duplexState & READ_READABLE_STATUS) === READ_EMIT_READABLE_AND_QUEUED) {
            stream2._duplexState |= READ_EMITTED_READABLE;
            stream2.emit("readable");
          }
          if ((stream2._duplexState & READ_PRIMARY_AND_ACTIVE) === 0) {
            this.updateNonPrimary();
          }
        } while (this.continueUpdate() === true);
        stream2._duplexState &= READ_NOT_UPDATING;
      }
      updateNonPrimary() {
        const stream2 = this.stream;
        if ((stream2._duplexState & READ_ENDING_STATUS) === READ_ENDING) {
          stream2._duplexState = (stream2._duplexState | READ_DONE) & READ_NOT_ENDING;
          stream2.emit("end");
          if ((stream2._duplexState & AUTO_DESTROY) === DONE) {
            stream2._duplexState |= DESTROYING;
          }
          if (this.pipeTo !== null) {
            this.pipeTo.end();
          }
        }
        if ((stream2._duplexState & DESTROY_STATUS) === DESTROYING) {
          if ((stream2._duplexState & ACTIVE_OR_TICKING) === 0) {
            stream2._duplexState |= ACTIVE;
            stream2._destroy(afterDestroy.bind(this));
          }
          return;
        }
        if ((stream2._duplexState & IS_OPENING) === OPENING) {
          stream2._duplexState = (stream2._duplexState | ACTIVE) & NOT_OPENING;
          stream2._open(afterOpen.bind(this));
        }
      }
      continueUpdate() {
        if ((this.stream._duplexState & READ_NEXT_TICK) === 0) return false;
        this.stream._duplexState &= READ_NOT_NEXT_TICK;
        return true;
      }
      updateCallback() {
        if ((this.stream._duplexState & READ_UPDATE_SYNC_STATUS) === READ_PRIMARY) {
          this.update();
        } else {
          this.updateNextTick();
        }
      }
      updateNextTickIfOpen() {
        if ((this.stream._duplexState & READ_NEXT_TICK_OR_OPENING) !== 0) return;
        this.stream._duplexState |= READ_NEXT_TICK;
        if ((this.stream._duplexState & READ_UPDATING) === 0) qmt(this.afterUpdateNextTick);
      }
      updateNextTick() {
        if ((this.stream._duplexState & READ_NEXT_TICK) !== 0) return;
        this.stream._duplexState |= READ_NEXT_TICK;
        if ((this.stream._duplexState & READ_UPDATING) === 0) qmt(this.afterUpdateNextTick);
      }
    };
    var TransformState = class {
      constructor(stream2) {
        this.data = null;
        this.afterTransform = afterTransform.bind(stream2);
        this.afterFinal = null;
      }
    };
    var Pipeline = class {
      constructor(src, dst, cb) {
        this.from = src;
        this.to = dst;
        this.afterPipe = cb;
        this.error = null;
        this.pipeToFinished = false;
      }
      finished() {
        this.pipeToFinished = true;
      }
      done(stream2, err) {
        if (err) this.error = err;
        if (stream2 === this.to) {
          this.to = null;
          if (this.from !== null) {
            if ((this.from._duplexState & READ_DONE) === 0 || !this.pipeToFinished) {
              this.from.destroy(this.error || StreamError.PREMATURE_CLOSE("Writable stream closed"));
            }
            return;
          }
        }
        if (stream2 === this.from) {
          this.from = null;
          if (this.to !== null) {
            if ((stream2._duplexState & READ_DONE) === 0) {
              this.to.destroy(this.error || StreamError.PREMATURE_CLOSE("Readable stream closed"));
            }
            return;
          }
        }
        if (this.afterPipe !== null) this.afterPipe(this.error);
        this.to = this.from = this.afterPipe = null;
      }
    };
    function afterDrain() {
      this.stream._duplexState |= READ_PIPE_DRAINED;
      this.updateCallback();
    }
    function afterFinal(err) {
      const stream2 = this.stream;
      if (err) stream2.destroy(err);
      if ((stream2._duplexState & DESTROY_STATUS) === 0) {
        stream2._duplexState |= WRITE_DONE;
        stream2.emit("finish");
      }
      if ((stream2._duplexState & AUTO_DESTROY) === DONE) {
        stream2._duplexState |= DESTROYING;
      }
      stream2._duplexState &= WRITE_NOT_FINISHING;
      if ((stream2._duplexState & WRITE_UPDATING) === 0) {
        this.update();
      } else {
        this.updateNextTick();
      }
    }
    function afterDestroy(err) {
      const stream2 = this.stream;
      if (!err && !StreamError.isStreamDestroyed(this.error)) err = this.error;
      if (err) stream2.emit("error", err);
      stream2._duplexState |= DESTROYED;
      stream2.emit("close");
      const rs = stream2._readableState;
      const ws = stream2._writableState;
      if (rs !== null && rs.pipeline !== null) {
        rs.pipeline.done(stream2, err);
      }
      if (ws !== null) {
        while (ws.drains !== null && ws.drains.length > 0) {
          ws.drains.shift().resolve(false);
        }
        if (ws.pipeline !== null) {
          ws.pipeline.done(stream2, err);
        }
      }
    }
    function afterWrite(err) {
      const stream2 = this.stream;
      if (err) stream2.destroy(err);
      stream2._duplexState &= WRITE_NOT_ACTIVE;
      if (this.drains !== null) tickDrains(this.drains);
      if ((stream2._duplexState & WRITE_DRAIN_STATUS) === WRITE_UNDRAINED) {
        stream2._duplexState &= WRITE_DRAINED;
        if ((stream2._duplexState & WRITE_EMIT_DRAIN) === WRITE_EMIT_DRAIN) {
          stream2.emit("drain");
        }
      }
      this.updateCallback();
    }
    function afterRead(err) {
      if (err) this.stream.destroy(err);
      this.stream._duplexState &= READ_NOT_ACTIVE;
      if (this.readAhead === false && (this.stream._duplexState & READ_RESUMED) === 0) {
        this.stream._duplexState &= READ_NO_READ_AHEAD;
      }
      this.updateCallback();
    }
    function updateReadNT() {
      if ((this.stream._duplexState & READ_UPDATING) === 0) {
        this.stream._duplexState &= READ_NOT_NEXT_TICK;
        this.update();
      }
    }
    function updateWriteNT() {
      if ((this.stream._duplexState & WRITE_UPDATING) === 0) {
        this.stream._duplexState &= WRITE_NOT_NEXT_TICK;
        this.update();
      }
    }
    function tickDrains(drains) {
      for (let i = 0; i < drains.length; i++) {
        if (--drains[i].writes === 0) {
          drains.shift().resolve(true);
          i--;
        }
      }
    }
    function afterOpen(err) {
      const stream2 = this.stream;
      if (err) stream2.destroy(err);
      if ((stream2._duplexState & DESTROYING) === 0) {
        if ((stream2._duplexState & READ_PRIMARY_STATUS) === 0) {
          stream2._duplexState |= READ_PRIMARY;
        }
        if ((stream2._duplexState & WRITE_PRIMARY_STATUS) === 0) {
          stream2._duplexState |= WRITE_PRIMARY;
        }
        stream2.emit("open");
      }
      stream2._duplexState &= NOT_ACTIVE;
      if (stream2._writableState !== null) {
        stream2._writableState.updateCallback();
      }
      if (stream2._readableState !== null) {
        stream2._readableState.updateCallback();
      }
    }
    function afterTransform(err, data) {
      if (data !== void 0 && data !== null) this.push(data);
      this._writableState.afterWrite(err);
    }
    function newListener(name) {
      if (this._readableState !== null) {
        if (name === "data") {
          this._duplexState |= READ_EMIT_DATA | READ_RESUMED_READ_AHEAD;
          this._readableState.updateNextTick();
        }
        if (name === "readable") {
          this._duplexState |= READ_EMIT_READABLE;
          this._readableState.updateNextTick();
        }
      }
      if (this._writableState !== null) {
        if (name === "drain") {
          this._duplexState |= WRITE_EMIT_DRAIN;
          this._writableState.updateNextTick();
        }
      }
    }
    var Stream = class extends EventEmitter {
      constructor(opts) {
        super();
        this._duplexState = 0;
        this._readableState = null;
        this._writableState = null;
        if (opts) {
          if (opts.open) this._open = opts.open;
          if (opts.destroy) this._destroy = opts.destroy;
          if (opts.predestroy) this._predestroy = opts.predestroy;
          if (opts.signal) opts.signal.addEventListener("abort", abort.bind(this));
        }
        this.on("newListener", newListener);
      }
      _open(cb) {
        cb(null);
      }
      _destroy(cb) {
        cb(null);
      }
      _predestroy() {
      }
      get readable() {
        return this._readableState !== null ? true : void 0;
      }
      get writable() {
        return this._writableState !== null ? true : void 0;
      }
      get destroyed() {
        return (this._duplexState & DESTROYED) !== 0;
      }
      get destroying() {
        return (this._duplexState & DESTROY_STATUS) !== 0;
      }
      destroy(err) {
        if ((this._duplexState & DESTROY_STATUS) === 0) {
          if (!err) err = StreamError.STREAM_DESTROYED();
          this._duplexState = (this._duplexState | DESTROYING) & NON_PRIMARY;
          if (this._readableState !== null) {
            this._readableState.highWaterMark = 0;
            this._readableState.error = err;
          }
          if (this._writableState !== null) {
            this._writableState.highWaterMark = 0;
            this._writableState.error = err;
          }
          this._duplexState |= PREDESTROYING;
          this._predestroy();
          this._duplexState &= NOT_PREDESTROYING;
          if (this._readableState !== null) {
            this._readableState.updateNextTick();
          }
          if (this._writableState !== null) {
            this._writableState.updateNextTick();
          }
        }
      }
    };
    var Readable2 = class _Readable extends Stream {
      constructor(opts) {
        super(opts);
        this._duplexState |= OPENING | WRITE_DONE | READ_READ_AHEAD;
        this._readableState = new ReadableState(this, opts);
        if (opts) {
          if (this._readableState.readAhead === false) this._duplexState &= READ_NO_READ_AHEAD;
          if (opts.read) this._read = opts.read;
          if (opts.eagerOpen) this._readableState.updateNextTick();
          if (opts.encoding) this.setEncoding(opts.encoding);
        }
      }
      static deferred(fn, opts) {
        const out = new PassThrough(opts);
        fn().then((src) => {
          if (src === null) return out.end();
          if (out.destroying) return;
          pipeline2(src, out, noop);
        }).catch((err) => out.destroy(err));
        return out;
      }
      setEncoding(encoding) {
        const dec = new TextDecoder2(encoding);
        const map = this._readableState.map || echo;
        this._readableState.map = mapOrSkip;
        return this;
        function mapOrSkip(data) {
          const next = dec.push(data);
          return next === "" && (data.byteLength !== 0 || dec.remaining > 0) ? null : map(next);
        }
      }
      _read(cb) {
        cb(null);
      }
      pipe(dest, cb) {
        this._readableState.updateNextTick();
        this._readableState.pipe(dest, cb);
        return dest;
      }
      read() {
        this._readableState.updateNextTick();
        return this._readableState.read();
      }
      push(data) {
        this._readableState.updateNextTickIfOpen();
        return this._readableState.push(data);
      }
      unshift(data) {
        this._readableState.updateNextTickIfOpen();
        return this._readableState.unshift(data);
      }
      resume() {
        this._duplexState |= READ_RESUMED_READ_AHEAD;
        this._readableState.updateNextTick();
        return this;
      }
      pause() {
        this._duplexState &= this._readableState.readAhead === false ? READ_PAUSED_NO_READ_AHEAD : READ_PAUSED;
        return this;
      }
      static _fromAsyncIterator(ite, opts) {
        let destroy;
        const rs = new _Readable({
          ...opts,
          read(cb) {
            ite.next().then(push2).then(cb.bind(null, null)).catch(cb);
          },
          predestroy() {
            destroy = ite.return();
          },
          destroy(cb) {
            if (!destroy) return cb(null);
            destroy.then(cb.bind(null, null)).catch(cb);
          }
        });
        return rs;
        function push2(data) {
          if (data.done) rs.push(null);
          else rs.push(data.value);
        }
      }
      static from(data, opts) {
        if (isReadStreamx(data)) return data;
        if (data[asyncIterator]) return this._fromAsyncIterator(data[asyncIterator](), opts);
        if (!Array.isArray(data)) data = data === void 0 ? [] : [data];
        let i = 0;
        return new _Readable({
          ...opts,
          read(cb) {
            this.push(i === data.length ? null : data[i++]);
            cb(null);
          }
        });
      }
      static isBackpressured(rs) {
        return (rs._duplexState & READ_BACKPRESSURE_STATUS) !== 0 || rs._readableState.buffered >= rs._readableState.highWaterMark;
      }
      static isPaused(rs) {
        return (rs._duplexState & READ_RESUMED) === 0;
      }
      [asyncIterator]() {
        const stream2 = this;
        let error = null;
        let promiseResolve = null;
        let promiseReject = null;
        this.on("error", (err) => {
          error = err;
        });
        this.on("readable", onreadable);
        this.on("close", onclose);
        return {
          [asyncIterator]() {
            return this;
          },
          next() {
            return new Promise(function(resolve, reject) {
              promiseResolve = resolve;
              promiseReject = reject;
              const data = stream2.read();
              if (data !== null) ondata(data);
              else if ((stream2._duplexState & DESTROYED) !== 0) ondata(null);
            });
          },
          return() {
            return destroy(null);
          },
          throw(err) {
            return destroy(err);
          }
        };
        function onreadable() {
          if (promiseResolve !== null) ondata(stream2.read());
        }
        function onclose() {
          if (promiseResolve !== null) ondata(null);
        }
        function ondata(data) {
          if (promiseReject === null) return;
          if (error) {
            promiseReject(error);
          } else if (data === null && (stream2._duplexState & READ_DONE) === 0) {
            promiseReject(StreamError.STREAM_DESTROYED());
          } else {
            promiseResolve({ value: data, done: data === null });
          }
          promiseReject = promiseResolve = null;
        }
        function destroy(err) {
          stream2.destroy(err);
          return new Promise((resolve, reject) => {
            if (stream2._duplexState & DESTROYED) return resolve({ value: void 0, done: true });
            stream2.once("close", function() {
              if (err) reject(err);
              else resolve({ value: void 0, done: true });
            });
          });
        }
      }
    };
    var Writable = class extends Stream {
      constructor(opts) {
        super(opts);
        this._duplexState |= OPENING | READ_DONE;
        this._writableState = new WritableState(this, opts);
        if (opts) {
          if (opts.writev) this._writev = opts.writev;
          if (opts.write) this._write = opts.write;
          if (opts.final) this._final = opts.final;
          if (opts.eagerOpen) this._writableState.updateNextTick();
        }
      }
      cork() {
        this._duplexState |= WRITE_CORKED;
      }
      uncork() {
        this._duplexState &= WRITE_NOT_CORKED;
        this._writableState.updateNextTick();
      }
      _writev(batch, cb) {
        cb(null);
      }
      _write(data, cb) {
        this._writableState.autoBatch(data, cb);
      }
      _final(cb) {
        cb(null);
      }
      static isBackpressured(ws) {
        return (ws._duplexState & WRITE_BACKPRESSURE_STATUS) !== 0;
      }
      static drained(ws) {
        if (ws.destroyed) return Promise.resolve(false);
        const state = ws._writableState;
        const pending = isWritev(ws) ? Math.min(1, state.queue.length) : state.queue.length;
        const writes = pending + (ws._duplexState & WRITE_WRITING ? 1 : 0);
        if (writes === 0) return Promise.resolve(true);
        if (state.drains === null) state.drains = [];
        return new Promise((resolve) => {
          state.drains.push({ writes, resolve });
        });
      }
      write(data) {
        this._writableState.updateNextTick();
        return this._writableState.push(data);
      }
      end(data) {
        this._writableState.updateNextTick();
        this._writableState.end(data);
        return this;
      }
    };
    var Duplex2 = class extends Readable2 {
      // and Writable
      constructor(opts) {
        super(opts);
        this._duplexState = OPENING | this._duplexState & READ_READ_AHEAD;
        this._writableState = new WritableState(this, opts);
        if (opts) {
          if (opts.writev) this._writev = opts.writev;
          if (opts.write) this._write = opts.write;
          if (opts.final) this._final = opts.final;
        }
      }
      cork() {
        this._duplexState |= WRITE_CORKED;
      }
      uncork() {
        this._duplexState &= WRITE_NOT_CORKED;
        this._writableState.updateNextTick();
      }
      _writev(batch, cb) {
        cb(null);
      }
      _write(data, cb) {
        this._writableState.autoBatch(data, cb);
      }
      _final(cb) {
        cb(null);
      }
      write(data) {
        this._writableState.updateNextTick();
        return this._writableState.push(data);
      }
      end(data) {
        this._writableState.updateNextTick();
        this._writableState.end(data);
        return this;
      }
    };
    var Transform2 = class extends Duplex2 {
      constructor(opts) {
        super(opts);
        this._transformState = new TransformState(this);
        if (opts) {
          if (opts.transform) this._transform = opts.transform;
          if (opts.flush) this._flush = opts.flush;
        }
      }
      _write(data, cb) {
        if (this._readableState.buffered >= this._readableState.highWaterMark) {
          this._transformState.data = data;
        } else {
          this._transform(data, this._transformState.afterTransform);
        }
      }
      _read(cb) {
        if (this._transformState.data !== null) {
          const data = this._transformState.data;
          this._transformState.data = null;
          cb(null);
          this._transform(data, this._transformState.afterTransform);
        } else {
          cb(null);
        }
      }
      destroy(err) {
        super.destroy(err);
        if (this._transformState.data !== null) {
          this._transformState.data = null;
          this._transformState.afterTransform();
        }
      }
      _transform(data, cb) {
        cb(null, data);
      }
      _flush(cb) {
        cb(null);
      }
      _final(cb) {
        this._transformState.afterFinal = cb;
        this._flush(transformAfterFlush.bind(this));
      }
    };
    var PassThrough = class extends Transform2 {
    };
    function transformAfterFlush(err, data) {
      const cb = this._transformState.afterFinal;
      if (err) return cb(err);
      if (data !== null && data !== void 0) this.push(data);
      this.push(null);
      cb(null);
    }
    function pipelinePromise(...streams) {
      return new Promise((resolve, reject) => {
        return pipeline2(...streams, (err) => {
          if (err) return reject(err);
          resolve();
        });
      });
    }
    function pipeline2(stream2, ...streams) {
      const all = Array.isArray(stream2) ? [...stream2, ...streams] : [stream2, ...streams];
      const done = all.length && typeof all[all.length - 1] === "function" ? all.pop() : null;
      if (all.length < 2) throw StreamError.BAD_ARGUMENT("Pipeline requires at least 2 streams");
      let src = all[0];
      let dest = null;
      let error = null;
      for (let i = 1; i < all.length; i++) {
        dest = all[i];
        if (isStreamx(src)) {
          src.pipe(dest, onerror);
        } else {
          errorHandle(src, true, i > 1, onerror);
          src.pipe(dest);
        }
        src = dest;
      }
      if (done) {
        let fin = false;
        const autoDestroy = isStreamx(dest) || !!(dest._writableState && dest._writableState.autoDestroy);
        dest.on("error", (err) => {
          if (error === null) error = err;
        });
        dest.on("finish", () => {
          fin = true;
          if (!autoDestroy) done(error);
        });
        if (autoDestroy) {
          dest.on("close", () => done(error || (fin ? null : StreamError.PREMATURE_CLOSE())));
        }
      }
      return dest;
      function errorHandle(s, rd, wr, onerror2) {
        s.on("error", onerror2);
        s.on("close", onclose);
        function onclose() {
          if (rd && s._readableState && !s._readableState.ended) {
            return onerror2(StreamError.PREMATURE_CLOSE());
          }
          if (wr && s._writableState && !s._writableState.ended) {
            return onerror2(StreamError.PREMATURE_CLOSE());
          }
        }
      }
      function onerror(err) {
        if (!err || error) return;
        error = err;
        for (const s of all) {
          s.destroy(err);
        }
      }
    }
    function echo(s) {
      return s;
    }
    function isStream(stream2) {
      return !!stream2._readableState || !!stream2._writableState;
    }
    function isStreamx(stream2) {
      return typeof stream2._duplexState === "number" && isStream(stream2);
    }
    function isEnding(stream2) {
      return !!stream2._readableState && stream2._readableState.ending;
    }
    function isEnded(stream2) {
      return !!stream2._readableState && stream2._readableState.ended;
    }
    function isFinishing(stream2) {
      return !!stream2._writableState && stream2._writableState.ending;
    }
    function isFinished(stream2) {
      return !!stream2._writableState && stream2._writableState.ended;
    }
    function getStreamError(stream2, opts = {}) {
      const err = stream2._readableState && stream2._readableState.error || stream2._writableState && stream2._writableState.error;
      return !opts.all && StreamError.isStreamDestroyed(err) ? null : err;
    }
    function isReadStreamx(stream2) {
      return isStreamx(stream2) && stream2.readable;
    }
    function isDisturbed(stream2) {
      return (stream2._duplexState & OPENING) !== OPENING || (stream2._duplexState & DESTROYING) === DESTROYING || (stream2._duplexState & ACTIVE_OR_TICKING) !== 0;
    }
    function isTypedArray(data) {
      return typeof data === "object" && data !== null && typeof data.byteLength === "number";
    }
    function defaultByteLength(data) {
      return isTypedArray(data) ? data.byteLength : 1024;
    }
    function noop() {
    }
    function abort() {
      this.destroy(StreamError.ABORTED());
    }
    function isWritev(s) {
      return s._writev !== Writable.prototype._writev && s._writev !== Duplex2.prototype._writev;
    }
    module2.exports = {
      pipeline: pipeline2,
      pipelinePromise,
      isStream,
      isStreamx,
      isEnding,
      isEnded,
      isFinishing,
      isFinished,
      isDisturbed,
      getStreamError,
      Stream,
      Writable,
      Readable: Readable2,
      Duplex: Duplex2,
      Transform: Transform2,
      // Export PassThrough for compatibility with Node.js core's stream module
      PassThrough
    };
  }
});

// node_modules/tar-stream/headers.js
var require_headers = __commonJS({
  "node_modules/tar-stream/headers.js"(exports2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var b4a = require_b4a();
    var ZEROS = "0000000000000000000";
    var SEVENS = "7777777777777777777";
    var ZERO_OFFSET = "0".charCodeAt(0);
    var USTAR_MAGIC = b4a.from([117, 115, 116, 97, 114, 0]);
    var USTAR_VER = b4a.from([ZERO_OFFSET, ZERO_OFFSET]);
    var GNU_MAGIC = b4a.from([117, 115, 116, 97, 114, 32]);
    var GNU_VER = b4a.from([32, 0]);
    var MASK = 4095;
    var MAGIC_OFFSET = 257;
    var VERSION_OFFSET = 263;
    exports2.decodeLongPath = function decodeLongPath(buf, encoding) {
      return decodeStr(buf, 0, buf.length, encoding);
    };
    exports2.encodePax = function encodePax(opts) {
      let result = "";
      if (opts.name) result += addLength(" path=" + opts.name + "\n");
      if (opts.linkname) result += addLength(" linkpath=" + opts.linkname + "\n");
      const pax = opts.pax;
      if (pax) {
        for (const key in pax) {
          result += addLength(" " + key + "=" + pax[key] + "\n");
        }
      }
      return b4a.from(result);
    };
    exports2.decodePax = function decodePax(buf) {
      const result = {};
      while (buf.length) {
        let i = 0;
        while (i < buf.length && buf[i] !== 32) i++;
        const len = parseInt(b4a.toString(buf.subarray(0, i)), 10);
        if (!len) return result;
        const b = b4a.toString(buf.subarray(i + 1, len - 1));
        const keyIndex = b.indexOf("=");
        if (keyIndex === -1) return result;
        result[b.slice(0, keyIndex)] = b.slice(keyIndex + 1);
        buf = buf.subarray(len);
      }
      return result;
    };
    exports2.encode = function encode(opts) {
      const buf = b4a.alloc(512);
      let name = opts.name;
      let prefix = "";
      if (opts.typeflag === 5 && name[name.length - 1] !== "/") name += "/";
      if (b4a.byteLength(name) !== name.length) return null;
      while (b4a.byteLength(name) > 100) {
        const i = name.indexOf("/");
        if (i === -1) return null;
        prefix += prefix ? "/" + name.slice(0, i) : name.slice(0, i);
        name = name.slice(i + 1);
      }
      if (b4a.byteLength(name) > 100 || b4a.byteLength(prefix) > 155) return null;
      if (opts.linkname && b4a.byteLength(opts.linkname) > 100) return null;
      b4a.write(buf, name);
      b4a.write(buf, encodeOct(opts.mode & MASK, 6), 100);
      b4a.write(buf, encodeOct(opts.uid, 6), 108);
      b4a.write(buf, encodeOct(opts.gid, 6), 116);
      encodeSize(opts.size, buf, 124);
      b4a.write(buf, encodeOct(opts.mtime.getTime() / 1e3 | 0, 11), 136);
      buf[156] = ZERO_OFFSET + toTypeflag(opts.type);
      if (opts.linkname) b4a.write(buf, opts.linkname, 157);
      b4a.copy(USTAR_MAGIC, buf, MAGIC_OFFSET);
      b4a.copy(USTAR_VER, buf, VERSION_OFFSET);
      if (opts.uname) b4a.write(buf, opts.uname, 265);
      if (opts.gname) b4a.write(buf, opts.gname, 297);
      b4a.write(buf, encodeOct(opts.devmajor || 0, 6), 329);
      b4a.write(buf, encodeOct(opts.devminor || 0, 6), 337);
      if (prefix) b4a.write(buf, prefix, 345);
      b4a.write(buf, encodeOct(cksum(buf), 6), 148);
      return buf;
    };
    exports2.decode = function decode(buf, filenameEncoding, allowUnknownFormat) {
      let typeflag = buf[156] === 0 ? 0 : buf[156] - ZERO_OFFSET;
      let name = decodeStr(buf, 0, 100, filenameEncoding);
      const mode = decodeOct(buf, 100, 8);
      const uid = decodeOct(buf, 108, 8);
      const gid = decodeOct(buf, 116, 8);
      const size = decodeOct(buf, 124, 12);
      const mtime = decodeOct(buf, 136, 12);
      const type = toType(typeflag);
      const linkname = buf[157] === 0 ? null : decodeStr(buf, 157, 100, filenameEncoding);
      const uname = decodeStr(buf, 265, 32);
      const gname = decodeStr(buf, 297, 32);
      const devmajor = decodeOct(buf, 329, 8);
      const devminor = decodeOct(buf, 337, 8);
      const c = cksum(buf);
      if (c === 8 * 32) return null;
      if (c !== decodeOct(buf, 148, 8)) throw new Error("Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?");
      if (isUSTAR(buf)) {
        if (buf[345]) name = decodeStr(buf, 345, 155, filenameEncoding) + "/" + name;
      } else if (isGNU(buf)) {
      } else {
        if (!allowUnknownFormat) {
          throw new Error("Invalid tar header: unknown format.");
        }
      }
      if (typeflag === 0 && name && name[name.length - 1] === "/") typeflag = 5;
      return {
        name,
        mode,
        uid,
        gid,
        size,
        byteOffset: 0,
        mtime: new Date(1e3 * mtime),
        type,
        linkname,
        uname,
        gname,
        devmajor,
        devminor,
        pax: null
      };
    };
    function isUSTAR(buf) {
      return b4a.equals(USTAR_MAGIC, buf.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 6));
    }
    function isGNU(buf) {
      return b4a.equals(GNU_MAGIC, buf.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 6)) && b4a.equals(GNU_VER, buf.subarray(VERSION_OFFSET, VERSION_OFFSET + 2));
    }
    function clamp(index, len, defaultValue) {
      if (typeof index !== "number") return defaultValue;
      index = ~~index;
      if (index >= len) return len;
      if (index >= 0) return index;
      index += len;
      if (index >= 0) return index;
      return 0;
    }
    function toType(flag) {
      switch (flag) {
        case 0:
          return "file";
        case 1:
          return "link";
        case 2:
          return "symlink";
        case 3:
          return "character-device";
        case 4:
          return "block-device";
        case 5:
          return "directory";
        case 6:
          return "fifo";
        case 7:
          return "contiguous-file";
        case 72:
          return "pax-header";
        case 55:
          return "pax-global-header";
        case 27:
          return "gnu-long-link-path";
        case 28:
        case 30:
          return "gnu-long-path";
      }
      return null;
    }
    function toTypeflag(flag) {
      switch (flag) {
        case "file":
          return 0;
        case "link":
          return 1;
        case "symlink":
          return 2;
        case "character-device":
          return 3;
        case "block-device":
          return 4;
        case "directory":
          return 5;
        case "fifo":
          return 6;
        case "contiguous-file":
          return 7;
        case "pax-header":
          return 72;
      }
      return 0;
    }
    function indexOf(block, num, offset, end) {
      for (; offset < end; offset++) {
        if (block[offset] === num) return offset;
      }
      return end;
    }
    function cksum(block) {
      let sum = 8 * 32;
      for (let i = 0; i < 148; i++) sum += block[i];
      for (let j = 156; j < 512; j++) sum += block[j];
      return sum;
    }
    function encodeOct(val, n) {
      val = val.toString(8);
      if (val.length > n) return SEVENS.slice(0, n) + " ";
      return ZEROS.slice(0, n - val.length) + val + " ";
    }
    function encodeSizeBin(num, buf, off) {
      buf[off] = 128;
      for (let i = 11; i > 0; i--) {
        buf[off + i] = num & 255;
        num = Math.floor(num / 256);
      }
    }
    function encodeSize(num, buf, off) {
      if (num.toString(8).length > 11) {
        encodeSizeBin(num, buf, off);
      } else {
        b4a.write(buf, encodeOct(num, 11), off);
      }
    }
    function parse256(buf) {
      let positive;
      if (buf[0] === 128) positive = true;
      else if (buf[0] === 255) positive = false;
      else return null;
      const tuple = [];
      let i;
      for (i = buf.length - 1; i > 0; i--) {
        const byte = buf[i];
        if (positive) tuple.push(byte);
        else tuple.push(255 - byte);
      }
      let sum = 0;
      const l = tuple.length;
      for (i = 0; i < l; i++) {
        sum += tuple[i] * Math.pow(256, i);
      }
      return positive ? sum : -1 * sum;
    }
    function decodeOct(val, offset, length) {
      val = val.subarray(offset, offset + length);
      offset = 0;
      if (val[offset] & 128) {
        return parse256(val);
      } else {
        while (offset < val.length && val[offset] === 32) offset++;
        const end = clamp(indexOf(val, 32, offset, val.length), val.length, val.length);
        while (offset < end && val[offset] === 0) offset++;
        if (end === offset) return 0;
        return parseInt(b4a.toString(val.subarray(offset, end)), 8);
      }
    }
    function decodeStr(val, offset, length, encoding) {
      return b4a.toString(val.subarray(offset, indexOf(val, 0, offset, offset + length)), encoding);
    }
    function addLength(str) {
      const len = b4a.byteLength(str);
      let digits = Math.floor(Math.log(len) / Math.log(10)) + 1;
      if (len + digits >= Math.pow(10, digits)) digits++;
      return len + digits + str;
    }
  }
});

// node_modules/tar-stream/extract.js
var require_extract = __commonJS({
  "node_modules/tar-stream/extract.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var { Writable, Readable: Readable2, getStreamError } = require_streamx();
    var FIFO = require_fast_fifo();
    var b4a = require_b4a();
    var headers = require_headers();
    var EMPTY2 = b4a.alloc(0);
    var MAX_HEADER_SIZE = 4 * 1024 * 1024;
    var BufferList = class {
      constructor() {
        this.buffered = 0;
        this.shifted = 0;
        this.queue = new FIFO();
        this._offset = 0;
      }
      push(buffer) {
        this.buffered += buffer.byteLength;
        this.queue.push(buffer);
      }
      shiftFirst(size) {
        return this.buffered === 0 ? null : this._next(size);
      }
      shift(size) {
        if (size > this.buffered) return null;
        if (size === 0) return EMPTY2;
        let chunk = this._next(size);
        if (size === chunk.byteLength) return chunk;
        const chunks = [chunk];
        while ((size -= chunk.byteLength) > 0) {
          chunk = this._next(size);
          chunks.push(chunk);
        }
        return b4a.concat(chunks);
      }
      _next(size) {
        const buf = this.queue.peek();
        const rem = buf.byteLength - this._offset;
        if (size >= rem) {
          const sub = this._offset ? buf.subarray(this._offset, buf.byteLength) : buf;
          this.queue.shift();
          this._offset = 0;
          this.buffered -= rem;
          this.shifted += rem;
          return sub;
        }
        this.buffered -= size;
        this.shifted += size;
        return buf.subarray(this._offset, this._offset += size);
      }
    };
    var Source = class extends Readable2 {
      constructor(self, header, offset) {
        super();
        this.header = header;
        this.offset = offset;
        this._parent = self;
      }
      _read(cb) {
        if (this.header.size === 0) {
          this.push(null);
        }
        if (this._parent._stream === this) {
          this._parent._update();
        }
        cb(null);
      }
      _predestroy() {
        this._parent.destroy(getStreamError(this));
      }
      _detach() {
        if (this._parent._stream === this) {
          this._parent._stream = null;
          this._parent._missing = overflow(this.header.size);
          this._parent._update();
        }
      }
      _destroy(cb) {
        this._detach();
        cb(null);
      }
    };
    var Extract = class extends Writable {
      constructor(opts) {
        super(opts);
        if (!opts) opts = {};
        this._buffer = new BufferList();
        this._offset = 0;
        this._header = null;
        this._stream = null;
        this._missing = 0;
        this._longHeader = false;
        this._callback = noop;
        this._locked = false;
        this._finished = false;
        this._pax = null;
        this._paxGlobal = null;
        this._gnuLongPath = null;
        this._gnuLongLinkPath = null;
        this._filenameEncoding = opts.filenameEncoding || "utf-8";
        this._allowUnknownFormat = !!opts.allowUnknownFormat;
        this._unlockBound = this._unlock.bind(this);
      }
      _unlock(err) {
        this._locked = false;
        if (err) {
          this.destroy(err);
          this._continueWrite(err);
          return;
        }
        this._update();
      }
      _consumeHeader() {
        if (this._locked) return false;
        this._offset = this._buffer.shifted;
        try {
          this._header = headers.decode(this._buffer.shift(512), this._filenameEncoding, this._allowUnknownFormat);
        } catch (err) {
          this._continueWrite(err);
          return false;
        }
        if (!this._header) return true;
        this._header.byteOffset = this._buffer.shifted;
        switch (this._header.type) {
          case "gnu-long-path":
          case "gnu-long-link-path":
          case "pax-global-header":
          case "pax-header":
            this._longHeader = true;
            this._missing = this._header.size;
            if (this._missing > MAX_HEADER_SIZE) {
              this._continueWrite(new Error("Header exceeds max size"));
              return false;
            }
            return true;
        }
        this._locked = true;
        this._applyLongHeaders();
        if (!(this._header.size >= 0)) {
          this._continueWrite(new Error("Invalid header"));
          return false;
        }
        if (this._header.size === 0 || this._header.type === "directory") {
          this.emit("entry", this._header, this._createStream(), this._unlockBound);
          return true;
        }
        this._stream = this._createStream();
        this._missing = this._header.size;
        this.emit("entry", this._header, this._stream, this._unlockBound);
        return true;
      }
      _applyLongHeaders() {
        if (this._gnuLongPath) {
          this._header.name = this._gnuLongPath;
          this._gnuLongPath = null;
        }
        if (this._gnuLongLinkPath) {
          this._header.linkname = this._gnuLongLinkPath;
          this._gnuLongLinkPath = null;
        }
        if (this._pax) {
          if (this._pax.path) this._header.name = this._pax.path;
          if (this._pax.linkpath) this._header.linkname = this._pax.linkpath;
          if (this._pax.size) this._header.size = parseInt(this._pax.size, 10);
          this._header.pax = this._pax;
          this._pax = null;
        }
      }
      _decodeLongHeader(buf) {
        switch (this._header.type) {
          case "gnu-long-path":
            this._gnuLongPath = headers.decodeLongPath(buf, this._filenameEncoding);
            break;
          case "gnu-long-link-path":
            this._gnuLongLinkPath = headers.decodeLongPath(buf, this._filenameEncoding);
            break;
          case "pax-global-header":
            this._paxGlobal = headers.decodePax(buf);
            break;
          case "pax-header":
            this._pax = this._paxGlobal === null ? headers.decodePax(buf) : Object.assign({}, this._paxGlobal, headers.decodePax(buf));
            break;
        }
      }
      _consumeLongHeader() {
        this._longHeader = false;
        this._missing = overflow(this._header.size);
        const buf = this._buffer.shift(this._header.size);
        try {
          this._decodeLongHeader(buf);
        } catch (err) {
          this._continueWrite(err);
          return false;
        }
        return true;
      }
      _consumeStream() {
        const buf = this._buffer.shiftFirst(this._missing);
        if (buf === null) return false;
        this._missing -= buf.byteLength;
        const drained = this._stream.push(buf);
        if (this._missing === 0) {
          this._stream.push(null);
          if (drained) this._stream._detach();
          return drained && this._locked === false;
        }
        return drained;
      }
      _createStream() {
        return new Source(this, this._header, this._offset);
      }
      _update() {
        while (this._buffer.buffered > 0 && !this.destroying) {
          if (this._missing > 0) {
            if (this._stream !== null) {
              if (this._consumeStream() === false) return;
              continue;
            }
            if (this._longHeader === true) {
              if (this._missing > this._buffer.buffered) break;
              if (this._consumeLongHeader() === false) return false;
              continue;
            }
            const ignore = this._buffer.shiftFirst(this._missing);
            if (ignore !== null) this._missing -= ignore.byteLength;
            continue;
          }
          if (this._buffer.buffered < 512) break;
          if (this._stream !== null || this._consumeHeader() === false) return;
        }
        this._continueWrite(null);
      }
      _continueWrite(err) {
        const cb = this._callback;
        this._callback = noop;
        cb(err);
      }
      _write(data, cb) {
        this._callback = cb;
        this._buffer.push(data);
        this._update();
      }
      _final(cb) {
        this._finished = this._missing === 0 && this._buffer.buffered === 0;
        cb(this._finished ? null : new Error("Unexpected end of data"));
      }
      _predestroy() {
        this._continueWrite(null);
      }
      _destroy(cb) {
        if (this._stream) this._stream.destroy(getStreamError(this));
        cb(null);
      }
      [Symbol.asyncIterator]() {
        let error = null;
        let promiseResolve = null;
        let promiseReject = null;
        let entryStream = null;
        let entryCallback = null;
        const extract = this;
        this.on("entry", onentry);
        this.on("error", (err) => {
          error = err;
        });
        this.on("close", onclose);
        return {
          [Symbol.asyncIterator]() {
            return this;
          },
          next() {
            return new Promise(onnext);
          },
          return() {
            return destroy(null);
          },
          throw(err) {
            return destroy(err);
          }
        };
        function consumeCallback(err) {
          if (!entryCallback) return;
          const cb = entryCallback;
          entryCallback = null;
          cb(err);
        }
        function onnext(resolve, reject) {
          if (error) {
            return reject(error);
          }
          if (entryStream) {
            resolve({ value: entryStream, done: false });
            entryStream = null;
            return;
          }
          promiseResolve = resolve;
          promiseReject = reject;
          consumeCallback(null);
          if (extract._finished && promiseResolve) {
            promiseResolve({ value: void 0, done: true });
            promiseResolve = promiseReject = null;
          }
        }
        function onentry(header, stream2, callback) {
          entryCallback = callback;
          stream2.on("error", noop);
          if (promiseResolve) {
            promiseResolve({ value: stream2, done: false });
            promiseResolve = promiseReject = null;
          } else {
            entryStream = stream2;
          }
        }
        function onclose() {
          consumeCallback(error);
          if (!promiseResolve) return;
          if (error) promiseReject(error);
          else promiseResolve({ value: void 0, done: true });
          promiseResolve = promiseReject = null;
        }
        function destroy(err) {
          extract.destroy(err);
          consumeCallback(err);
          return new Promise((resolve, reject) => {
            if (extract.destroyed) return resolve({ value: void 0, done: true });
            extract.once("close", function() {
              if (err) reject(err);
              else resolve({ value: void 0, done: true });
            });
          });
        }
      }
    };
    module2.exports = function extract(opts) {
      return new Extract(opts);
    };
    function noop() {
    }
    function overflow(size) {
      size &= 511;
      return size && 512 - size;
    }
  }
});

// node_modules/tar-stream/constants.js
var require_constants = __commonJS({
  "node_modules/tar-stream/constants.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var constants = {
      // just for envs without fs
      S_IFMT: 61440,
      S_IFDIR: 16384,
      S_IFCHR: 8192,
      S_IFBLK: 24576,
      S_IFIFO: 4096,
      S_IFLNK: 40960
    };
    try {
      module2.exports = require("fs").constants || constants;
    } catch {
      module2.exports = constants;
    }
  }
});

// node_modules/tar-stream/pack.js
var require_pack = __commonJS({
  "node_modules/tar-stream/pack.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var { Readable: Readable2, Writable, getStreamError } = require_streamx();
    var b4a = require_b4a();
    var constants = require_constants();
    var headers = require_headers();
    var DMODE = 493;
    var FMODE = 420;
    var END_OF_TAR = b4a.alloc(1024);
    var Sink = class extends Writable {
      constructor(pack, header, callback) {
        super({ mapWritable, eagerOpen: true });
        this.written = 0;
        this.header = header;
        this._callback = callback;
        this._linkname = null;
        this._isLinkname = header.type === "symlink" && !header.linkname;
        this._isVoid = header.type !== "file" && header.type !== "contiguous-file";
        this._finished = false;
        this._pack = pack;
        this._openCallback = null;
        if (this._pack._stream === null) this._pack._stream = this;
        else this._pack._pending.push(this);
      }
      _open(cb) {
        this._openCallback = cb;
        if (this._pack._stream === this) this._continueOpen();
      }
      _continuePack(err) {
        if (this._callback === null) return;
        const callback = this._callback;
        this._callback = null;
        callback(err);
      }
      _continueOpen() {
        if (this._pack._stream === null) this._pack._stream = this;
        const cb = this._openCallback;
        this._openCallback = null;
        if (cb === null) return;
        if (this._pack.destroying) return cb(new Error("pack stream destroyed"));
        if (this._pack._finalized) return cb(new Error("pack stream is already finalized"));
        this._pack._stream = this;
        if (!this._isLinkname) {
          this._pack._encode(this.header);
        }
        if (this._isVoid) {
          this._finish();
          this._continuePack(null);
        }
        cb(null);
      }
      _write(data, cb) {
        if (this._isLinkname) {
          this._linkname = this._linkname ? b4a.concat([this._linkname, data]) : data;
          return cb(null);
        }
        if (this._isVoid) {
          if (data.byteLength > 0) {
            return cb(new Error("No body allowed for this entry"));
          }
          return cb();
        }
        this.written += data.byteLength;
        if (this._pack.push(data)) return cb();
        this._pack._drain = cb;
      }
      _finish() {
        if (this._finished) return;
        this._finished = true;
        if (this._isLinkname) {
          this.header.linkname = this._linkname ? b4a.toString(this._linkname, "utf-8") : "";
          this._pack._encode(this.header);
        }
        overflow(this._pack, this.header.size);
        this._pack._done(this);
      }
      _final(cb) {
        if (this.written !== this.header.size) {
          return cb(new Error("Size mismatch"));
        }
        this._finish();
        cb(null);
      }
      _getError() {
        return getStreamError(this) || new Error("tar entry destroyed");
      }
      _predestroy() {
        this._pack.destroy(this._getError());
      }
      _destroy(cb) {
        this._pack._done(this);
        this._continuePack(this._finished ? null : this._getError());
        cb();
      }
    };
    var Pack = class extends Readable2 {
      constructor(opts) {
        super(opts);
        this._drain = noop;
        this._finalized = false;
        this._finalizing = false;
        this._pending = [];
        this._stream = null;
      }
      entry(header, buffer, callback) {
        if (this._finalized || this.destroying) throw new Error("already finalized or destroyed");
        if (typeof buffer === "function") {
          callback = buffer;
          buffer = null;
        }
        if (!callback) callback = noop;
        if (!header.size || header.type === "symlink") header.size = 0;
        if (!header.type) header.type = modeToType(header.mode);
        if (!header.mode) header.mode = header.type === "directory" ? DMODE : FMODE;
        if (!header.uid) header.uid = 0;
        if (!header.gid) header.gid = 0;
        if (!header.mtime) header.mtime = /* @__PURE__ */ new Date();
        if (typeof buffer === "string") buffer = b4a.from(buffer);
        const sink = new Sink(this, header, callback);
        if (b4a.isBuffer(buffer)) {
          header.size = buffer.byteLength;
          sink.write(buffer);
          sink.end();
          return sink;
        }
        if (sink._isVoid) {
          return sink;
        }
        return sink;
      }
      finalize() {
        if (this._stream || this._pending.length > 0) {
          this._finalizing = true;
          return;
        }
        if (this._finalized) return;
        this._finalized = true;
        this.push(END_OF_TAR);
        this.push(null);
      }
      _done(stream2) {
        if (stream2 !== this._stream) return;
        this._stream = null;
        if (this._finalizing) this.finalize();
        if (this._pending.length) this._pending.shift()._continueOpen();
      }
      _encode(header) {
        if (!header.pax) {
          const buf = headers.encode(header);
          if (buf) {
            this.push(buf);
            return;
          }
        }
        this._encodePax(header);
      }
      _encodePax(header) {
        const paxHeader = headers.encodePax({
          name: header.name,
          linkname: header.linkname,
          pax: header.pax
        });
        const newHeader = {
          name: "PaxHeader",
          mode: header.mode,
          uid: header.uid,
          gid: header.gid,
          size: paxHeader.byteLength,
          mtime: header.mtime,
          type: "pax-header",
          linkname: header.linkname && "PaxHeader",
          uname: header.uname,
          gname: header.gname,
          devmajor: header.devmajor,
          devminor: header.devminor
        };
        this.push(headers.encode(newHeader));
        this.push(paxHeader);
        overflow(this, paxHeader.byteLength);
        newHeader.size = header.size;
        newHeader.type = header.type;
        this.push(headers.encode(newHeader));
      }
      _doDrain() {
        const drain2 = this._drain;
        this._drain = noop;
        drain2();
      }
      _predestroy() {
        const err = getStreamError(this);
        if (this._stream) this._stream.destroy(err);
        while (this._pending.length) {
          const stream2 = this._pending.shift();
          stream2.destroy(err);
          stream2._continueOpen();
        }
        this._doDrain();
      }
      _read(cb) {
        this._doDrain();
        cb();
      }
    };
    module2.exports = function pack(opts) {
      return new Pack(opts);
    };
    function modeToType(mode) {
      switch (mode & constants.S_IFMT) {
        case constants.S_IFBLK:
          return "block-device";
        case constants.S_IFCHR:
          return "character-device";
        case constants.S_IFDIR:
          return "directory";
        case constants.S_IFIFO:
          return "fifo";
        case constants.S_IFLNK:
          return "symlink";
      }
      return "file";
    }
    function noop() {
    }
    function overflow(self, size) {
      size &= 511;
      if (size) self.push(END_OF_TAR.subarray(0, 512 - size));
    }
    function mapWritable(buf) {
      return b4a.isBuffer(buf) ? buf : b4a.from(buf);
    }
  }
});

// node_modules/tar-stream/index.js
var require_tar_stream = __commonJS({
  "node_modules/tar-stream/index.js"(exports2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    exports2.extract = require_extract();
    exports2.pack = require_pack();
  }
});

// node_modules/fzstd/lib/index.js
var require_lib = __commonJS({
  "node_modules/fzstd/lib/index.js"(exports2) {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var ab = ArrayBuffer;
    var u8 = Uint8Array;
    var u16 = Uint16Array;
    var i16 = Int16Array;
    var i32 = Int32Array;
    var slc = function(v, s, e) {
      if (u8.prototype.slice)
        return u8.prototype.slice.call(v, s, e);
      if (s == null || s < 0)
        s = 0;
      if (e == null || e > v.length)
        e = v.length;
      var n = new u8(e - s);
      n.set(v.subarray(s, e));
      return n;
    };
    var fill = function(v, n, s, e) {
      if (u8.prototype.fill)
        return u8.prototype.fill.call(v, n, s, e);
      if (s == null || s < 0)
        s = 0;
      if (e == null || e > v.length)
        e = v.length;
      for (; s < e; ++s)
        v[s] = n;
      return v;
    };
    var cpw = function(v, t, s, e) {
      if (u8.prototype.copyWithin)
        return u8.prototype.copyWithin.call(v, t, s, e);
      if (s == null || s < 0)
        s = 0;
      if (e == null || e > v.length)
        e = v.length;
      while (s < e) {
        v[t++] = v[s++];
      }
    };
    exports2.ZstdErrorCode = {
      InvalidData: 0,
      WindowSizeTooLarge: 1,
      InvalidBlockType: 2,
      FSEAccuracyTooHigh: 3,
      DistanceTooFarBack: 4,
      UnexpectedEOF: 5
    };
    var ec = [
      "invalid zstd data",
      "window size too large (>2046MB)",
      "invalid block type",
      "FSE accuracy too high",
      "match distance too far back",
      "unexpected EOF"
    ];
    var err = function(ind, msg, nt) {
      var e = new Error(msg || ec[ind]);
      e.code = ind;
      if (Error.captureStackTrace)
        Error.captureStackTrace(e, err);
      if (!nt)
        throw e;
      return e;
    };
    var rb = function(d, b, n) {
      var i = 0, o = 0;
      for (; i < n; ++i)
        o |= d[b++] << (i << 3);
      return o;
    };
    var b4 = function(d, b) {
      return (d[b] | d[b + 1] << 8 | d[b + 2] << 16 | d[b + 3] << 24) >>> 0;
    };
    var rzfh = function(dat, w) {
      var n3 = dat[0] | dat[1] << 8 | dat[2] << 16;
      if (n3 == 3126568 && dat[3] == 253) {
        var flg = dat[4];
        var ss = flg >> 5 & 1, cc = flg >> 2 & 1, df = flg & 3, fcf = flg >> 6;
        if (flg & 8)
          err(0);
        var bt = 6 - ss;
        var db = df == 3 ? 4 : df;
        var di = rb(dat, bt, db);
        bt += db;
        var fsb = fcf ? 1 << fcf : ss;
        var fss = rb(dat, bt, fsb) + (fcf == 1 && 256);
        var ws = fss;
        if (!ss) {
          var wb = 1 << 10 + (dat[5] >> 3);
          ws = wb + (wb >> 3) * (dat[5] & 7);
        }
        if (ws > 2145386496)
          err(1);
        var buf = new u8((w == 1 ? fss || ws : w ? 0 : ws) + 12);
        buf[0] = 1, buf[4] = 4, buf[8] = 8;
        return {
          b: bt + fsb,
          y: 0,
          l: 0,
          d: di,
          w: w && w != 1 ? w : buf.subarray(12),
          e: ws,
          o: new i32(buf.buffer, 0, 3),
          u: fss,
          c: cc,
          m: Math.min(131072, ws)
        };
      } else if ((n3 >> 4 | dat[3] << 20) == 25481893) {
        return b4(dat, 4) + 8;
      }
      err(0);
    };
    var msb = function(val) {
      var bits = 0;
      for (; 1 << bits <= val; ++bits)
        ;
      return bits - 1;
    };
    var rfse = function(dat, bt, mal) {
      var tpos = (bt << 3) + 4;
      var al = (dat[bt] & 15) + 5;
      if (al > mal)
        err(3);
      var sz = 1 << al;
      var probs = sz, sym = -1, re = -1, i = -1, ht = sz;
      var buf = new ab(512 + (sz << 2));
      var freq = new i16(buf, 0, 256);
      var dstate = new u16(buf, 0, 256);
      var nstate = new u16(buf, 512, sz);
      var bb1 = 512 + (sz << 1);
      var syms = new u8(buf, bb1, sz);
      var nbits = new u8(buf, bb1 + sz);
      while (sym < 255 && probs > 0) {
        var bits = msb(probs + 1);
        var cbt = tpos >> 3;
        var msk = (1 << bits + 1) - 1;
        var val = (dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16) >> (tpos & 7) & msk;
        var msk1fb = (1 << bits) - 1;
        var msv = msk - probs - 1;
        var sval = val & msk1fb;
        if (sval < msv)
          tpos += bits, val = sval;
        else {
          tpos += bits + 1;
          if (val > msk1fb)
            val -= msv;
        }
        freq[++sym] = --val;
        if (val == -1) {
          probs += val;
          syms[--ht] = sym;
        } else
          probs -= val;
        if (!val) {
          do {
            var rbt = tpos >> 3;
            re = (dat[rbt] | dat[rbt + 1] << 8) >> (tpos & 7) & 3;
            tpos += 2;
            sym += re;
          } while (re == 3);
        }
      }
      if (sym > 255 || probs)
        err(0);
      var sympos = 0;
      var sstep = (sz >> 1) + (sz >> 3) + 3;
      var smask = sz - 1;
      for (var s = 0; s <= sym; ++s) {
        var sf = freq[s];
        if (sf < 1) {
          dstate[s] = -sf;
          continue;
        }
        for (i = 0; i < sf; ++i) {
          syms[sympos] = s;
          do {
            sympos = sympos + sstep & smask;
          } while (sympos >= ht);
        }
      }
      if (sympos)
        err(0);
      for (i = 0; i < sz; ++i) {
        var ns = dstate[syms[i]]++;
        var nb = nbits[i] = al - msb(ns);
        nstate[i] = (ns << nb) - sz;
      }
      return [tpos + 7 >> 3, {
        b: al,
        s: syms,
        n: nbits,
        t: nstate
      }];
    };
    var rhu = function(dat, bt) {
      var i = 0, wc = -1;
      var buf = new u8(292), hb = dat[bt];
      var hw = buf.subarray(0, 256);
      var rc = buf.subarray(256, 268);
      var ri = new u16(buf.buffer, 268);
      if (hb < 128) {
        var _a = rfse(dat, bt + 1, 6), ebt = _a[0], fdt = _a[1];
        bt += hb;
        var epos = ebt << 3;
        var lb = dat[bt];
        if (!lb)
          err(0);
        var st1 = 0, st2 = 0, btr1 = fdt.b, btr2 = btr1;
        var fpos = (++bt << 3) - 8 + msb(lb);
        for (; ; ) {
          fpos -= btr1;
          if (fpos < epos)
            break;
          var cbt = fpos >> 3;
          st1 += (dat[cbt] | dat[cbt + 1] << 8) >> (fpos & 7) & (1 << btr1) - 1;
          hw[++wc] = fdt.s[st1];
          fpos -= btr2;
          if (fpos < epos)
            break;
          cbt = fpos >> 3;
          st2 += (dat[cbt] | dat[cbt + 1] << 8) >> (fpos & 7) & (1 << btr2) - 1;
          hw[++wc] = fdt.s[st2];
          btr1 = fdt.n[st1];
          st1 = fdt.t[st1];
          btr2 = fdt.n[st2];
          st2 = fdt.t[st2];
        }
        if (++wc > 255)
          err(0);
      } else {
        wc = hb - 127;
        for (; i < wc; i += 2) {
          var byte = dat[++bt];
          hw[i] = byte >> 4;
          hw[i + 1] = byte & 15;
        }
        ++bt;
      }
      var wes = 0;
      for (i = 0; i < wc; ++i) {
        var wt = hw[i];
        if (wt > 11)
          err(0);
        wes += wt && 1 << wt - 1;
      }
      var mb = msb(wes) + 1;
      var ts = 1 << mb;
      var rem = ts - wes;
      if (rem & rem - 1)
        err(0);
      hw[wc++] = msb(rem) + 1;
      for (i = 0; i < wc; ++i) {
        var wt = hw[i];
        ++rc[hw[i] = wt && mb + 1 - wt];
      }
      var hbuf = new u8(ts << 1);
      var syms = hbuf.subarray(0, ts), nb = hbuf.subarray(ts);
      ri[mb] = 0;
      for (i = mb; i > 0; --i) {
        var pv = ri[i];
        fill(nb, i, pv, ri[i - 1] = pv + rc[i] * (1 << mb - i));
      }
      if (ri[0] != ts)
        err(0);
      for (i = 0; i < wc; ++i) {
        var bits = hw[i];
        if (bits) {
          var code = ri[bits];
          fill(syms, i, code, ri[bits] = code + (1 << mb - bits));
        }
      }
      return [bt, {
        n: nb,
        b: mb,
        s: syms
      }];
    };
    var dllt = rfse(/* @__PURE__ */ new u8([
      81,
      16,
      99,
      140,
      49,
      198,
      24,
      99,
      12,
      33,
      196,
      24,
      99,
      102,
      102,
      134,
      70,
      146,
      4
    ]), 0, 6)[1];
    var dmlt = rfse(/* @__PURE__ */ new u8([
      33,
      20,
      196,
      24,
      99,
      140,
      33,
      132,
      16,
      66,
      8,
      33,
      132,
      16,
      66,
      8,
      33,
      68,
      68,
      68,
      68,
      68,
      68,
      68,
      68,
      36,
      9
    ]), 0, 6)[1];
    var doct = rfse(/* @__PURE__ */ new u8([
      32,
      132,
      16,
      66,
      102,
      70,
      68,
      68,
      68,
      68,
      36,
      73,
      2
    ]), 0, 5)[1];
    var b2bl = function(b, s) {
      var len = b.length, bl = new i32(len);
      for (var i = 0; i < len; ++i) {
        bl[i] = s;
        s += 1 << b[i];
      }
      return bl;
    };
    var llb = /* @__PURE__ */ new u8((/* @__PURE__ */ new i32([
      0,
      0,
      0,
      0,
      16843009,
      50528770,
      134678020,
      202050057,
      269422093
    ])).buffer, 0, 36);
    var llbl = /* @__PURE__ */ b2bl(llb, 0);
    var mlb = /* @__PURE__ */ new u8((/* @__PURE__ */ new i32([
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      16843009,
      50528770,
      117769220,
      185207048,
      252579084,
      16
    ])).buffer, 0, 53);
    var mlbl = /* @__PURE__ */ b2bl(mlb, 3);
    var dhu = function(dat, out, hu) {
      var len = dat.length, ss = out.length, lb = dat[len - 1], msk = (1 << hu.b) - 1, eb = -hu.b;
      if (!lb)
        err(0);
      var st = 0, btr = hu.b, pos = (len << 3) - 8 + msb(lb) - btr, i = -1;
      for (; pos > eb && i < ss; ) {
        var cbt = pos >> 3;
        var val = (dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16) >> (pos & 7);
        st = (st << btr | val) & msk;
        out[++i] = hu.s[st];
        pos -= btr = hu.n[st];
      }
      if (pos != eb || i + 1 != ss)
        err(0);
    };
    var dhu4 = function(dat, out, hu) {
      var bt = 6;
      var ss = out.length, sz1 = ss + 3 >> 2, sz2 = sz1 << 1, sz3 = sz1 + sz2;
      dhu(dat.subarray(bt, bt += dat[0] | dat[1] << 8), out.subarray(0, sz1), hu);
      dhu(dat.subarray(bt, bt += dat[2] | dat[3] << 8), out.subarray(sz1, sz2), hu);
      dhu(dat.subarray(bt, bt += dat[4] | dat[5] << 8), out.subarray(sz2, sz3), hu);
      dhu(dat.subarray(bt), out.subarray(sz3), hu);
    };
    var rzb = function(dat, st, out) {
      var _a;
      var bt = st.b;
      var b0 = dat[bt], btype = b0 >> 1 & 3;
      st.l = b0 & 1;
      var sz = b0 >> 3 | dat[bt + 1] << 5 | dat[bt + 2] << 13;
      var ebt = (bt += 3) + sz;
      if (btype == 1) {
        if (bt >= dat.length)
          return;
        st.b = bt + 1;
        if (out) {
          fill(out, dat[bt], st.y, st.y += sz);
          return out;
        }
        return fill(new u8(sz), dat[bt]);
      }
      if (ebt > dat.length)
        return;
      if (btype == 0) {
        st.b = ebt;
        if (out) {
          out.set(dat.subarray(bt, ebt), st.y);
          st.y += sz;
          return out;
        }
        return slc(dat, bt, ebt);
      }
      if (btype == 2) {
        var b3 = dat[bt], lbt = b3 & 3, sf = b3 >> 2 & 3;
        var lss = b3 >> 4, lcs = 0, s4 = 0;
        if (lbt < 2) {
          if (sf & 1)
            lss |= dat[++bt] << 4 | (sf & 2 && dat[++bt] << 12);
          else
            lss = b3 >> 3;
        } else {
          s4 = sf;
          if (sf < 2)
            lss |= (dat[++bt] & 63) << 4, lcs = dat[bt] >> 6 | dat[++bt] << 2;
          else if (sf == 2)
            lss |= dat[++bt] << 4 | (dat[++bt] & 3) << 12, lcs = dat[bt] >> 2 | dat[++bt] << 6;
          else
            lss |= dat[++bt] << 4 | (dat[++bt] & 63) << 12, lcs = dat[bt] >> 6 | dat[++bt] << 2 | dat[++bt] << 10;
        }
        ++bt;
        var buf = out ? out.subarray(st.y, st.y + st.m) : new u8(st.m);
        var spl = buf.length - lss;
        if (lbt == 0)
          buf.set(dat.subarray(bt, bt += lss), spl);
        else if (lbt == 1)
          fill(buf, dat[bt++], spl);
        else {
          var hu = st.h;
          if (lbt == 2) {
            var hud = rhu(dat, bt);
            lcs += bt - (bt = hud[0]);
            st.h = hu = hud[1];
          } else if (!hu)
            err(0);
          (s4 ? dhu4 : dhu)(dat.subarray(bt, bt += lcs), buf.subarray(spl), hu);
        }
        var ns = dat[bt++];
        if (ns) {
          if (ns == 255)
            ns = (dat[bt++] | dat[bt++] << 8) + 32512;
          else if (ns > 127)
            ns = ns - 128 << 8 | dat[bt++];
          var scm = dat[bt++];
          if (scm & 3)
            err(0);
          var dts = [dmlt, doct, dllt];
          for (var i = 2; i > -1; --i) {
            var md = scm >> (i << 1) + 2 & 3;
            if (md == 1) {
              var rbuf = new u8([0, 0, dat[bt++]]);
              dts[i] = {
                s: rbuf.subarray(2, 3),
                n: rbuf.subarray(0, 1),
                t: new u16(rbuf.buffer, 0, 1),
                b: 0
              };
            } else if (md == 2) {
              _a = rfse(dat, bt, 9 - (i & 1)), bt = _a[0], dts[i] = _a[1];
            } else if (md == 3) {
              if (!st.t)
                err(0);
              dts[i] = st.t[i];
            }
          }
          var _b = st.t = dts, mlt = _b[0], oct = _b[1], llt = _b[2];
          var lb = dat[ebt - 1];
          if (!lb)
            err(0);
          var spos = (ebt << 3) - 8 + msb(lb) - llt.b, cbt = spos >> 3, oubt = 0;
          var lst = (dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << llt.b) - 1;
          cbt = (spos -= oct.b) >> 3;
          var ost = (dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << oct.b) - 1;
          cbt = (spos -= mlt.b) >> 3;
          var mst = (dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << mlt.b) - 1;
          for (++ns; --ns; ) {
            var llc = llt.s[lst];
            var lbtr = llt.n[lst];
            var mlc = mlt.s[mst];
            var mbtr = mlt.n[mst];
            var ofc = oct.s[ost];
            var obtr = oct.n[ost];
            cbt = (spos -= ofc) >> 3;
            var ofp = 1 << ofc;
            var off = ofp + ((dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16 | dat[cbt + 3] << 24) >>> (spos & 7) & ofp - 1);
            cbt = (spos -= mlb[mlc]) >> 3;
            var ml = mlbl[mlc] + ((dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16) >> (spos & 7) & (1 << mlb[mlc]) - 1);
            cbt = (spos -= llb[llc]) >> 3;
            var ll = llbl[llc] + ((dat[cbt] | dat[cbt + 1] << 8 | dat[cbt + 2] << 16) >> (spos & 7) & (1 << llb[llc]) - 1);
            cbt = (spos -= lbtr) >> 3;
            lst = llt.t[lst] + ((dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << lbtr) - 1);
            cbt = (spos -= mbtr) >> 3;
            mst = mlt.t[mst] + ((dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << mbtr) - 1);
            cbt = (spos -= obtr) >> 3;
            ost = oct.t[ost] + ((dat[cbt] | dat[cbt + 1] << 8) >> (spos & 7) & (1 << obtr) - 1);
            if (off > 3) {
              st.o[2] = st.o[1];
              st.o[1] = st.o[0];
              st.o[0] = off -= 3;
            } else {
              var idx = off - (ll != 0);
              if (idx) {
                off = idx == 3 ? st.o[0] - 1 : st.o[idx];
                if (idx > 1)
                  st.o[2] = st.o[1];
                st.o[1] = st.o[0];
                st.o[0] = off;
              } else
                off = st.o[0];
            }
            for (var i = 0; i < ll; ++i) {
              buf[oubt + i] = buf[spl + i];
            }
            oubt += ll, spl += ll;
            var stin = oubt - off;
            if (stin < 0) {
              var len = -stin;
              var bs = st.e + stin;
              if (len > ml)
                len = ml;
              for (var i = 0; i < len; ++i) {
                buf[oubt + i] = st.w[bs + i];
              }
              oubt += len, ml -= len, stin = 0;
            }
            for (var i = 0; i < ml; ++i) {
              buf[oubt + i] = buf[stin + i];
            }
            oubt += ml;
          }
          if (oubt != spl) {
            while (spl < buf.length) {
              buf[oubt++] = buf[spl++];
            }
          } else
            oubt = buf.length;
          if (out)
            st.y += oubt;
          else
            buf = slc(buf, 0, oubt);
        } else if (out) {
          st.y += lss;
          if (spl) {
            for (var i = 0; i < lss; ++i) {
              buf[i] = buf[spl + i];
            }
          }
        } else if (spl)
          buf = slc(buf, spl);
        st.b = ebt;
        return buf;
      }
      err(2);
    };
    var cct = function(bufs, ol) {
      if (bufs.length == 1)
        return bufs[0];
      var buf = new u8(ol);
      for (var i = 0, b = 0; i < bufs.length; ++i) {
        var chk = bufs[i];
        buf.set(chk, b);
        b += chk.length;
      }
      return buf;
    };
    function decompress(dat, buf) {
      var bufs = [], nb = +!buf;
      var bt = 0, ol = 0;
      for (; dat.length; ) {
        var st = rzfh(dat, nb || buf);
        if (typeof st == "object") {
          if (nb) {
            buf = null;
            if (st.w.length == st.u) {
              bufs.push(buf = st.w);
              ol += st.u;
            }
          } else {
            bufs.push(buf);
            st.e = 0;
          }
          for (; !st.l; ) {
            var blk = rzb(dat, st, buf);
            if (!blk)
              err(5);
            if (buf)
              st.e = st.y;
            else {
              bufs.push(blk);
              ol += blk.length;
              cpw(st.w, 0, blk.length);
              st.w.set(blk, st.w.length - blk.length);
            }
          }
          bt = st.b + st.c * 4;
        } else
          bt = st;
        dat = dat.subarray(bt);
      }
      return cct(bufs, ol);
    }
    exports2.decompress = decompress;
    var Decompress = /* @__PURE__ */ (function() {
      function Decompress2(ondata) {
        this.ondata = ondata;
        this.c = [];
        this.l = 0;
        this.z = 0;
      }
      Decompress2.prototype.push = function(chunk, final) {
        if (typeof this.s == "number") {
          var sub = Math.min(chunk.length, this.s);
          chunk = chunk.subarray(sub);
          this.s -= sub;
        }
        var sl = chunk.length;
        var ncs = sl + this.l;
        if (!this.s) {
          if (final) {
            if (!ncs) {
              this.ondata(new u8(0), true);
              return;
            }
            if (ncs < 5)
              err(5);
          } else if (ncs < 18) {
            this.c.push(chunk);
            this.l = ncs;
            return;
          }
          if (this.l) {
            this.c.push(chunk);
            chunk = cct(this.c, ncs);
            this.c = [];
            this.l = 0;
          }
          if (typeof (this.s = rzfh(chunk)) == "number")
            return this.push(chunk, final);
        }
        if (typeof this.s != "number") {
          if (ncs < (this.z || 3)) {
            if (final)
              err(5);
            this.c.push(chunk);
            this.l = ncs;
            return;
          }
          if (this.l) {
            this.c.push(chunk);
            chunk = cct(this.c, ncs);
            this.c = [];
            this.l = 0;
          }
          if (!this.z && ncs < (this.z = chunk[this.s.b] & 2 ? 4 : 3 + (chunk[this.s.b] >> 3 | chunk[this.s.b + 1] << 5 | chunk[this.s.b + 2] << 13))) {
            if (final)
              err(5);
            this.c.push(chunk);
            this.l = ncs;
            return;
          } else
            this.z = 0;
          for (; ; ) {
            var blk = rzb(chunk, this.s);
            if (!blk) {
              if (final)
                err(5);
              var adc = chunk.subarray(this.s.b);
              this.s.b = 0;
              this.c.push(adc), this.l += adc.length;
              return;
            } else {
              this.ondata(blk, false);
              cpw(this.s.w, 0, blk.length);
              this.s.w.set(blk, this.s.w.length - blk.length);
            }
            if (this.s.l) {
              var rest = chunk.subarray(this.s.b);
              this.s = this.s.c * 4;
              this.push(rest, final);
              return;
            }
          }
        } else if (final)
          err(5);
      };
      return Decompress2;
    })();
    exports2.Decompress = Decompress;
  }
});

// node_modules/xz-decompress/dist/package/xz-decompress.js
var require_xz_decompress = __commonJS({
  "node_modules/xz-decompress/dist/package/xz-decompress.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    (function webpackUniversalModuleDefinition(root2, factory) {
      if (typeof exports2 === "object" && typeof module2 === "object")
        module2.exports = factory(require("stream/web"));
      else if (typeof define === "function" && define.amd)
        define(["stream/web"], factory);
      else if (typeof exports2 === "object")
        exports2["xz-decompress"] = factory(require("stream/web"));
      else
        root2["xz-decompress"] = factory(root2["stream/web"]);
    })(exports2, (__WEBPACK_EXTERNAL_MODULE__2__) => {
      return (
        /******/
        (() => {
          "use strict";
          var __webpack_modules__ = [
            ,
            /* 1 */
            /***/
            ((module3) => {
              module3.exports = "data:application/wasm;base64,AGFzbQEAAAABOApgAX8Bf2ABfwBgAABgA39/fwF/YAABf2ACf38AYAN/f34BfmACf38Bf2AEf39/fwF/YAN/f38AAyEgAAABAgMDAwMEAQUAAgMCBgcIBwUDAAMHAQcABwcBAwkFAwEAAgYIAX8BQfCgBAsHTgUGbWVtb3J5AgAOY3JlYXRlX2NvbnRleHQACA9kZXN0cm95X2NvbnRleHQACQxzdXBwbHlfaW5wdXQACg9nZXRfbmV4dF9vdXRwdXQACwqQYCDfAgEFf0EAIQECQCAAQQdqIgJBEEkNAEEBIQEgAkEDdiIDQQJGDQBBAiEBIAJBIEkNAEEDIQEgA0EERg0AQQQhASACQTBJDQBBBSEBIANBBkYNAEEGIQEgAkHIAEkNAEEHIQEgAkHYAEkNAEEIIQEgAkGIAUkNAEEJIQEgAkGIAkkNACAAEIGAgIAAIgBBCGpBACAAGw8LAkACQCABQQJ0QcCIgIAAaiIEKAIAIgANAEEAIQACQAJAQQAoAuSIgIAAIgJFDQBBACACKAIANgLkiICAAAwBC0EAEIGAgIAAIgJFDQILIAJBgIB8cSIAIAJBCHZB/wFxIgJyIAE6AAAgACACQQh0ckGAAmohAEEAIQJBACABQQJ0QYCIgIAAaigCACIDayEFIAMhAQNAIAAgBWoiACACNgIAIAAhAiABIANqIgFBgQJJDQALIAQgADYCAAsgBCAAKAIANgIACyAAC/QHAQh/QQAoArCIgIAAIQECQAJAAkACQAJAQQAtALSIgIAARQ0AQQBBADoAtIiAgAAgAUUNAUGwiICAACECA0ACQAJAIAFBCGoiAyABKAIEIgRqIgVBCHZB/wFxIgYNACABIQIMAQsCQANAIAVBgIB8cSAGai0AAEH+AUcNAUGwiICAACEGA0AgBiIHKAIAIgYgBUcNAAsgByAFKAIANgIAIAEgBCAFKAIEakEIaiIENgIEIAcgAiACIAVGGyECIAMgBGoiBUEIdkH/AXEiBg0ACwsgAigCACECCyACKAIAIgENAAtBACgCsIiAgAAhAQsgAUUNACAAQYcCakGAfnEhCEF/IQJBsIiAgAAhBEEAIQNBsIiAgAAhBgNAIAYhBwJAIAEiBigCBCIFIABJDQAgBSACTw0AIAUhAiAHIQQgBiEDIAVBCGogCEcNACAHIQQgBSECIAYhAwwECyAGKAIAIgENAAsgAw0CDAELQbCIgIAAIQQLPwBBEHQhASAAQYgCaiEHQQAhAwJAAkBBACgCuIiAgAAiAkUNAEEAIQUgASEGDAELQQAgAUHwoISAAEH//wNqQYCAfHEiBmsiAjYCuIiAgAAgAiEFCwJAIAcgBU0NACACQQF2IgIgByAFayIHIAIgB0sbQf//A2oiB0EQdkAAQX9GDQJBAEEAKAK4iICAACAHQYCAfHEiA2o2AriIgIAACyAGRQ0BIAZB/wE6AAEgBkEAKAKwiICAADYCgAIgBkGEAmogAyAFakGAgHxxQfh9aiICNgIAIAZBgAJqIQMLIANBgIB8cSIGIANBCHZB/wFxckH/AToAACAEIAMoAgA2AgACQCACIABrQYB+cSIFDQAgAw8LIAMhAQJAIAYgBUF/cyADQQhqIgQgAmoiB2pBgIB8cUYNACAEQf//A3EhBQJAIABB9/0DSw0AIAYgBEEIdkH/AXFqQf4BOgAAIANBACgCsIiAgAA2AgAgA0GAgAQgBWsiBTYCBEEAIAM2ArCIgIAAEIOAgIAAIAZBhIIEaiACIAVrQfh9aiIFNgIAIAZBgYAEakH/AToAACAGQYCCBGohASAFIABrQYB+cSEFDAELIAIgBWogACAFakH//3tqQYCAfHFrQYCAeGohBSADIQELIAEgASgCBCAFazYCBCAFQfgBaiEGIAcgBWtBCHZB/wFxIQUCQANAIAYiB0GAfmohBiAFIgQNAUEBIQUgB0H4AUcNAAsLAkAgB0H4AUYNACACIANqIAZrQYCAfHEiBSAEakH+AToAACAFIARBCHRqIgVBACgCsIiAgAA2AgAgBSAGNgIEQQAgBTYCsIiAgAAQg4CAgAALIAEPC0EAC3wBAn8CQCAARQ0AAkAgAEGAgHxxIABBCHZB/wFxciIBLQAAIgJB/wFHDQAgAEF4aiIAQQAoArCIgIAANgIAQQAgADYCsIiAgAAgAUH+AToAAEEAQQE6ALSIgIAADwsgACACQQJ0QcCIgIAAaiICKAIANgIAIAIgADYCAAsLawECfwJAQQAoArCIgIAAIgAoAgRB/wFLDQAgAEGAgHxxIgEgAEEIdkH/AXEiAHJBCToAAEEAQQAoArCIgIAAKAIANgKwiICAACABIABBCHRyIgBBACgC5IiAgAA2AgBBACAANgLkiICAAAsLTgECfwJAIAAgAUYNACACRQ0AA0ACQCAALQAAIgMgAS0AACIERg0AQQFBfyADIARLGw8LIAFBAWohASAAQQFqIQAgAkF/aiICDQALC0EAC3gBAX8CQAJAIAAgAU8NACACRQ0BIAAhAwNAIAMgAS0AADoAACABQQFqIQEgA0EBaiEDIAJBf2oiAg0ADAILCyAAIAFNDQAgAkUNACABQX9qIQEgAEF/aiEDA0AgAyACaiABIAJqLQAAOgAAIAJBf2oiAg0ACwsgAAssAQF/AkAgAkUNACAAIQMDQCADIAE6AAAgA0EBaiEDIAJBf2oiAg0ACwsgAAt/AQF/AkACQCABIAByIAJyQQNxRQ0AIAJFDQEgACEDA0AgAyABLQAAOgAAIAFBAWohASADQQFqIQMgAkF/aiICDQAMAgsLIAJBBEkNACACQQJ2IQIgACEDA0AgAyABKAIANgIAIAFBBGohASADQQRqIQMgAkF/aiICDQALCyAAC4gBAQJ/AkBBAC0A6IiAgAANAEEAQQE6AOiIgIAAEIyAgIAAEI6AgIAAC0GggAgQgICAgAAiAEGAgAQ2AgBBAkGAgIAgEJeAgIAAIQEgAEEUakKAgICAgIDAADcCACAAQRBqIABBoIAEajYCACAAQQhqQgA3AgAgACAAQSBqNgIEIAAgATYCHCAACxUAIAAoAhwQmICAgAAgABCCgICAAAsWACAAQQxqIAE2AgAgAEEIakEANgIACxsAIAAoAhwgAEEEaiAAQQxqKAIARRCWgICAAAtUAQN/QQAhAANAQQghASAAIQIDQEEAIAJBAXFrQaCG4u1+cSACQQF2cyECIAFBf2oiAQ0ACyAAQQJ0QfCIgIAAaiACNgIAIABBAWoiAEGAAkcNAAsLTgACQCABRQ0AIAJBf3MhAgNAIAJB/wFxIAAtAABzQQJ0QfCIgIAAaigCACACQQh2cyECIABBAWohACABQX9qIgENAAsgAkF/cyECCyACC10DAX4BfwF+QgAhAANAQQghASAAIQIDQEIAIAJCAYN9QsKenLzd8pW2SYMgAkIBiIUhAiABQX9qIgENAAsgAKdBA3RB8JCAgABqIAI3AwAgAEIBfCIAQoACUg0ACwtPAAJAIAFFDQAgAkJ/hSECA0AgAkL/AYMgADEAAIWnQQN0QfCQgIAAaikDACACQgiIhSECIABBAWohACABQX9qIgENAAsgAkJ/hSECCyACC8oQAgx/An4CQAJAIAAoAiRFDQAgACgCACECDAELQQAhAiAAQQA6ACggAEIANwMAIABCADcDGCAAQcgAakEAQeQAEIaAgIAAGiAAQawBakEMNgIACyAAIAEoAgQiAzYCECAAQeAAaiEEIABByABqIQUgAEG2AWohBiAAQbABaiEHIABBqAFqIQggASgCECEJAkACQAJAAkADQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQCACDgoBAgAEBQYHCAkKDwsgASgCACEKIAAoAqgBIQIgACgCrAEhCyABKAIEIQwgASgCCCENDAILIAcgACgCqAEiDGogASgCACABKAIEIgJqIAEoAgggAmsiAiAAKAKsASAMayIMIAIgDEkbIgIQh4CAgAAaIAEgASgCBCACajYCBEEAIQwgAEEAIAAoAqgBIAJqIgIgAiAAKAKsASILRhs2AqgBIAIgC0cNESAAQQE2AgACQCAHQaiIgIAAQQYQhICAgABFDQBBBSEMDBILIAZBAkEAEI2AgIAAIAAoALgBRw0QQQYhDCAGLQAADREgACAALQC3ASICNgIgIAJBBEsNEUEBIAJ0QRNxRQ0RCyABKAIEIgwgASgCCCINRg0OAkAgASgCACIKIAxqLQAAIgsNACAAIAw2AhAgASAMQQFqNgIEQQYhAgwMC0EAIQIgAEEANgKoASAAQQI2AgAgACALQQJ0QQRqIgs2AqwBIAAgCzYCQAsgByACaiAKIAxqIA0gDGsiDCALIAJrIgIgDCACSRsiAhCHgICAABogASABKAIEIAJqNgIEQQAhDCAAQQAgACgCqAEgAmoiAiACIAAoAqwBIgtGGzYCqAEgAiALRw0PIAAgAkF8aiICNgKsAUEHIQwgByACQQAQjYCAgAAgByAAKAKsASICaigAAEcNDyAAQQI2AqgBIAAtALEBIgtBP3ENDAJAAkAgC0HAAHFFDQAgACAHIAggAhCRgICAAEEBRw0RIAAgACkDCDcDMCAAKAKsASECIAAtALEBIQsMAQsgAEJ/NwMwC0J/IQ4CQCALwEF/Sg0AIAAgByAIIAIQkYCAgABBAUcNECAAKAKsASECIAApAwghDgsgACAONwM4IAIgACgCqAEiC2tBAkkNDyAAIAtBAWoiCjYCqAEgCCALakEIai0AAEEhRw0MIAAgC0ECaiINNgKoASAIIApqQQhqLQAAQQFHDQwgAiANRg0PIAAgC0EDajYCqAEgACgCsAkgCCANakEIai0AABCcgICAACIMDQ8gACgCrAEiAiAAKAKoASIMIAIgDEsbIQ0CQANAIA0gDEYNASAAIAxBAWoiAjYCqAEgACAMaiELIAIhDCALQbABai0AAA0ODAALCyAFQgA3AwAgAEEANgKoASAAQQM2AgAgBUEIakIANwMACyAAIAEoAgQ2AhAgACABKAIQNgIUIAAoArAJIAEQmYCAgAAhDCAAIAApA0ggASgCBCAAKAIQa618Ig43A0ggACAAKQNQIAEoAhAgACgCFCICayILrXwiDzcDUCAOIAApAzBWDQ0gDyAAKQM4Vg0NAkACQAJAAkAgACgCIEF/ag4EAAMDAQMLIAEoAgwgAmogCyAAKAIYEI2AgIAArSEODAELIAEoAgwgAmogCyAAKQMYEI+AgIAAIQ4LIAAgDjcDGAsgDEEBRw0OAkAgACkDMCIOQn9RDQAgDiAFKQMAUg0OCwJAIAApAzgiDkJ/UQ0AQQchDCAOIAApA1BSDQ8LIAAgACkDSCAANQJAfCAAKQNgfCIPNwNgQgQhDgJAAkACQCAAKAIgQX9qDgQBAgIAAgtCCCEOCyAEIA4gD3w3AwALIAAgACkDaCAAKQNQfDcDaCAAIARBGCAAKAJwEI2AgIAANgJwIABBBDYCACAAIAApA1hCAXw3A1gLAkAgBSkDACIOQgODUA0AIA5CAXwhDiABKAIEIQwgASgCCCELA0AgCyAMRg0NIAEgDEEBaiICNgIEIAEoAgAgDGotAAANDiAFIA43AwAgDkIDgyEPIA5CAXwhDiACIQwgD0IAUg0ACwsgAEEFNgIAC0EBIQIgACgCIEF/ag4EBgcHBQcLIAAgARCSgICAACIMQQFHDQsgAEEHNgIAC0EAIAAoAhBrIQUgAEGAAWopAwAhDiABKAIEIQwCQANAIA4gBSAMaq18QgODUA0BAkAgDCABKAIIRw0AIAAgARCTgICAAAwLCyABIAxBAWoiAjYCBCABKAIAIAxqIQsgAiEMIAstAAANCwwACwsgACABEJOAgIAAQQchDCAEIABBkAFqQRgQhICAgAANCiAAQQg2AgALIAAgAUEgEJSAgIAAIgxBAUcNCSAAQQk2AgBBDCELIABBDDYCrAEMAQsgACgCrAEhCwsgByAAKAKoASIMaiABKAIAIAEoAgQiAmogASgCCCACayICIAsgDGsiDCACIAxJGyICEIeAgIAAGiABIAEoAgQgAmo2AgRBACEMIABBACAAKAKoASACaiICIAIgACgCrAEiC0YbNgKoASACIAtHDQcgABCVgICAACEMDAcLQQEhAiAAIAFBwAAQlICAgAAiDEEBRw0GDAELQQEhAiAAIAFBIBCUgICAACIMQQFHDQULIAAgAjYCAAwACwtBBiEMDAILQQAhDAwBC0EHIQwLAkACQCAAKAIkDQACQAJAIAwOAgADAQtBB0EIIAEoAgQgASgCCEYbIQwLIAEgCTYCECABIAM2AgQgDA8LAkAgDA0AIAMgASgCBEcNACAJIAEoAhBHDQAgAC0AKCEBIABBAToAKCABQQN0DwsgAEEAOgAoCyAMC6YBAQN/AkAgACgCBCIEDQAgAEIANwMICyACKAIAIgUgAyAFIANLGyEGA0ACQCAGIAVHDQBBAA8LIAEgBWotAAAhAyACIAVBAWoiBTYCACAAIANB/wBxrSAErYYgACkDCIQ3AwgCQAJAIAPAIgNBAEgNAAJAIAMNAEEHIQMgBA0CCyAAQQA2AgRBAQ8LQQchAyAAIARBB2oiBDYCBCAEQT9HDQELCyADC6ECAgN/AX4gAEGQAWohAiABQQRqIQMDQAJAIAAgASgCACADIAEoAggQkYCAgAAiBEEBRg0AIABBgAFqIgMgAykDACABKAIEIAAoAhAiA2siAq18NwMAIAAgAyABKAIAaiACIAAoAhgQjYCAgACtNwMYIAQPCwJAAkACQAJAAkAgACgCeA4DAAIBAwsgACAAKQMIIgU3A4gBAkAgBSAAKQNYUQ0AQQcPCyAAQQE2AngMAwsgACAAKQOYASAAKQMIfDcDmAEgACACQRggACgCoAEQjYCAgAA2AqABIABBATYCeCAAIAApA4gBQn98IgU3A4gBDAILIABBAjYCeCAAIAApA5ABIAApAwh8NwOQAQsgACkDiAEhBQsgBUIAUg0AC0EBC0ABAn8gAEGAAWoiAiACKQMAIAEoAgQgACgCECICayIDrXw3AwAgACACIAEoAgBqIAMgACgCGBCNgICAAK03AxgLfAEEfyABKAIEIQMgASgCCCEEA0ACQCAEIANHDQBBAA8LIAEgA0EBaiIFNgIEAkAgASgCACADai0AACAAKQMYIAAoAgQiA62Ip0H/AXFGDQBBBw8LIAAgA0EIaiIGNgIEIAUhAyAGIAJJDQALIABBADYCBCAAQgA3AxhBAQtvAQF/QQchAQJAIABBugFqLwAAQdm0AUcNACAAQbQBakEGQQAQjYCAgAAgAEGwAWooAABHDQAgAEGAAWopAwBCAoggADUAtAFSDQAgAEG4AWotAAANAEEBQQcgACgCICAAQbkBai0AAEYbIQELIAELwAIBA38CQAJAAkAgACgCJA0AIABBADoAKCAAQQA2AgBBASECDAELAkAgACgCAEEKRw0AQQAhAwwCC0ECIQMMAQtBASEDCwJAAkADQAJAAkACQAJAIAMOAwABAwMLIAEoAgQiAyABKAIIIgRGDQQgASgCACEFAkADQCAFIANqLQAADQEgASADQQFqIgM2AgQgACAAKAIEQQFqQQNxNgIEIAQgA0YNBgwACwsCQCAAKAIERQ0AQQcPCyAAKAIkRQ0BIABBADoAKCAAQQA2AgBBASEDDAMLIABCADcDGCAAQQA2AgQgAEHIAGpBAEHkABCGgICAABogAEGsAWpBDDYCAAtBAiEDDAELIAAgARCQgICAACIDQQFHDQIgAEEKNgIAQQAhAwwACwsCQCACDQBBAA8LQQdBASAAKAIEGyEDCyADC3UBAX8CQEG4CRCAgICAACICRQ0AIAIgADYCJCACIAAgARCbgICAACIANgKwCQJAIABFDQAgAkEAOgAoIAJCADcDACACQgA3AxggAkHIAGpBAEHkABCGgICAABogAkGsAWpBDDYCACACDwsgAhCCgICAAAtBAAseAAJAIABFDQAgACgCsAkQnYCAgAAgABCCgICAAAsL3RABCn8gAEHo3QFqIQIgAEHUAGohAyAAQRxqIgRBCGohBQJAAkADQCAAKAJAIQYCQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkAgASgCBCIHIAEoAghJDQAgBkEHRg0BDBELIAYOCQECAwQFBgcACQ4LIAAoAkwhBgwHC0EBIQYgASAHQQFqNgIEIAEoAgAgB2otAAAiB0UNCAJAAkAgB0HfAUsNACAHQQFHDQELIABBgAI7AVACQCAAKAI8DQAgACABKAIMIAEoAhAiBmo2AhggACABKAIUIAZrNgIsCyAEQgA3AgAgBUIANwIADAoLIAAtAFBFDQkMDQsgASAHQQFqNgIEIAEoAgAgB2otAAAhByAAQQI2AkAgACAHQQh0IAAoAkhqNgJIDAsLIAEgB0EBajYCBCABKAIAIAdqLQAAIQcgAEEDNgJAIAAgByAAKAJIakEBajYCSAwKCyABIAdBAWo2AgQgASgCACAHai0AACEHIABBBDYCQCAAIAdBCHQ2AkwMCQsgASAHQQFqNgIEIAEoAgAgB2otAAAhByAAIAAoAkQ2AkAgACAHIAAoAkxqQQFqNgJMDAgLIAEgB0EBajYCBEEHIQYgASgCACAHai0AACIHQeABSw0DQQAhCAJAAkAgB0EtTw0AQQAhCQwBCyAHQVNqIgcgB0H/AXFBLW4iCUEtbGshByAJQQFqIQkLIABBfyAJdEF/czYCdAJAIAdB/wFxQQlJDQAgB0F3aiIHIAdB/wFxQQluIghBCWxrIQcgCEEBaiEICyAAIAg2AnAgACAHQf8BcSIHNgJsIAggB2pBBEsNAyADQgA3AgAgA0EIakIANwIAIANBEGpBADYCACAAQX8gCHRBf3M2AnBB+AAhBwNAIAAgB2pBgAg7AQAgB0ECaiIHQeTdAUcNAAsgAEEGNgJAIABBBTYCCCAAQv////8PNwIACyAAKAJMIgpBBUkNBwJAIAAoAggiB0UNACAHQX9qIQYgASgCBCEHIAEoAgghCQNAIAkgB0YNCiABIAdBAWoiCDYCBCABKAIAIAdqLQAAIQcgACAGNgIIIAAgByAAKAIEQQh0cjYCBCAIIQcgBkF/aiIGQX9HDQALCyAAQQc2AkAgACAKQXtqIgY2AkwLIAAgACgCICIHIAEoAhQgASgCEGsiCCAAKAJIIgkgCCAJSRsiCGogACgCLCIJIAkgB2sgCEsbNgIoIAEoAggiCiABKAIEIghrIQcCQAJAAkAgACgC5N0BIgkNACAGDQFBACEGCyACIAlqIAEoAgAgCGpBKiAJayIIIAYgCWsiBiAIIAZJGyIGIAcgBiAHSRsiBxCHgICAABoCQAJAIAAoAuTdASIIIAdqIgYgACgCTEcNACACIAhqIAdqQQBBPyAGaxCGgICAABogACgC5N0BIAdqIQYMAQsCQCAGQRRLDQAgACAGNgLk3QEgASABKAIEIAdqNgIEDAMLIAZBa2ohBgsgAEEANgIQIAAgAjYCDCAAIAY2AhRBByEGIAAQmoCAgABFDQMgACgCECIIIAAoAuTdASIJIAdqSw0DIAAgACgCTCAIayIGNgJMAkAgCCAJTw0AIAAgCSAIayIHNgLk3QEgAiACIAhqIAcQhYCAgAAaDAILIABBADYC5N0BIAEgASgCBCAIIAlraiIINgIEIAEoAggiCiAIayEHCwJAIAdBFUkNACAAIAg2AhAgACABKAIANgIMIAAgCkFraiAIIAZqIAcgBkEVakkbNgIUQQchBiAAEJqAgIAARQ0DIAAoAkwiByAAKAIQIgggASgCBGsiCUkNAyABIAg2AgQgACAHIAlrIgY2AkwgASgCCCAIayIHQRRLDQELIAIgASgCACAIaiAHIAYgByAGSRsiBxCHgICAABogACAHNgLk3QEgASABKAIEIAdqNgIECyAAKAIgIgYgACgCHCIIayEHAkAgACgCPEUNAAJAIAYgACgCLEcNACAAQQA2AiALIAEoAgwgASgCEGogACgCGCAIaiAHEIeAgIAAGiAAKAIgIQYLIAAgBjYCHCABIAEoAhAgB2oiCDYCECAAIAAoAkgiBiAHazYCSAJAIAYgB0cNAEEHIQYgACgCTA0CIAAoAmgNAiAAKAIEDQIgAEEANgJADAQLQQAhBiAIIAEoAhRGDQEgASgCBCABKAIIRw0FIAAoAuTdASAAKAJMTw0FDAELAkADQCAAKAJMIghFDQFBACEGIAEoAggiCSAHTQ0CIAEoAhQiCiABKAIQIgtNDQIgACAIIAkgB2siBiAKIAtrIgkgBiAJSRsiBiAAKAIsIAAoAiAiCWsiCiAGIApJGyIGIAggBiAISRsiBms2AkwgCSAAKAIYaiABKAIAIAdqIAYQhYCAgAAaIAAgACgCICAGaiIHNgIgAkAgACgCJCAHTw0AIAAgBzYCJAsCQCAAKAI8RQ0AAkAgByAAKAIsRw0AIABBADYCIAsgASgCDCABKAIQaiABKAIAIAEoAgRqIAYQhYCAgAAaIAAoAiAhBwsgACAHNgIcIAEgASgCECAGajYCECABIAEoAgQgBmoiBzYCBAwACwsgAEEANgJADAQLIAYPCyAHwEF/Sg0BIABBATYCQCAAIAdBEHRBgID8AHE2AkgCQCAHQcABSQ0AIABBBTYCRCAAQQA6AFEMAwsgAC0AUQ0DIABBBjYCRCAHQaABSQ0CIANCADcCACADQRBqQQA2AgAgA0EIakIANwIAQfgAIQcDQCAAIAdqQYAIOwEAIAdBAmoiB0Hk3QFHDQALCyAAQQU2AgggAEL/////DzcCAAwBCyAHQQJLDQEgAEKDgICAgAE3AkAMAAsLQQcPC0EAC5wYARR/IABBGGohAQJAIABBIGooAgAiAiAAQShqKAIAIgNPDQAgAEHoAGoiBCgCAEUNACABIAQgACgCVBCegICAABogACgCKCEDIAAoAiAhAgsCQCACIANPDQAgAEHYC2ohBSAAQbwNaiEGIABB3A1qIQcgAEHoAGohCCAAQeAVaiEJIABB1ABqIQoDQCAAKAIQIgsgACgCFEsNASAAIAAoAmQiDEEFdGogACgCdCACcSINQQF0aiIOQfgAaiEPAkACQCAAKAIAIgNBgICACEkNACAAKAIEIRAMAQsgACADQQh0IgM2AgAgACALQQFqIgQ2AhAgACAAKAIEQQh0IAAoAgwgC2otAAByIhA2AgQgBCELCwJAAkAgECADQQt2IA8vAQAiEWwiBE8NACAAIAQ2AgAgDyARQYAQIBFrQQV2ajsBACACQX9qIQMCQCACDQAgACgCLCADaiEDCwJAAkAgACgCJCIRDQBBACEDDAELIAEoAgAgA2otAAAhAwsgACAAKAJwIAJxIAAoAmwiD3QgA0EIIA9rdmpBgAxsakHkHWohDgJAAkAgDEEGSw0AQQEhAwNAIA4gA0EBdCIDaiEQAkACQCAAKAIAIgRBgICACEkNACAAKAIEIQwMAQsgACAEQQh0IgQ2AgAgACAAKAIQIg9BAWo2AhAgACAAKAIEQQh0IA8gACgCDGotAAByIgw2AgQLAkACQCAMIARBC3YgEC8BACIRbCIPSQ0AIAAgDCAPazYCBCAEIA9rIQ8gA0EBciEDIBEgEUEFdmshBAwBCyARQYAQIBFrQQV2aiEECyAAIA82AgAgECAEOwEAIANBgAJJDQALIAAoAiAhAgwBCyACIAAoAlQiD0F/c2ohAwJAIAIgD0sNACAAKAIsIANqIQMLAkACQCARDQBBACESDAELIAEoAgAgA2otAAAhEgtBASEDQYACIQ8DQCAOIBJBAXQiEiAPcSITIA9qIANqQQF0aiERAkACQCAEQf///wdNDQAgBCENDAELIAAgBEEIdCINNgIAIAAgC0EBaiIENgIQIAAgEEEIdCAAKAIMIAtqLQAAciIQNgIEIAQhCwsCQAJAIBAgDUELdiARLwEAIgxsIgRPIhQNACAMQYAQIAxrQQV2aiEMDAELIAAgECAEayIQNgIEIA0gBGshBCAMIAxBBXZrIQxBACEPCyAAIAQ2AgAgESAMOwEAIA8gE3MhDyADQQF0IBRyIgNBgAJJDQALCyAAIAJBAWo2AiAgACgCGCACaiADOgAAAkAgACgCJCAAKAIgIgJPDQAgACACNgIkC0EAIQMCQCAAKAJkIgRBBEkNAAJAIARBCUsNACAEQX1qIQMMAQsgBEF6aiEDCyAAIAM2AmQMAQsgACADIARrIgM2AgAgACAQIARrIgQ2AgQgDyARIBFBBXZrOwEAIAAgDEEBdGoiEkH4A2ohDwJAAkAgA0H///8HTQ0AIAshEwwBCyAAIANBCHQiAzYCACAAIAtBAWoiEzYCECAAIARBCHQgACgCDCALai0AAHIiBDYCBAsCQAJAIAQgA0ELdiAPLwEAIhBsIhFJDQAgACADIBFrIgw2AgAgACAEIBFrIgM2AgQgDyAQIBBBBXZrOwEAIBJBkARqIQ8CQAJAIAxB////B00NACATIREMAQsgACAMQQh0Igw2AgAgACATQQFqIhE2AhAgACADQQh0IAAoAgwgE2otAAByIgM2AgQLAkACQCADIAxBC3YgDy8BACIQbCIETw0AIAAgBDYCACAPIBBBgBAgEGtBBXZqOwEAIA5B2ARqIQ8CQCAEQf///wdLDQAgACAEQQh0IgQ2AgAgACARQQFqNgIQIAAgA0EIdCAAKAIMIBFqLQAAciIDNgIECwJAIAMgBEELdiAPLwEAIhBsIhFJDQAgACAEIBFrNgIAIAAgAyARazYCBCAPIBAgEEEFdms7AQAMAgsgACARNgIAIA8gEEGAECAQa0EFdmo7AQAgAEEBNgJoIABBCUELIAAoAmRBB0kbNgJkDAMLIAAgDCAEayIMNgIAIAAgAyAEayIDNgIEIA8gECAQQQV2azsBACASQagEaiEEAkACQCAMQf///wdNDQAgESEODAELIAAgDEEIdCIMNgIAIAAgEUEBaiIONgIQIAAgA0EIdCAAKAIMIBFqLQAAciIDNgIECwJAAkAgAyAMQQt2IAQvAQAiD2wiEE8NACAAIBA2AgAgBCAPQYAQIA9rQQV2ajsBACAAKAJYIQMMAQsgACAMIBBrIhE2AgAgACADIBBrIgM2AgQgBCAPIA9BBXZrOwEAIBJBwARqIQ8CQCARQf///wdLDQAgACARQQh0IhE2AgAgACAOQQFqNgIQIAAgA0EIdCAAKAIMIA5qLQAAciIDNgIECwJAAkAgAyARQQt2IA8vAQAiEGwiBE8NACAQQYAQIBBrQQV2aiEQIAAoAlwhAwwBCyAAIAMgBGs2AgQgACgCYCEDIAAgACgCXDYCYCARIARrIQQgECAQQQV2ayEQCyAAIAQ2AgAgDyAQOwEAIAAgACgCWDYCXAsgACAAKAJUNgJYIAAgAzYCVAsgAEEIQQsgACgCZEEHSRs2AmQgACAJIA0Qn4CAgAAMAQsgACARNgIAIA8gEEGAECAQa0EFdmo7AQAgACAAKAJcNgJgIAAgACkCVDcCWCAAQQdBCiAAKAJkQQdJGzYCZCAAIAcgDRCfgICAACAKIAAoAmgiA0F+akEDIANBBkkbQQd0akGEB2ohDUEBIQMDQCANIANBAXQiA2ohEAJAAkAgACgCACIEQYCAgAhJDQAgACgCBCEMDAELIAAgBEEIdCIENgIAIAAgACgCECIPQQFqNgIQIAAgACgCBEEIdCAPIAAoAgxqLQAAciIMNgIECwJAAkAgDCAEQQt2IBAvAQAiEWwiD0kNACAAIAwgD2s2AgQgBCAPayEPIANBAXIhAyARIBFBBXZrIQQMAQsgEUGAECARa0EFdmohBAsgACAPNgIAIBAgBDsBACADQcAASQ0ACwJAIANBQGoiBEEDSw0AIAAgBDYCVAwBCyAAIANBAXFBAnIiDzYCVCAEQQF2IRACQCAEQQ1LDQAgACAPIBBBf2oiDnQiBDYCVEEBIQ8gBSAEQQF0akHAACADa0EBdGpBfmohEkEAIQwDQCASIA9BAXQiD2ohEAJAAkAgACgCACIDQYCAgAhJDQAgACgCBCENDAELIAAgA0EIdCIDNgIAIAAgACgCECIEQQFqNgIQIAAgACgCBEEIdCAEIAAoAgxqLQAAciINNgIECwJAAkAgDSADQQt2IBAvAQAiEWwiBEkNACAAIA0gBGs2AgQgACAAKAJUQQEgDHRqNgJUIAMgBGshBCAPQQFyIQ8gESARQQV2ayEDDAELIBFBgBAgEWtBBXZqIQMLIAAgBDYCACAQIAM7AQAgDiAMQQFqIgxHDQAMAgsLIBBBe2ohECAAKAIEIQQgACgCACEDA0ACQCADQf///wdLDQAgACADQQh0IgM2AgAgACAAKAIQIhFBAWo2AhAgBEEIdCARIAAoAgxqLQAAciEECyAAIANBAXYiAzYCACAAIAQgA2siBEEfdSIRIA9BAXRqQQFqIg82AlQgACARIANxIARqIgQ2AgQgEEF/aiIQDQALIAAgD0EEdDYCVEEAIQxBASEPA0AgBiAPQQF0Ig9qIRACQAJAIAAoAgAiA0GAgIAISQ0AIAAoAgQhDQwBCyAAIANBCHQiAzYCACAAIAAoAhAiBEEBajYCECAAIAAoAgRBCHQgBCAAKAIMai0AAHIiDTYCBAsCQAJAIA0gA0ELdiAQLwEAIhFsIgRJDQAgACANIARrNgIEIAAgACgCVEEBIAx0ajYCVCADIARrIQQgD0EBciEPIBEgEUEFdmshAwwBCyARQYAQIBFrQQV2aiEDCyAAIAQ2AgAgECADOwEAIAxBAWoiDEEERw0ACwsCQCABIAggACgCVBCegICAAA0AQQAPCyAAKAIgIQILIAIgACgCKEkNAAsLQQEhAwJAIAAoAgAiBEH///8HSw0AIAAgBEEIdDYCAEEBIQMgACAAKAIQIgRBAWo2AhAgACAAKAIEQQh0IAQgACgCDGotAAByNgIECyADC3ABAX8CQEGo3gEQgICAgAAiAkUNACACQTRqIAE2AgAgAkE8aiAANgIAAkACQAJAIABBf2oOAgABAgsgAiABEICAgIAAIgA2AhggAA0BIAIQgoCAgAAMAgsgAkEANgIYIAJBOGpBADYCAAsgAg8LQQAL0gEBAn9BBiECAkAgAUEnSw0AIABBMGogAUEBcUECciABQQF2QQtqdCIBNgIAAkACQCAAQTxqKAIAIgNFDQBBBCECIAEgAEE0aigCAEsNAiAAQSxqIAE2AgAgA0ECRw0AIABBOGoiAygCACABTw0AIAAgATYCOCAAKAIYEIKAgIAAIAAgACgCMBCAgICAACIBNgIYIAENAEEDIQIMAQtBACECIABBADYCQCAAQdAAakEBOgAAIABB6ABqQQA2AgAgAEHk3QFqIQMLIANBADYCAAsgAgsjAAJAIABBPGooAgBFDQAgACgCGBCCgICAAAsgABCCgICAAAvHAQEDf0EAIQMCQCAAKAIMIAJNDQAgACgCGCACTQ0AIAEgASgCACIDIAAoAhAgACgCCCIEayIFIAMgBSADSRsiBWs2AgAgBCACQX9zaiEDAkAgBCACSw0AIAAoAhQgA2ohAwsDQCAAKAIAIgIgA2otAAAhASAAIAAoAggiBEEBajYCCCACIARqIAE6AABBACADQQFqIgMgAyAAKAIURhshAyAFQX9qIgUNAAtBASEDIAAoAgwgACgCCCIFTw0AIAAgBTYCDAsgAwvoBAEGfwJAAkAgACgCACIDQYCAgAhJDQAgACgCBCEEDAELIAAgA0EIdCIDNgIAIAAgACgCECIFQQFqNgIQIAAgACgCBEEIdCAFIAAoAgxqLQAAciIENgIECwJAAkAgBCADQQt2IAEvAQAiBWwiBk8NACAAIAY2AgAgASAFQYAQIAVrQQV2ajsBACABIAJBBHRqQQRqIQdBCCEIQQIhAQwBCyAAIAMgBmsiAzYCACAAIAQgBmsiBDYCBCABIAUgBUEFdms7AQACQCADQf///wdLDQAgACADQQh0IgM2AgAgACAAKAIQIgVBAWo2AhAgACAEQQh0IAUgACgCDGotAAByIgQ2AgQLAkAgBCADQQt2IAEvAQIiBWwiBk8NACAAIAY2AgAgASAFQYAQIAVrQQV2ajsBAiABIAJBBHRqQYQCaiEHQQghCEEKIQEMAQsgACADIAZrNgIAIAAgBCAGazYCBCABIAUgBUEFdms7AQIgAUGEBGohB0GAAiEIQRIhAQsgAEHoAGogATYCAEEBIQEDQCAHIAFBAXQiAWohBAJAAkAgACgCACIDQYCAgAhJDQAgACgCBCECDAELIAAgA0EIdCIDNgIAIAAgACgCECIFQQFqNgIQIAAgACgCBEEIdCAFIAAoAgxqLQAAciICNgIECwJAAkAgAiADQQt2IAQvAQAiBmwiBUkNACAAIAIgBWs2AgQgAyAFayEFIAFBAXIhASAGIAZBBXZrIQMMAQsgBkGAECAGa0EFdmohAwsgACAFNgIAIAQgAzsBACABIAhJDQALIABB6ABqIgAgASAIayAAKAIAajYCAAsLNQEAQYAICy4IAAAAEAAAABgAAAAgAAAAKAAAADAAAABAAAAAUAAAAIAAAAAAAQAA/Td6WFoA";
            }),
            /* 2 */
            /***/
            ((module3) => {
              module3.exports = __WEBPACK_EXTERNAL_MODULE__2__;
            })
            /******/
          ];
          var __webpack_module_cache__ = {};
          function __webpack_require__(moduleId) {
            var cachedModule = __webpack_module_cache__[moduleId];
            if (cachedModule !== void 0) {
              return cachedModule.exports;
            }
            var module3 = __webpack_module_cache__[moduleId] = {
              /******/
              // no module.id needed
              /******/
              // no module.loaded needed
              /******/
              exports: {}
              /******/
            };
            __webpack_modules__[moduleId](module3, module3.exports, __webpack_require__);
            return module3.exports;
          }
          (() => {
            __webpack_require__.d = (exports3, definition) => {
              for (var key in definition) {
                if (__webpack_require__.o(definition, key) && !__webpack_require__.o(exports3, key)) {
                  Object.defineProperty(exports3, key, { enumerable: true, get: definition[key] });
                }
              }
            };
          })();
          (() => {
            __webpack_require__.o = (obj, prop) => Object.prototype.hasOwnProperty.call(obj, prop);
          })();
          (() => {
            __webpack_require__.r = (exports3) => {
              if (typeof Symbol !== "undefined" && Symbol.toStringTag) {
                Object.defineProperty(exports3, Symbol.toStringTag, { value: "Module" });
              }
              Object.defineProperty(exports3, "__esModule", { value: true });
            };
          })();
          var __webpack_exports__ = {};
          (() => {
            __webpack_require__.r(__webpack_exports__);
            __webpack_require__.d(__webpack_exports__, {
              /* harmony export */
              XzReadableStream: () => (
                /* binding */
                XzReadableStream
              )
              /* harmony export */
            });
            var _dist_native_xz_decompress_wasm__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1);
            const ReadableStream = globalThis.ReadableStream || __webpack_require__(2).ReadableStream;
            const XZ_OK = 0;
            const XZ_STREAM_END = 1;
            class XzContext {
              constructor(moduleInstance) {
                this.exports = moduleInstance.exports;
                this.memory = this.exports.memory;
                this.ptr = this.exports.create_context();
                this._refresh();
                this.bufSize = this.mem32[0];
                this.inStart = this.mem32[1] - this.ptr;
                this.inEnd = this.inStart + this.bufSize;
                this.outStart = this.mem32[4] - this.ptr;
              }
              supplyInput(sourceDataUint8Array) {
                this._refresh();
                const inBuffer = this.mem8.subarray(this.inStart, this.inEnd);
                inBuffer.set(sourceDataUint8Array, 0);
                this.exports.supply_input(this.ptr, sourceDataUint8Array.byteLength);
                this._refresh();
              }
              getNextOutput() {
                const result = this.exports.get_next_output(this.ptr);
                this._refresh();
                if (result !== XZ_OK && result !== XZ_STREAM_END) {
                  throw new Error(`get_next_output failed with error code ${result}`);
                }
                const outChunk = this.mem8.slice(this.outStart, this.outStart + /* outPos */
                this.mem32[5]);
                return { outChunk, finished: result === XZ_STREAM_END };
              }
              needsMoreInput() {
                return (
                  /* inPos */
                  this.mem32[2] === /* inSize */
                  this.mem32[3]
                );
              }
              outputBufferIsFull() {
                return (
                  /* outPos */
                  this.mem32[5] === this.bufSize
                );
              }
              resetOutputBuffer() {
                this.outPos = this.mem32[5] = 0;
              }
              dispose() {
                this.exports.destroy_context(this.ptr);
                this.exports = null;
              }
              _refresh() {
                if (this.memory.buffer !== this.mem8?.buffer) {
                  this.mem8 = new Uint8Array(this.memory.buffer, this.ptr);
                  this.mem32 = new Uint32Array(this.memory.buffer, this.ptr);
                }
              }
            }
            class ContextMutex {
              constructor() {
                this.locked = false;
                this.waitQueue = [];
              }
              async acquire() {
                if (!this.locked) {
                  this.locked = true;
                  return;
                }
                return new Promise((resolve) => {
                  this.waitQueue.push(resolve);
                });
              }
              release() {
                if (this.waitQueue.length > 0) {
                  const next = this.waitQueue.shift();
                  next();
                } else {
                  this.locked = false;
                }
              }
            }
            class XzReadableStream extends ReadableStream {
              static _moduleInstancePromise;
              static _moduleInstance;
              static _contextMutex = new ContextMutex();
              static async _getModuleInstance() {
                const base64Wasm = _dist_native_xz_decompress_wasm__WEBPACK_IMPORTED_MODULE_0__.replace("data:application/wasm;base64,", "");
                const wasmBytes = Uint8Array.from(atob(base64Wasm), (c) => c.charCodeAt(0)).buffer;
                const wasmOptions = {};
                const module3 = await WebAssembly.instantiate(wasmBytes, wasmOptions);
                XzReadableStream._moduleInstance = module3.instance;
              }
              constructor(compressedStream) {
                let xzContext;
                let unconsumedInput = null;
                const compressedReader = compressedStream.getReader();
                super({
                  async start(controller) {
                    await XzReadableStream._contextMutex.acquire();
                    try {
                      if (!XzReadableStream._moduleInstance) {
                        await (XzReadableStream._moduleInstancePromise || (XzReadableStream._moduleInstancePromise = XzReadableStream._getModuleInstance()));
                      }
                      xzContext = new XzContext(XzReadableStream._moduleInstance);
                    } catch (error) {
                      XzReadableStream._contextMutex.release();
                      throw error;
                    }
                  },
                  async pull(controller) {
                    try {
                      if (xzContext.needsMoreInput()) {
                        if (unconsumedInput === null || unconsumedInput.byteLength === 0) {
                          const { done, value } = await compressedReader.read();
                          if (!done) {
                            unconsumedInput = value;
                          }
                        }
                        const nextInputLength = Math.min(xzContext.bufSize, unconsumedInput.byteLength);
                        xzContext.supplyInput(unconsumedInput.subarray(0, nextInputLength));
                        unconsumedInput = unconsumedInput.subarray(nextInputLength);
                      }
                      const nextOutputResult = xzContext.getNextOutput();
                      controller.enqueue(nextOutputResult.outChunk);
                      xzContext.resetOutputBuffer();
                      if (nextOutputResult.finished) {
                        xzContext.dispose();
                        XzReadableStream._contextMutex.release();
                        controller.close();
                      }
                    } catch (error) {
                      if (xzContext) {
                        xzContext.dispose();
                      }
                      XzReadableStream._contextMutex.release();
                      throw error;
                    }
                  },
                  cancel() {
                    try {
                      if (xzContext) {
                        xzContext.dispose();
                      }
                      return compressedReader.cancel();
                    } finally {
                      XzReadableStream._contextMutex.release();
                    }
                  }
                });
              }
            }
          })();
          return __webpack_exports__;
        })()
      );
    });
  }
});

// node_modules/through/index.js
var require_through = __commonJS({
  "node_modules/through/index.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var Stream = require("stream");
    exports2 = module2.exports = through;
    through.through = through;
    function through(write, end, opts) {
      write = write || function(data) {
        this.queue(data);
      };
      end = end || function() {
        this.queue(null);
      };
      var ended = false, destroyed = false, buffer = [], _ended = false;
      var stream2 = new Stream();
      stream2.readable = stream2.writable = true;
      stream2.paused = false;
      stream2.autoDestroy = !(opts && opts.autoDestroy === false);
      stream2.write = function(data) {
        write.call(this, data);
        return !stream2.paused;
      };
      function drain2() {
        while (buffer.length && !stream2.paused) {
          var data = buffer.shift();
          if (null === data)
            return stream2.emit("end");
          else
            stream2.emit("data", data);
        }
      }
      stream2.queue = stream2.push = function(data) {
        if (_ended) return stream2;
        if (data === null) _ended = true;
        buffer.push(data);
        drain2();
        return stream2;
      };
      stream2.on("end", function() {
        stream2.readable = false;
        if (!stream2.writable && stream2.autoDestroy)
          process.nextTick(function() {
            stream2.destroy();
          });
      });
      function _end() {
        stream2.writable = false;
        end.call(stream2);
        if (!stream2.readable && stream2.autoDestroy)
          stream2.destroy();
      }
      stream2.end = function(data) {
        if (ended) return;
        ended = true;
        if (arguments.length) stream2.write(data);
        _end();
        return stream2;
      };
      stream2.destroy = function() {
        if (destroyed) return;
        destroyed = true;
        ended = true;
        buffer.length = 0;
        stream2.writable = stream2.readable = false;
        stream2.emit("close");
        return stream2;
      };
      stream2.pause = function() {
        if (stream2.paused) return;
        stream2.paused = true;
        return stream2;
      };
      stream2.resume = function() {
        if (stream2.paused) {
          stream2.paused = false;
          stream2.emit("resume");
        }
        drain2();
        if (!stream2.paused)
          stream2.emit("drain");
        return stream2;
      };
      return stream2;
    }
  }
});

// node_modules/unbzip2-stream/lib/bzip2.js
var require_bzip2 = __commonJS({
  "node_modules/unbzip2-stream/lib/bzip2.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    function Bzip2Error(message2) {
      this.name = "Bzip2Error";
      this.message = message2;
      this.stack = new Error().stack;
    }
    Bzip2Error.prototype = new Error();
    var message = {
      Error: function(message2) {
        throw new Bzip2Error(message2);
      }
    };
    var bzip2 = {};
    bzip2.Bzip2Error = Bzip2Error;
    bzip2.crcTable = [
      0,
      79764919,
      159529838,
      222504665,
      319059676,
      398814059,
      445009330,
      507990021,
      638119352,
      583659535,
      797628118,
      726387553,
      890018660,
      835552979,
      1015980042,
      944750013,
      1276238704,
      1221641927,
      1167319070,
      1095957929,
      1595256236,
      1540665371,
      1452775106,
      1381403509,
      1780037320,
      1859660671,
      1671105958,
      1733955601,
      2031960084,
      2111593891,
      1889500026,
      1952343757,
      2552477408,
      2632100695,
      2443283854,
      2506133561,
      2334638140,
      2414271883,
      2191915858,
      2254759653,
      3190512472,
      3135915759,
      3081330742,
      3009969537,
      2905550212,
      2850959411,
      2762807018,
      2691435357,
      3560074640,
      3505614887,
      3719321342,
      3648080713,
      3342211916,
      3287746299,
      3467911202,
      3396681109,
      4063920168,
      4143685023,
      4223187782,
      4286162673,
      3779000052,
      3858754371,
      3904687514,
      3967668269,
      881225847,
      809987520,
      1023691545,
      969234094,
      662832811,
      591600412,
      771767749,
      717299826,
      311336399,
      374308984,
      453813921,
      533576470,
      25881363,
      88864420,
      134795389,
      214552010,
      2023205639,
      2086057648,
      1897238633,
      1976864222,
      1804852699,
      1867694188,
      1645340341,
      1724971778,
      1587496639,
      1516133128,
      1461550545,
      1406951526,
      1302016099,
      1230646740,
      1142491917,
      1087903418,
      2896545431,
      2825181984,
      2770861561,
      2716262478,
      3215044683,
      3143675388,
      3055782693,
      3001194130,
      2326604591,
      2389456536,
      2200899649,
      2280525302,
      2578013683,
      2640855108,
      2418763421,
      2498394922,
      3769900519,
      3832873040,
      3912640137,
      3992402750,
      4088425275,
      4151408268,
      4197601365,
      4277358050,
      3334271071,
      3263032808,
      3476998961,
      3422541446,
      3585640067,
      3514407732,
      3694837229,
      3640369242,
      1762451694,
      1842216281,
      1619975040,
      1682949687,
      2047383090,
      2127137669,
      1938468188,
      2001449195,
      1325665622,
      1271206113,
      1183200824,
      1111960463,
      1543535498,
      1489069629,
      1434599652,
      1363369299,
      622672798,
      568075817,
      748617968,
      677256519,
      907627842,
      853037301,
      1067152940,
      995781531,
      51762726,
      131386257,
      177728840,
      240578815,
      269590778,
      349224269,
      429104020,
      491947555,
      4046411278,
      4126034873,
      4172115296,
      4234965207,
      3794477266,
      3874110821,
      3953728444,
      4016571915,
      3609705398,
      3555108353,
      3735388376,
      3664026991,
      3290680682,
      3236090077,
      3449943556,
      3378572211,
      3174993278,
      3120533705,
      3032266256,
      2961025959,
      2923101090,
      2868635157,
      2813903052,
      2742672763,
      2604032198,
      2683796849,
      2461293480,
      2524268063,
      2284983834,
      2364738477,
      2175806836,
      2238787779,
      1569362073,
      1498123566,
      1409854455,
      1355396672,
      1317987909,
      1246755826,
      1192025387,
      1137557660,
      2072149281,
      2135122070,
      1912620623,
      1992383480,
      1753615357,
      1816598090,
      1627664531,
      1707420964,
      295390185,
      358241886,
      404320391,
      483945776,
      43990325,
      106832002,
      186451547,
      266083308,
      932423249,
      861060070,
      1041341759,
      986742920,
      613929101,
      542559546,
      756411363,
      701822548,
      3316196985,
      3244833742,
      3425377559,
      3370778784,
      3601682597,
      3530312978,
      3744426955,
      3689838204,
      3819031489,
      3881883254,
      3928223919,
      4007849240,
      4037393693,
      4100235434,
      4180117107,
      4259748804,
      2310601993,
      2373574846,
      2151335527,
      2231098320,
      2596047829,
      2659030626,
      2470359227,
      2550115596,
      2947551409,
      2876312838,
      2788305887,
      2733848168,
      3165939309,
      3094707162,
      3040238851,
      2985771188
    ];
    bzip2.array = function(bytes2) {
      var bit = 0, byte = 0;
      var BITMASK = [0, 1, 3, 7, 15, 31, 63, 127, 255];
      return function(n) {
        var result = 0;
        while (n > 0) {
          var left = 8 - bit;
          if (n >= left) {
            result <<= left;
            result |= BITMASK[left] & bytes2[byte++];
            bit = 0;
            n -= left;
          } else {
            result <<= n;
            result |= (bytes2[byte] & BITMASK[n] << 8 - n - bit) >> 8 - n - bit;
            bit += n;
            n = 0;
          }
        }
        return result;
      };
    };
    bzip2.simple = function(srcbuffer, stream2) {
      var bits = bzip2.array(srcbuffer);
      var size = bzip2.header(bits);
      var ret = false;
      var bufsize = 1e5 * size;
      var buf = new Int32Array(bufsize);
      do {
        ret = bzip2.decompress(bits, stream2, buf, bufsize);
      } while (!ret);
    };
    bzip2.header = function(bits) {
      this.byteCount = new Int32Array(256);
      this.symToByte = new Uint8Array(256);
      this.mtfSymbol = new Int32Array(256);
      this.selectors = new Uint8Array(32768);
      if (bits(8 * 3) != 4348520) message.Error("No magic number found");
      var i = bits(8) - 48;
      if (i < 1 || i > 9) message.Error("Not a BZIP archive");
      return i;
    };
    bzip2.decompress = function(bits, stream2, buf, bufsize, streamCRC) {
      var MAX_HUFCODE_BITS = 20;
      var MAX_SYMBOLS = 258;
      var SYMBOL_RUNA = 0;
      var SYMBOL_RUNB = 1;
      var GROUP_SIZE = 50;
      var crc = 0 ^ -1;
      for (var h = "", i = 0; i < 6; i++) h += bits(8).toString(16);
      if (h == "177245385090") {
        var finalCRC = bits(32) | 0;
        if (finalCRC !== streamCRC) message.Error("Error in bzip2: crc32 do not match");
        bits(null);
        return null;
      }
      if (h != "314159265359") message.Error("eek not valid bzip data");
      var crcblock = bits(32) | 0;
      if (bits(1)) message.Error("unsupported obsolete version");
      var origPtr = bits(24);
      if (origPtr > bufsize) message.Error("Initial position larger than buffer size");
      var t = bits(16);
      var symTotal = 0;
      for (i = 0; i < 16; i++) {
        if (t & 1 << 15 - i) {
          var k = bits(16);
          for (j = 0; j < 16; j++) {
            if (k & 1 << 15 - j) {
              this.symToByte[symTotal++] = 16 * i + j;
            }
          }
        }
      }
      var groupCount = bits(3);
      if (groupCount < 2 || groupCount > 6) message.Error("another error");
      var nSelectors = bits(15);
      if (nSelectors == 0) message.Error("meh");
      for (var i = 0; i < groupCount; i++) this.mtfSymbol[i] = i;
      for (var i = 0; i < nSelectors; i++) {
        for (var j = 0; bits(1); j++) if (j >= groupCount) message.Error("whoops another error");
        var uc = this.mtfSymbol[j];
        for (var k = j - 1; k >= 0; k--) {
          this.mtfSymbol[k + 1] = this.mtfSymbol[k];
        }
        this.mtfSymbol[0] = uc;
        this.selectors[i] = uc;
      }
      var symCount = symTotal + 2;
      var groups = [];
      var length = new Uint8Array(MAX_SYMBOLS), temp = new Uint16Array(MAX_HUFCODE_BITS + 1);
      var hufGroup;
      for (var j = 0; j < groupCount; j++) {
        t = bits(5);
        for (var i = 0; i < symCount; i++) {
          while (true) {
            if (t < 1 || t > MAX_HUFCODE_BITS) message.Error("I gave up a while ago on writing error messages");
            if (!bits(1)) break;
            if (!bits(1)) t++;
            else t--;
          }
          length[i] = t;
        }
        var minLen, maxLen;
        minLen = maxLen = length[0];
        for (var i = 1; i < symCount; i++) {
          if (length[i] > maxLen) maxLen = length[i];
          else if (length[i] < minLen) minLen = length[i];
        }
        hufGroup = groups[j] = {};
        hufGroup.permute = new Int32Array(MAX_SYMBOLS);
        hufGroup.limit = new Int32Array(MAX_HUFCODE_BITS + 1);
        hufGroup.base = new Int32Array(MAX_HUFCODE_BITS + 1);
        hufGroup.minLen = minLen;
        hufGroup.maxLen = maxLen;
        var base = hufGroup.base;
        var limit = hufGroup.limit;
        var pp = 0;
        for (var i = minLen; i <= maxLen; i++)
          for (var t = 0; t < symCount; t++)
            if (length[t] == i) hufGroup.permute[pp++] = t;
        for (i = minLen; i <= maxLen; i++) temp[i] = limit[i] = 0;
        for (i = 0; i < symCount; i++) temp[length[i]]++;
        pp = t = 0;
        for (i = minLen; i < maxLen; i++) {
          pp += temp[i];
          limit[i] = pp - 1;
          pp <<= 1;
          base[i + 1] = pp - (t += temp[i]);
        }
        limit[maxLen] = pp + temp[maxLen] - 1;
        base[minLen] = 0;
      }
      for (var i = 0; i < 256; i++) {
        this.mtfSymbol[i] = i;
        this.byteCount[i] = 0;
      }
      var runPos, count, symCount, selector;
      runPos = count = symCount = selector = 0;
      while (true) {
        if (!symCount--) {
          symCount = GROUP_SIZE - 1;
          if (selector >= nSelectors) message.Error("meow i'm a kitty, that's an error");
          hufGroup = groups[this.selectors[selector++]];
          base = hufGroup.base;
          limit = hufGroup.limit;
        }
        i = hufGroup.minLen;
        j = bits(i);
        while (true) {
          if (i > hufGroup.maxLen) message.Error("rawr i'm a dinosaur");
          if (j <= limit[i]) break;
          i++;
          j = j << 1 | bits(1);
        }
        j -= base[i];
        if (j < 0 || j >= MAX_SYMBOLS) message.Error("moo i'm a cow");
        var nextSym = hufGroup.permute[j];
        if (nextSym == SYMBOL_RUNA || nextSym == SYMBOL_RUNB) {
          if (!runPos) {
            runPos = 1;
            t = 0;
          }
          if (nextSym == SYMBOL_RUNA) t += runPos;
          else t += 2 * runPos;
          runPos <<= 1;
          continue;
        }
        if (runPos) {
          runPos = 0;
          if (count + t > bufsize) message.Error("Boom.");
          uc = this.symToByte[this.mtfSymbol[0]];
          this.byteCount[uc] += t;
          while (t--) buf[count++] = uc;
        }
        if (nextSym > symTotal) break;
        if (count >= bufsize) message.Error("I can't think of anything. Error");
        i = nextSym - 1;
        uc = this.mtfSymbol[i];
        for (var k = i - 1; k >= 0; k--) {
          this.mtfSymbol[k + 1] = this.mtfSymbol[k];
        }
        this.mtfSymbol[0] = uc;
        uc = this.symToByte[uc];
        this.byteCount[uc]++;
        buf[count++] = uc;
      }
      if (origPtr < 0 || origPtr >= count) message.Error("I'm a monkey and I'm throwing something at someone, namely you");
      var j = 0;
      for (var i = 0; i < 256; i++) {
        k = j + this.byteCount[i];
        this.byteCount[i] = j;
        j = k;
      }
      for (var i = 0; i < count; i++) {
        uc = buf[i] & 255;
        buf[this.byteCount[uc]] |= i << 8;
        this.byteCount[uc]++;
      }
      var pos = 0, current = 0, run = 0;
      if (count) {
        pos = buf[origPtr];
        current = pos & 255;
        pos >>= 8;
        run = -1;
      }
      count = count;
      var copies2, previous, outbyte;
      while (count) {
        count--;
        previous = current;
        pos = buf[pos];
        current = pos & 255;
        pos >>= 8;
        if (run++ == 3) {
          copies2 = current;
          outbyte = previous;
          current = -1;
        } else {
          copies2 = 1;
          outbyte = current;
        }
        while (copies2--) {
          crc = (crc << 8 ^ this.crcTable[(crc >> 24 ^ outbyte) & 255]) & 4294967295;
          stream2(outbyte);
        }
        if (current != previous) run = 0;
      }
      crc = (crc ^ -1) >>> 0;
      if ((crc | 0) != (crcblock | 0)) message.Error("Error in bzip2: crc32 do not match");
      streamCRC = (crc ^ (streamCRC << 1 | streamCRC >>> 31)) & 4294967295;
      return streamCRC;
    };
    module2.exports = bzip2;
  }
});

// node_modules/unbzip2-stream/lib/bit_iterator.js
var require_bit_iterator = __commonJS({
  "node_modules/unbzip2-stream/lib/bit_iterator.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var BITMASK = [0, 1, 3, 7, 15, 31, 63, 127, 255];
    module2.exports = function bitIterator(nextBuffer) {
      var bit = 0, byte = 0;
      var bytes2 = nextBuffer();
      var f = function(n) {
        if (n === null && bit != 0) {
          bit = 0;
          byte++;
          return;
        }
        var result = 0;
        while (n > 0) {
          if (byte >= bytes2.length) {
            byte = 0;
            bytes2 = nextBuffer();
          }
          var left = 8 - bit;
          if (bit === 0 && n > 0)
            f.bytesRead++;
          if (n >= left) {
            result <<= left;
            result |= BITMASK[left] & bytes2[byte++];
            bit = 0;
            n -= left;
          } else {
            result <<= n;
            result |= (bytes2[byte] & BITMASK[n] << 8 - n - bit) >> 8 - n - bit;
            bit += n;
            n = 0;
          }
        }
        return result;
      };
      f.bytesRead = 0;
      return f;
    };
  }
});

// node_modules/unbzip2-stream/index.js
var require_unbzip2_stream = __commonJS({
  "node_modules/unbzip2-stream/index.js"(exports2, module2) {
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    var through = require_through();
    var bz2 = require_bzip2();
    var bitIterator = require_bit_iterator();
    module2.exports = unbzip2Stream;
    function unbzip2Stream() {
      var bufferQueue = [];
      var hasBytes = 0;
      var blockSize = 0;
      var broken = false;
      var done = false;
      var bitReader = null;
      var streamCRC = null;
      function decompressBlock(push2) {
        if (!blockSize) {
          blockSize = bz2.header(bitReader);
          streamCRC = 0;
          return true;
        } else {
          var bufsize = 1e5 * blockSize;
          var buf = new Int32Array(bufsize);
          var chunk = [];
          var f = function(b) {
            chunk.push(b);
          };
          streamCRC = bz2.decompress(bitReader, f, buf, bufsize, streamCRC);
          if (streamCRC === null) {
            blockSize = 0;
            return false;
          } else {
            push2(Buffer.from(chunk));
            return true;
          }
        }
      }
      var outlength = 0;
      function decompressAndQueue(stream2) {
        if (broken) return;
        try {
          return decompressBlock(function(d) {
            stream2.queue(d);
            if (d !== null) {
              outlength += d.length;
            } else {
            }
          });
        } catch (e) {
          stream2.emit("error", e);
          broken = true;
          return false;
        }
      }
      return through(
        function write(data) {
          bufferQueue.push(data);
          hasBytes += data.length;
          if (bitReader === null) {
            bitReader = bitIterator(function() {
              return bufferQueue.shift();
            });
          }
          while (!broken && hasBytes - bitReader.bytesRead + 1 >= (25e3 + 1e5 * blockSize || 4)) {
            decompressAndQueue(this);
          }
        },
        function end(x) {
          while (!broken && bitReader && hasBytes > bitReader.bytesRead) {
            decompressAndQueue(this);
          }
          if (!broken) {
            if (streamCRC !== null)
              this.emit("error", new Error("input stream ended prematurely"));
            this.queue(null);
          }
        }
      );
    }
  }
});

// src/sources/archive-formats.ts
function sniffContainer(head, name, whole) {
  const b = head;
  if (b.length >= 4 && b[0] === 80 && b[1] === 75 && (b[2] === 3 && b[3] === 4 || b[2] === 5 && b[3] === 6 || b[2] === 7 && b[3] === 8))
    return "zip";
  if (b.length >= 3 && b[0] === 31 && b[1] === 139 && b[2] === 8) return "gzip";
  if (b.length >= 4 && b[0] === 40 && b[1] === 181 && b[2] === 47 && b[3] === 253) return "zstd";
  if (b.length >= 6 && b[0] === 253 && b[1] === 55 && b[2] === 122 && b[3] === 88 && b[4] === 90 && b[5] === 0)
    return "xz";
  if (b.length >= 10 && b[0] === 66 && b[1] === 90 && b[2] === 104 && b[3] >= 49 && b[3] <= 57) {
    const block = Buffer.from(b.subarray(4, 10)).toString("hex");
    if (block === "314159265359" || block === "177245385090") return "bzip2";
  }
  if (b.length >= 262 && Buffer.from(b.subarray(257, 262)).toString("latin1") === "ustar") return "tar";
  if (isJsonBlob(b, name, whole)) return "json";
  if (whole && zipOffset(Buffer.from(b.buffer, b.byteOffset, b.length)) !== void 0) return "zip";
  return void 0;
}
function zipOffset(tail, size = tail.length) {
  const from = Math.max(0, tail.length - EOCD_SEARCH);
  if (tail.indexOf(6, from) === -1) return void 0;
  const p = tail.subarray(from).lastIndexOf(EOCD);
  if (p === -1 || from + p + 22 > tail.length) return void 0;
  const at = from + p;
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (at + 22 + tail.readUInt16LE(at + 20) > tail.length) return void 0;
  if (cdOffset === 4294967295 || cdSize === 4294967295) return 0;
  const cdStart = size - tail.length + at - cdSize;
  const offset = cdStart - cdOffset;
  if (cdStart < 0 || offset < 0) return void 0;
  const inTail = cdStart - (size - tail.length);
  if (cdSize > 0 && inTail >= 0 && tail.readUInt32LE(inTail) !== 33639248) return void 0;
  return offset;
}
function zipAtEnd(fd, size) {
  const tail = Buffer.allocUnsafe(Math.min(size, EOCD_SEARCH));
  const n = (0, import_node_fs2.readSync)(fd, tail, 0, tail.length, size - tail.length);
  return zipOffset(tail.subarray(0, n), size);
}
function isJsonBlob(head, name, whole) {
  let i = 0;
  while (i < head.length && (head[i] === 32 || head[i] === 10 || head[i] === 13 || head[i] === 9)) i++;
  if (head[i] !== 123) return false;
  if (/\.map$/i.test(name)) return true;
  if (!whole) return /(?:^|\/)(?:blobs\/sha256\/[0-9a-f]{64}|[0-9a-f]{64}\.json)$/.test(name);
  const text = Buffer.from(head.buffer, head.byteOffset, head.length).toString("latin1");
  return text.includes('"sourcesContent"') || text.includes('"rootfs"') && text.includes('"diff_ids"');
}
function openZipBuffer(buf) {
  return new Promise((res, rej) => zipLib().fromBuffer(buf, ZIP_OPTIONS, (err, z) => err ? rej(err) : res(z)));
}
function openZipFile(path) {
  const fd = (0, import_node_fs2.openSync)(path, "r");
  let size;
  let offset;
  try {
    size = (0, import_node_fs2.fstatSync)(fd).size;
    offset = zipAtEnd(fd, size) ?? 0;
  } finally {
    (0, import_node_fs2.closeSync)(fd);
  }
  return new Promise((res, rej) => {
    const done = (err, z) => err ? rej(err) : res(z);
    if (!offset) return zipLib().open(path, ZIP_OPTIONS, done);
    const reader = new class extends zipLib().RandomAccessReader {
      _readStreamForRange(start, end) {
        return (0, import_node_fs2.createReadStream)(path, { start: offset + start, end: offset + end - 1 });
      }
    }();
    zipLib().fromRandomAccessReader(reader, size - offset, ZIP_OPTIONS, done);
  });
}
function nextEntry(zip) {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off("entry", onEntry);
      zip.off("end", onEnd);
      zip.off("error", onError);
    };
    const onEntry = (e) => (cleanup(), resolve(e));
    const onEnd = () => (cleanup(), resolve(void 0));
    const onError = (err) => (cleanup(), reject(err));
    zip.on("entry", onEntry);
    zip.on("end", onEnd);
    zip.on("error", onError);
    zip.readEntry();
  });
}
function zstdStream() {
  const t = new import_node_stream.Transform({
    transform(chunk, _enc, cb) {
      try {
        d.push(chunk);
        cb();
      } catch (err) {
        cb(err);
      }
    },
    flush(cb) {
      try {
        d.push(new Uint8Array(0), true);
        cb();
      } catch (err) {
        cb(err);
      }
    }
  });
  const d = new (zstdLib()).Decompress((data) => {
    t.push(Buffer.from(data));
  });
  return t;
}
function xzStream() {
  const feed2 = new TransformStream();
  const readable = new (xzLib()).XzReadableStream(feed2.readable);
  return import_node_stream.Duplex.fromWeb({ writable: feed2.writable, readable });
}
function bzip2Stream() {
  const b = bzip2Lib()();
  const t = new import_node_stream.Transform({
    transform(chunk, _enc, cb) {
      try {
        b.write(chunk);
        cb();
      } catch (err) {
        cb(err);
      }
    },
    flush(cb) {
      b.once("end", () => cb());
      try {
        b.end();
      } catch (err) {
        cb(err);
      }
    }
  });
  b.on("data", (data) => t.push(data));
  b.on("error", (err) => t.destroy(err));
  return t;
}
var import_node_fs2, import_node_stream, import_node_module3, requireLazy3, zipModule, tarModule, zstdModule, zipLib, tarLib, zstdLib, xzModule, xzLib, bzip2Module, bzip2Lib, zlibModule, zlibLib, EOCD, LOCAL_HEADER, EOCD_SEARCH, ZIP_OPTIONS;
var init_archive_formats = __esm({
  "src/sources/archive-formats.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_node_fs2 = require("node:fs");
    import_node_stream = require("node:stream");
    import_node_module3 = require("node:module");
    requireLazy3 = (0, import_node_module3.createRequire)(__leakradius_import_meta_url);
    zipLib = () => zipModule ??= require_yauzl();
    tarLib = () => tarModule ??= require_tar_stream();
    zstdLib = () => zstdModule ??= require_lib();
    xzLib = () => xzModule ??= require_xz_decompress();
    bzip2Lib = () => bzip2Module ??= require_unbzip2_stream();
    zlibLib = () => zlibModule ??= require("node:zlib");
    EOCD = Buffer.from([80, 75, 5, 6]);
    LOCAL_HEADER = Buffer.from([80, 75, 3, 4]);
    EOCD_SEARCH = 22 + 65535;
    ZIP_OPTIONS = {
      lazyEntries: true,
      decodeStrings: false,
      autoClose: false,
      validateEntrySizes: true
    };
  }
});

// src/sources/streams.ts
async function peek(input, n) {
  const it = input[Symbol.asyncIterator]();
  const parts = [];
  let len = 0;
  let whole = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) {
      whole = true;
      break;
    }
    parts.push(r.value);
    len += r.value.length;
  }
  const head = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const rest = (async function* () {
    try {
      if (head.length) yield head;
      if (whole) return;
      for (; ; ) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      if (!whole) await it.return?.();
    }
  })();
  return { head, whole, rest };
}
async function collect(input, limit) {
  const parts = [];
  let len = 0;
  for await (const c of input) {
    len += c.length;
    if (len > limit) {
      parts.length = 0;
      continue;
    }
    parts.push(c);
  }
  return len > limit ? void 0 : Buffer.concat(parts);
}
async function drain(input) {
  for await (const _ of input) void _;
}
async function* once(buf) {
  yield buf;
}
var init_streams = __esm({
  "src/sources/streams.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
  }
});

// src/sources/binary.ts
function looksBinary(head) {
  const probe = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, BINARY_PROBE));
  if (probe.indexOf(0) === -1) return false;
  let control = 0;
  for (let i = 0; i < probe.length; i++) control += CONTROL[probe[i]];
  return control * 20 > probe.length;
}
function utf16Of(head) {
  if (head.length >= 2 && head[0] === 255 && head[1] === 254) return "utf16le";
  if (head.length >= 2 && head[0] === 254 && head[1] === 255) return "utf16be";
  const pairs = Math.min(head.length, BINARY_PROBE) >> 1;
  if (pairs < 4 || Buffer.from(head.buffer, head.byteOffset, pairs * 2).indexOf(0) === -1) return void 0;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul * 10 >= pairs * 9 && evenNul * 10 <= pairs) return "utf16le";
  if (evenNul * 10 >= pairs * 9 && oddNul * 10 <= pairs) return "utf16be";
  return void 0;
}
function* utf16ToUtf8(chunks, encoding) {
  const decoder = new TextDecoder(encoding === "utf16le" ? "utf-16le" : "utf-16be");
  for (const c of chunks) {
    const text = decoder.decode(c, { stream: true });
    if (text) yield Buffer.from(text, "utf8");
  }
  const rest = decoder.decode();
  if (rest) yield Buffer.from(rest, "utf8");
}
async function* utf16ToUtf8Async(chunks, encoding) {
  const decoder = new TextDecoder(encoding === "utf16le" ? "utf-16le" : "utf-16be");
  for await (const c of chunks) {
    const text = decoder.decode(c, { stream: true });
    if (text) yield Buffer.from(text, "utf8");
  }
  const rest = decoder.decode();
  if (rest) yield Buffer.from(rest, "utf8");
}
function utf16Decode(data, encoding) {
  return Buffer.concat([...utf16ToUtf8([data], encoding)]);
}
var BINARY_PROBE, CONTROL;
var init_binary = __esm({
  "src/sources/binary.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    BINARY_PROBE = 8e3;
    CONTROL = new Uint8Array(256);
    for (let b = 0; b < 32; b++)
      CONTROL[b] = b === 9 || b === 10 || b === 11 || b === 12 || b === 13 || b === 27 ? 0 : 1;
  }
});

// src/sources/image.ts
function imageConfigParts(json) {
  if (!json || typeof json !== "object") return void 0;
  const img = json;
  if (!img.rootfs || typeof img.rootfs !== "object" || !Array.isArray(img.rootfs.diff_ids)) return void 0;
  const cfg = img.config ?? img.container_config ?? {};
  const out = [];
  const lines = (v) => Array.isArray(v) ? v.map((x) => typeof x === "string" ? x.replace(/\n/g, " ") : "") : [];
  const env = lines(cfg.Env);
  if (env.length) out.push({ name: "config.Env", text: env.join("\n") });
  if (cfg.Labels && typeof cfg.Labels === "object")
    out.push({
      name: "config.Labels",
      text: Object.entries(cfg.Labels).map(([k, v]) => `${k}=${String(v).replace(/\n/g, " ")}`).join("\n")
    });
  const cmd = [...lines(cfg.Entrypoint), ...lines(cfg.Cmd)];
  if (cmd.length) out.push({ name: "config.Cmd", text: cmd.join(" ") });
  if (Array.isArray(img.history)) {
    const history2 = img.history.map(
      (h) => typeof h?.created_by === "string" ? h.created_by.replace(/\n/g, " ") : ""
    );
    if (history2.some(Boolean)) out.push({ name: "history", text: history2.join("\n") });
  }
  return out;
}
var init_image = __esm({
  "src/sources/image.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
  }
});

// src/sources/progress.ts
function countBytesInto(counter) {
  slot = counter;
}
function countBytes(n) {
  slot[0] += n;
}
var slot;
var init_progress = __esm({
  "src/sources/progress.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    slot = new Float64Array(1);
  }
});

// src/sources/archive.ts
var import_node_fs3, import_node_stream2, import_promises, DEFAULT_ARCHIVE_LIMITS, RATIO_FLOOR, SNIFF_BYTES, JSON_LIMIT, ZIP_READ_WHOLE, SMALL_ENTRY, NESTED_ZIP_LIMIT, MemberError, LimitReached, BudgetSpent, ArchiveReader;
var init_archive = __esm({
  "src/sources/archive.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_node_fs3 = require("node:fs");
    import_node_stream2 = require("node:stream");
    import_promises = require("node:stream/promises");
    init_errors();
    init_archive_formats();
    init_streams();
    init_binary();
    init_image();
    init_sourcemap();
    init_progress();
    init_archive_formats();
    DEFAULT_ARCHIVE_LIMITS = {
      maxDepth: 8,
      maxBytes: 2 * 1024 ** 3,
      maxEntries: 1e5,
      maxRatio: 200
    };
    RATIO_FLOOR = 64 * 1024 * 1024;
    SNIFF_BYTES = 64 * 1024;
    JSON_LIMIT = 64 * 1024 * 1024;
    ZIP_READ_WHOLE = 64 * 1024 * 1024;
    SMALL_ENTRY = 1024 * 1024;
    NESTED_ZIP_LIMIT = 1024 * 1024 * 1024;
    MemberError = class extends Error {
    };
    LimitReached = class extends Error {
    };
    BudgetSpent = class extends LimitReached {
      constructor(budget, message) {
        super(message);
        this.budget = budget;
      }
      budget;
    };
    ArchiveReader = class {
      constructor(limits2, rootOrigin) {
        this.limits = limits2;
        this.rootOrigin = rootOrigin;
      }
      limits;
      rootOrigin;
      warnings = [];
      /** Text bytes handed out (decompressed, decoded). */
      bytes = 0;
      entries = 0;
      /** The budget of each blob being read, by chain (members are read one at a time). */
      budgets = /* @__PURE__ */ new Map();
      /** `incomplete`: part of the blob was not read (the default; a name that tries traversal is only a note). */
      warn(chain, message, incomplete = true) {
        this.warnings.push({ subject: chain.join("!"), message, ...incomplete && { incomplete } });
      }
      /** The blob at `chain`: the top-level file itself when the chain has one name, else a member. */
      originOf(chain) {
        if (chain.length === 1) return this.rootOrigin;
        if (this.rootOrigin.kind === "git") return { ...this.rootOrigin, path: chain.join("!") };
        return { kind: "archive", chain: [...chain] };
      }
      /** Counts decompressed bytes against the per-archive budget and the member's ratio guard. */
      account(chain, out, inSoFar, outSoFar) {
        if (outSoFar > RATIO_FLOOR && outSoFar > inSoFar * this.limits.maxRatio)
          throw new MemberError(
            `compression ratio over ${this.limits.maxRatio}:1 (a decompression bomb?); member skipped after ${outSoFar} bytes`
          );
        let b = this.budgetOf(chain);
        for (; b; b = b.parent) {
          b.used += out;
          if (b.used <= b.limit) continue;
          const message = b.parent ? `what this member holds decompresses past ${b.limit} bytes, ${this.limits.maxRatio} times its size (a nested decompression bomb?); rest of it skipped after ${chain.join("!")}` : `decompressed size passed --max-archive-bytes (${b.limit} bytes) in ${chain.join("!")}; rest of the archive skipped`;
          throw new BudgetSpent(b, message);
        }
      }
      /** The budget of the innermost blob of `chain` being read. */
      budgetOf(chain) {
        for (let n = chain.length; n > 0; n--) {
          const b = this.budgets.get(chain.slice(0, n).join("\0"));
          if (b) return b;
        }
        return void 0;
      }
      countEntry(chain) {
        if (++this.entries > this.limits.maxEntries)
          throw new LimitReached(
            `more than ${this.limits.maxEntries} entries in ${chain.join("!")}; rest of the archive skipped`
          );
      }
      /** A blob of unknown kind: opened if it is a container, else yielded as text. */
      async *scanStream(chain, input, depth, name = chain[chain.length - 1]) {
        const { head, whole, rest } = await peek(input, SNIFF_BYTES);
        const kind = sniffContainer(head, name, whole) ?? (!whole && head.indexOf(LOCAL_HEADER) > 0 ? "zip" : void 0);
        const inner = name.replace(
          /\.(?:gz|tgz|zst|zstd|xz|txz|bz2|tbz2?)$/i,
          (ext) => /^\.t[gxb]/i.test(ext) ? ".tar" : ""
        );
        switch (kind) {
          case "gzip":
            return yield* this.scanStream(chain, this.decompress(chain, rest, zlibLib().createGunzip()), depth, inner);
          case "zstd":
            return yield* this.scanStream(chain, this.decompress(chain, rest, zstdStream()), depth, inner);
          case "xz":
            return yield* this.scanStream(chain, this.decompress(chain, rest, xzStream()), depth, inner);
          case "bzip2":
            return yield* this.scanStream(chain, this.decompress(chain, rest, bzip2Stream()), depth, inner);
          case "zip":
          case "tar": {
            if (depth >= this.limits.maxDepth) {
              this.warn(chain, `nested deeper than --max-archive-depth (${this.limits.maxDepth}); not opened`);
              return drain(rest);
            }
            if (kind === "tar") return yield* this.scanTar(chain, rest, depth + 1);
            const buf = await collect(rest, NESTED_ZIP_LIMIT);
            if (!buf) {
              this.warn(chain, `nested zip larger than ${NESTED_ZIP_LIMIT} bytes; not opened`);
              return;
            }
            const offset = zipOffset(buf);
            if (offset === void 0 && !sniffContainer(head, name, whole))
              return yield* this.scanText(chain, head, once(buf), name);
            const data = buf.subarray(offset ?? 0);
            let zip;
            try {
              zip = await openZipBuffer(data);
            } catch (err) {
              this.warn(chain, `corrupt or truncated zip (${errorMessage(err)}); skipped`);
              return;
            }
            return yield* this.scanZip(chain, zip, depth + 1, data);
          }
          case "json":
            return yield* this.scanJson(chain, head, whole, rest);
          default:
            return yield* this.scanText(chain, head, rest, name);
        }
      }
      /** `name`: the blob's own path (an archive member's, without a compression suffix), for path rules. */
      async *scanText(chain, head, rest, name = chain[chain.length - 1]) {
        const utf16 = utf16Of(head);
        if (!utf16 && looksBinary(head)) return drain(rest);
        const failed = {};
        const chunks = this.counted(utf16 ? utf16ToUtf8Async(rest, utf16) : rest, failed);
        try {
          yield { origin: this.originOf(chain), path: name, chunks };
        } finally {
          await drain(chunks);
        }
        if ("error" in failed) throw failed.error;
      }
      async *counted(input, failed) {
        try {
          for await (const chunk of input) {
            this.bytes += chunk.length;
            countBytes(chunk.length);
            yield chunk;
          }
        } catch (err) {
          failed.error = err;
        }
      }
      /** Source maps are scanned as the sources they embed; image configs as their ENV, labels and history. */
      async *scanJson(chain, head, whole, rest) {
        let buf = head;
        if (!whole) {
          const it = rest[Symbol.asyncIterator]();
          const parts2 = [];
          let len = 0;
          for (let r = await it.next(); !r.done; r = await it.next()) {
            parts2.push(r.value);
            len += r.value.length;
            if (len > JSON_LIMIT) {
              const tail = (async function* () {
                yield* parts2;
                for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
              })();
              return yield* this.scanText(chain, head, tail);
            }
          }
          buf = Buffer.concat(parts2);
        }
        let json;
        try {
          json = JSON.parse(buf.toString("utf8"));
        } catch {
          json = void 0;
        }
        const parts = sourceMapSources(json) ?? imageConfigParts(json);
        if (!parts) return yield* this.scanText(chain, head, once(buf));
        for (const p of parts) {
          const data = Buffer.from(p.text, "utf8");
          this.bytes += data.length;
          countBytes(data.length);
          yield { origin: this.originOf([...chain, p.name]), path: p.name, bytes: data };
        }
      }
      /** Inflate through a zlib-style transform, counting bytes against the budget. */
      async *decompress(chain, input, transform) {
        let inBytes = 0;
        const counted = (async function* () {
          for await (const c of input) {
            inBytes += c.length;
            yield c;
          }
        })();
        const out = (0, import_node_stream2.pipeline)(import_node_stream2.Readable.from(counted), transform, () => void 0);
        let outBytes = 0;
        try {
          for await (const chunk of out) {
            outBytes += chunk.length;
            this.account(chain, chunk.length, inBytes, outBytes);
            yield chunk;
          }
        } catch (err) {
          if (err instanceof MemberError || err instanceof LimitReached) throw err;
          throw new MemberError(`corrupt or truncated compressed data (${errorMessage(err)}); scanned up to the damage`);
        } finally {
          transform.destroy();
        }
      }
      /**
       * Small entries of an in-memory zip are inflated in one synchronous call: a zlib stream per
       * entry costs thread-pool round trips that made a jar of 20,000 classes take 25 s.
       */
      async readSmallEntry(chain, zip, data, entry) {
        const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
        const raw = data.subarray(fileDataStart, fileDataStart + entry.compressedSize);
        if (raw.length !== entry.compressedSize)
          throw new MemberError("entry data runs past the end of the zip (truncated); skipped");
        let out;
        try {
          out = entry.compressionMethod === 0 ? raw : zlibLib().inflateRawSync(raw, { maxOutputLength: Math.max(entry.uncompressedSize, 1) });
        } catch (err) {
          throw new MemberError(`corrupt entry, or it inflates past its declared size (${errorMessage(err)}); skipped`);
        }
        if (out.length !== entry.uncompressedSize)
          throw new MemberError(
            `entry inflates to ${out.length} bytes, not the ${entry.uncompressedSize} it declares; skipped`
          );
        this.account(chain, out.length, entry.compressedSize, out.length);
        return out;
      }
      async *scanZip(chain, zip, depth, data) {
        let late;
        zip.on("error", (err) => late = err);
        try {
          for (; ; ) {
            const entry = await nextEntry(zip);
            if (!entry) break;
            const name = zipLib().getFileNameLowLevel(
              entry.generalPurposeBitFlag,
              entry.fileNameRaw,
              entry.extraFields,
              false
            );
            if (name.endsWith("/")) continue;
            this.countEntry(chain);
            const member = [...chain, name];
            if (zipLib().validateFileName(name))
              this.warn(
                member,
                "entry name tries path traversal or is absolute; scanned in memory only, never extracted",
                false
              );
            if (entry.isEncrypted()) {
              this.warn(member, "encrypted entry; skipped");
              continue;
            }
            if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
              this.warn(member, `unsupported zip compression method ${entry.compressionMethod}; skipped`);
              continue;
            }
            const self = this;
            yield* this.member(
              member,
              entry.compressedSize,
              (async function* () {
                if (data && entry.compressedSize <= SMALL_ENTRY && entry.uncompressedSize <= SMALL_ENTRY * 4) {
                  const inflated = await self.readSmallEntry(member, zip, data, entry);
                  return yield* self.scanStream(member, once(inflated), depth);
                }
                const stream2 = await new Promise(
                  (res, rej) => zip.openReadStream(entry, (err, s) => err ? rej(err) : res(s))
                );
                try {
                  yield* self.scanStream(member, self.countZipEntry(member, stream2, entry.compressedSize), depth);
                } finally {
                  stream2.destroy();
                }
              })()
            );
          }
        } catch (err) {
          if (err instanceof LimitReached) throw err;
          this.warn(chain, `corrupt or truncated zip (${errorMessage(err)}); scanned up to the damage`);
        } finally {
          zip.close();
        }
        if (late) this.warn(chain, `zip error (${errorMessage(late)})`);
      }
      async *countZipEntry(chain, stream2, compressed) {
        let out = 0;
        for await (const chunk of stream2) {
          out += chunk.length;
          this.account(chain, chunk.length, compressed, out);
          yield chunk;
        }
      }
      async *scanTar(chain, input, depth) {
        const extract = tarLib().extract();
        const fed = (0, import_promises.pipeline)(import_node_stream2.Readable.from(input), extract).then(
          () => void 0,
          (err) => err
        );
        try {
          for await (const entry of extract) {
            const h = entry.header;
            const name = h.name.replace(/^\.\//, "");
            if (h.type !== "file" && h.type !== "contiguous-file" && h.type !== null) {
              entry.resume();
              continue;
            }
            this.countEntry(chain);
            const member = [...chain, name];
            if (zipLib().validateFileName(name))
              this.warn(
                member,
                "entry name tries path traversal or is absolute; scanned in memory only, never extracted",
                false
              );
            const self = this;
            yield* this.member(
              member,
              h.size ?? 0,
              (async function* () {
                try {
                  yield* self.scanStream(member, entry, depth);
                } finally {
                  await drain(entry);
                }
              })()
            );
          }
          const err = await fed;
          if (err) throw err;
        } catch (err) {
          if (err instanceof LimitReached) throw err;
          const why = err instanceof MemberError ? err.message : `corrupt or truncated tar (${errorMessage(err)}); scanned up to the damage`;
          this.warn(chain, why);
        } finally {
          extract.destroy();
        }
      }
      /**
       * One member's blobs (`stored`: its size in its container), read within its own budget; its own
       * problems become warnings, an ancestor's spent budget or the entries limit stops it and goes up.
       */
      async *member(chain, stored, blobs) {
        const key = chain.join("\0");
        const budget = {
          limit: Math.max(RATIO_FLOOR, stored * this.limits.maxRatio),
          used: 0,
          parent: this.budgetOf(chain)
        };
        this.budgets.set(key, budget);
        try {
          yield* blobs;
        } catch (err) {
          if (err instanceof BudgetSpent && err.budget === budget) return this.warn(chain, err.message);
          if (err instanceof LimitReached) throw err;
          this.warn(chain, err instanceof MemberError ? err.message : `cannot read (${errorMessage(err)}); skipped`);
        } finally {
          this.budgets.delete(key);
        }
      }
      /** Entry point: the top-level file or stream. A large zip on disk is read with random access, never whole. */
      async *read(path, kind, depth = 0) {
        const chain = [this.rootLabel()];
        this.budgets.set(chain.join("\0"), { limit: this.limits.maxBytes, used: 0 });
        try {
          if (typeof path !== "string") {
            yield* this.member(chain, Number.POSITIVE_INFINITY, this.scanStream(chain, path, depth));
          } else if (kind === "zip") {
            let zip;
            let whole;
            try {
              const { readFile, stat } = await import("node:fs/promises");
              const size = (await stat(path)).size;
              whole = size <= ZIP_READ_WHOLE ? await readFile(path) : void 0;
              if (whole) whole = whole.subarray(zipOffset(whole) ?? 0);
              zip = await (whole ? openZipBuffer(whole) : openZipFile(path));
            } catch (err) {
              this.warn(chain, `corrupt or truncated zip (${errorMessage(err)}); skipped`);
              return;
            }
            if (depth >= this.limits.maxDepth) {
              zip.close();
              this.warn(chain, `nested deeper than --max-archive-depth (${this.limits.maxDepth}); not opened`);
              return;
            }
            yield* this.scanZip(chain, zip, depth + 1, whole);
          } else {
            yield* this.member(
              chain,
              Number.POSITIVE_INFINITY,
              this.scanStream(chain, (0, import_node_fs3.createReadStream)(path, { highWaterMark: 1024 * 1024 }), depth)
            );
          }
        } catch (err) {
          if (!(err instanceof LimitReached)) throw err;
          this.warn(chain, err.message);
        }
      }
      rootLabel() {
        const o = this.rootOrigin;
        return o.kind === "file" || o.kind === "git" ? o.path : o.kind === "archive" ? o.chain.join("!") : "(stdin)";
      }
    };
  }
});

// src/sources/content.ts
function readFileBlob(path, origin) {
  const fd = (0, import_node_fs4.openSync)(path, "r");
  let open = true;
  try {
    const st = (0, import_node_fs4.fstatSync)(fd);
    if (!st.isFile()) return { kind: "skipped", skipped: "not-a-file" };
    const first = readBuffer(st.size < WHOLE_FILE_LIMIT ? st.size + 1 : CHUNK_SIZE);
    const n = readFull(fd, first, 0);
    if (n === 0) return { kind: "empty" };
    const head = first.subarray(0, n);
    const whole = n < first.length;
    const container = sniffContainer(head, path, whole) ?? (!whole && zipAtEnd(fd, st.size) !== void 0 ? "zip" : void 0);
    if (container) return { kind: "container", container };
    const utf16 = utf16Of(head);
    if (!utf16 && looksBinary(head)) return { kind: "skipped", skipped: "binary" };
    countBytes(n);
    if (n < first.length && !utf16) return { kind: "text", blob: { origin, path, bytes: head } };
    open = false;
    const chunks = fileChunks(fd, first, head);
    return { kind: "text", blob: { origin, path, chunks: utf16 ? utf16ToUtf8(chunks, utf16) : chunks } };
  } finally {
    if (open) (0, import_node_fs4.closeSync)(fd);
  }
}
function* fileChunks(fd, first, head) {
  try {
    const buffers = [first, streamBuffer()];
    let which = 0;
    let bytes2 = head.length;
    yield head;
    if (head.length < first.length) return;
    for (; ; ) {
      which = 1 - which;
      const n = readFull(fd, buffers[which], bytes2);
      if (n === 0) return;
      bytes2 += n;
      countBytes(n);
      yield buffers[which].subarray(0, n);
    }
  } finally {
    (0, import_node_fs4.closeSync)(fd);
  }
}
function readBuffer(size) {
  if (shared.length < size) shared = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  return shared.subarray(0, size);
}
function streamBuffer() {
  if (stream.length < CHUNK_SIZE) stream = Buffer.allocUnsafe(CHUNK_SIZE);
  return stream.subarray(0, CHUNK_SIZE);
}
function readFull(fd, buf, position) {
  let off = 0;
  while (off < buf.length) {
    const n = (0, import_node_fs4.readSync)(fd, buf, off, buf.length - off, position + off);
    if (n === 0) break;
    off += n;
  }
  return off;
}
function countNewlines(buf, from, to) {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE5, from); i !== -1 && i < to; i = buf.indexOf(NEWLINE5, i + 1)) n++;
  return n;
}
function lineStartFrom(fd, pos, size) {
  if (pos <= 0) return 0;
  const buf = readBuffer(64 * 1024);
  for (let at = pos - 1; at < size; at += buf.length) {
    const n = readFull(fd, buf, at);
    const nl = buf.subarray(0, n).indexOf(NEWLINE5);
    if (nl !== -1) return Math.min(size, at + nl + 1);
    if (n < buf.length) break;
  }
  return size;
}
function readFileRange(path, range) {
  const fd = (0, import_node_fs4.openSync)(path, "r");
  let size;
  let begin;
  let stop;
  let from;
  let to;
  const last = range.index === range.count - 1;
  try {
    size = (0, import_node_fs4.fstatSync)(fd).size;
    begin = lineStartFrom(fd, range.start, size);
    stop = last ? size : lineStartFrom(fd, range.end, size);
    from = lineStartFrom(fd, Math.max(0, begin - RANGE_OVERLAP), size);
    to = last ? size : Math.min(size, stop + RANGE_OVERLAP);
  } catch (err) {
    (0, import_node_fs4.closeSync)(fd);
    throw err;
  }
  const counts = { before: 0, inside: 0, lastByte: NEWLINE5 };
  function* chunks() {
    try {
      const buffers = [readBuffer(CHUNK_SIZE), streamBuffer()];
      let which = 0;
      for (let at = from; at < to; ) {
        const buf = buffers[which];
        which = 1 - which;
        const n = readFull(fd, buf.subarray(0, Math.min(CHUNK_SIZE, to - at)), at);
        if (n === 0) break;
        countBytes(n);
        const part = buf.subarray(0, n);
        counts.before += countNewlines(part, Math.max(0, from - at), Math.min(n, begin - at));
        counts.inside += countNewlines(part, Math.max(0, begin - at), Math.min(n, stop - at));
        if (stop - 1 >= at && stop - 1 < at + n) counts.lastByte = part[stop - 1 - at];
        at += n;
        yield part;
      }
    } finally {
      (0, import_node_fs4.closeSync)(fd);
    }
  }
  return {
    chunks: chunks(),
    get before() {
      return counts.before;
    },
    // The file's last line, without "\n", counts too.
    get inside() {
      return counts.inside + (stop > begin && counts.lastByte !== NEWLINE5 ? 1 : 0);
    },
    bytes: stop - begin,
    last
  };
}
var import_node_fs4, WHOLE_FILE_LIMIT, CHUNK_SIZE, RANGE_OVERLAP, shared, stream, RANGE_BYTES, NEWLINE5;
var init_content = __esm({
  "src/sources/content.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_node_fs4 = require("node:fs");
    init_archive();
    init_binary();
    init_progress();
    init_binary();
    WHOLE_FILE_LIMIT = 16 * 1024 * 1024;
    CHUNK_SIZE = 4 * 1024 * 1024;
    RANGE_OVERLAP = 64 * 1024;
    shared = Buffer.alloc(0);
    stream = Buffer.alloc(0);
    RANGE_BYTES = 32 * 1024 * 1024;
    NEWLINE5 = 10;
  }
});

// src/scan/blob-scan.ts
async function scanBlob(detector2, blob, found, scanner = new ChunkScanner(detector2, { path: blob.path })) {
  if (blob.bytes) {
    found(scanner.push(blob.bytes, true));
    return blob.bytes.length;
  }
  const batcher = new ChunkBatcher(scanner, found);
  if (Symbol.iterator in blob.chunks) for (const chunk of blob.chunks) batcher.add(chunk);
  else for await (const chunk of blob.chunks) batcher.add(chunk);
  return batcher.end();
}
async function runFileJob(detector2, job, limits2 = DEFAULT_ARCHIVE_LIMITS) {
  try {
    if (job.range) return await scanFileRange(detector2, job, job.range);
    const content = readFileBlob(job.path, job.origin);
    switch (content.kind) {
      case "container":
        return await scanContainer(detector2, job.origin, job.path, content.container, limits2);
      case "skipped":
        return { origin: job.origin, candidates: [], bytes: 0, skipped: content.skipped };
      case "empty":
        return { origin: job.origin, candidates: [], bytes: 0 };
      case "text": {
        const sink = new CandidateSink();
        const bytes2 = await scanBlob(detector2, content.blob, (c) => sink.add(c));
        return { origin: job.origin, candidates: sink.result(), bytes: bytes2 };
      }
    }
  } catch (err) {
    return { origin: job.origin, candidates: [], bytes: 0, error: errorMessage(err), range: job.range };
  }
}
async function scanFileRange(detector2, job, spec) {
  const range = readFileRange(job.path, spec);
  const sink = new CandidateSink();
  await scanBlob(
    detector2,
    { origin: job.origin, path: job.path, chunks: range.chunks },
    (c) => sink.add(c.filter((x) => x.line > range.before))
  );
  const candidates = sink.result().filter((c) => range.last || c.line <= range.before + range.inside).map((c) => ({ ...c, line: c.line - range.before }));
  return { origin: job.origin, candidates, bytes: range.bytes, lines: range.inside, range: spec };
}
async function scanContainer(detector2, origin, input, kind, limits2 = DEFAULT_ARCHIVE_LIMITS) {
  const reader = new ArchiveReader(limits2, origin);
  const root2 = new CandidateSink();
  const members = /* @__PURE__ */ new Map();
  for await (const blob of reader.read(input, kind)) {
    const into = (found) => {
      if (found.length === 0) return;
      if (blob.origin === origin) return root2.add(found);
      const key = blob.origin.kind === "archive" ? blob.origin.chain.join("\0") : memberPath(blob.origin);
      let m = members.get(key);
      if (!m) members.set(key, m = { origin: blob.origin, sink: new CandidateSink() });
      m.sink.add(found);
    };
    await scanBlob(detector2, blob, into);
  }
  return {
    origin,
    candidates: root2.result(),
    bytes: reader.bytes,
    members: [...members.values()].map((m) => ({ origin: m.origin, candidates: m.sink.result() })),
    warnings: reader.warnings
  };
}
function memberPath(o) {
  return o.kind === "file" || o.kind === "git" ? o.path : "(stdin)";
}
var ChunkBatcher;
var init_blob_scan = __esm({
  "src/scan/blob-scan.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_detect();
    init_blob_repeats();
    init_errors();
    init_archive();
    init_content();
    if (RANGE_OVERLAP !== CHUNK_OVERLAP) throw new Error("internal: a range must be read with the detector overlap");
    ChunkBatcher = class {
      constructor(scanner, found) {
        this.scanner = scanner;
        this.found = found;
      }
      scanner;
      found;
      pending = [];
      size = 0;
      bytes = 0;
      add(chunk) {
        if (this.size >= CHUNK_SIZE) {
          this.found(this.scanner.pushParts(this.pending, false));
          this.pending = [];
          this.size = 0;
        }
        this.pending.push(chunk);
        this.size += chunk.length;
        this.bytes += chunk.length;
      }
      end() {
        this.found(this.scanner.pushParts(this.pending, true));
        return this.bytes;
      }
    };
  }
});

// src/sources/read-range.ts
var ReadRange;
var init_read_range = __esm({
  "src/sources/read-range.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    ReadRange = class {
      constructor(start, last) {
        this.start = start;
        this.last = last;
      }
      start;
      last;
      /** Commits whose records git has listed, and commits the reader has finished (up to their changes). */
      listed = 0;
      read = 0;
      get end() {
        return this.last;
      }
      /**
       * Gives the second half of the commits not yet read away when they are at least `min`: the new
       * end (the taker reads from there to the old end), or the end as it was.
       */
      half(min) {
        const left = this.last - (this.start + this.read);
        if (left >= min) this.last -= Math.floor(left / 2);
        return this.last;
      }
      /** A commit's record was listed: false when it lies past the end (stop listing). */
      list() {
        if (this.start + this.listed >= this.last) return false;
        this.listed++;
        return true;
      }
      /** The reader starts on a listed commit: false when it lies past the end (stop reading). */
      next() {
        if (this.start + this.read >= this.last) return false;
        this.read++;
        return true;
      }
    };
  }
});

// src/sources/line-diff.ts
function addedAgainstAll(bases, next) {
  if (bases.length === 0) return addedLines(void 0, next);
  let out = addedLines(bases[0], next);
  for (let i = 1; i < bases.length && out.length; i++) {
    const other = addedLines(bases[i], next);
    const keep = /* @__PURE__ */ new Set();
    for (let k = 0; k < other.length; k += 2) keep.add(other[k]);
    const both = [];
    for (let k = 0; k < out.length; k += 2) if (keep.has(out[k])) both.push(out[k], out[k + 1]);
    out = Int32Array.from(both);
  }
  return out;
}
function commonLength(max, same) {
  let p = 0;
  while (p + STEP <= max && same(p, STEP)) p += STEP;
  let len = Math.min(STEP, max - p);
  while (len > 0) {
    const half = Math.max(1, len >> 1);
    if (same(p, half)) {
      p += half;
      len -= half;
    } else if (half === 1) break;
    else len = half;
  }
  return p;
}
function commonPrefix(a, b, n) {
  return commonLength(n, (at, len) => a.compare(b, at, at + len, at, at + len) === 0);
}
function commonSuffix(a, b, max) {
  const ea = a.length;
  const eb = b.length;
  return commonLength(max, (at, len) => a.compare(b, eb - at - len, eb - at, ea - at - len, ea - at) === 0);
}
function addedLines(prev, next) {
  if (next.length === 0) return NO_SPANS;
  if (!prev || prev.length === 0) return linesOf(next, 0, next.length);
  if (prev.equals(next)) return NO_SPANS;
  const n = Math.min(prev.length, next.length);
  const p = commonPrefix(prev, next, n);
  const start = p === 0 ? 0 : next.lastIndexOf(NL, p - 1) + 1;
  const max = n - start;
  const s = commonSuffix(prev, next, max);
  let endNext = next.length - s;
  let endPrev = prev.length - s;
  const atLineStart = (buf, at) => at === start || buf[at - 1] === NL;
  if (s > 0 && !(atLineStart(next, endNext) && atLineStart(prev, endPrev))) {
    const k = next.indexOf(NL, endNext);
    const cut = k === -1 ? next.length : k + 1;
    endPrev += cut - endNext;
    endNext = cut;
  }
  if (endNext <= start) return NO_SPANS;
  if (endPrev <= start) return linesOf(next, start, endNext);
  cutAtCommonRuns(prev, start, endPrev, next, start, endNext);
  OLD.n = 0;
  HASHED.n = 0;
  for (let k = 0; k < PREV_PARTS.n; k += 2) hashedLines(OLD, prev, PREV_PARTS.data[k], PREV_PARTS.data[k + 1]);
  for (let k = 0; k < NEXT_PARTS.n; k += 2) hashedLines(HASHED, next, NEXT_PARTS.data[k], NEXT_PARTS.data[k + 1]);
  return HASHED.n === 0 ? NO_SPANS : notIn(prev, OLD, next, HASHED);
}
function cutAtCommonRuns(prev, ps, pe, next, ns, ne) {
  PREV_PARTS.n = 0;
  NEXT_PARTS.n = 0;
  push(TO_CUT, ps, pe, ns, ne);
  while (TO_CUT.n > 0) {
    const at = TO_CUT.n -= 4;
    const a = TO_CUT.data[at];
    const b = TO_CUT.data[at + 1];
    const c = TO_CUT.data[at + 2];
    const e = TO_CUT.data[at + 3];
    if (b - a < ANCHORED_FROM || e - c < ANCHORED_FROM || !commonRun(prev, a, b, next, c, e)) {
      if (b > a) push(PREV_PARTS, a, b);
      if (e > c) push(NEXT_PARTS, c, e);
      continue;
    }
    push(TO_CUT, RUN.prev + RUN.length, b, RUN.next + RUN.length, e);
    push(TO_CUT, a, RUN.prev, c, RUN.next);
  }
}
function push(list, ...values) {
  if (list.n + values.length > list.data.length) grown(list);
  for (const v of values) list.data[list.n++] = v;
}
function commonRun(prev, ps, pe, next, ns, ne) {
  const within = prev.subarray(ps, pe);
  for (const at of ANCHOR_AT) {
    const mid = ns + Math.floor((ne - ns) * at);
    const a0 = Math.max(ns, next.lastIndexOf(NL, mid - 1) + 1);
    const a1 = Math.min(ne, a0 + ANCHOR_BYTES);
    if (a1 - a0 < ANCHOR_BYTES >> 2) continue;
    const anchor = next.subarray(a0, a1);
    const slack = 4096 + Math.abs(pe - ps - (ne - ns));
    const from = Math.max(0, Math.floor((a0 - ns) / (ne - ns) * (pe - ps)) - slack);
    let found = within.indexOf(anchor, from);
    if (found === -1 && from > 0) found = within.subarray(0, from + anchor.length - 1).indexOf(anchor);
    if (found === -1) continue;
    const b0 = ps + found;
    const back = commonLength(Math.min(a0 - ns, b0 - ps), (x, len) => sameBackward(prev, b0, next, a0, x, len));
    const b1 = b0 + (a1 - a0);
    const ahead = commonLength(Math.min(ne - a1, pe - b1), (x, len) => sameForward(prev, b1, next, a1, x, len));
    let startNext = a0 - back;
    let startPrev = b0 - back;
    let endNext = a1 + ahead;
    const atLineStart = (startNext === ns || next[startNext - 1] === NL) && (startPrev === ps || prev[startPrev - 1] === NL);
    if (!atLineStart) {
      const k = next.indexOf(NL, startNext);
      if (k === -1 || k >= endNext) continue;
      startPrev += k + 1 - startNext;
      startNext = k + 1;
    }
    const atBothEnds = endNext === ne && startPrev + (endNext - startNext) === pe;
    if (!atBothEnds && next[endNext - 1] !== NL) {
      const k = next.lastIndexOf(NL, endNext - 1);
      if (k < startNext) continue;
      endNext = k + 1;
    }
    if (endNext - startNext < MIN_RUN) continue;
    RUN.prev = startPrev;
    RUN.next = startNext;
    RUN.length = endNext - startNext;
    return true;
  }
  return false;
}
function sameBackward(prev, prevAt, next, nextAt, x, len) {
  return next.compare(prev, prevAt - x - len, prevAt - x, nextAt - x - len, nextAt - x) === 0;
}
function sameForward(prev, prevAt, next, nextAt, x, len) {
  return next.compare(prev, prevAt + x, prevAt + x + len, nextAt + x, nextAt + x + len) === 0;
}
function grown(list) {
  const data = new Int32Array(list.data.length * 2);
  data.set(list.data);
  return list.data = data;
}
function hashedLines(list, buf, from, to) {
  const words = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let data = list.data;
  let n = list.n;
  let a = from;
  let h = FNV_BASIS;
  let i = from;
  for (; ; ) {
    if (i + 4 <= to) {
      const w = words.getUint32(i, true);
      const x = w ^ NL_WORD;
      if ((x - 16843009 & ~x & 2155905152) === 0) {
        h = Math.imul(h ^ w, FNV_PRIME);
        i += 4;
        continue;
      }
    } else if (i >= to) break;
    const c = buf[i];
    if (c !== NL) {
      h = Math.imul(h ^ c, FNV_PRIME);
      i++;
      continue;
    }
    if (n + 3 > data.length) data = grown(list);
    data[n] = a;
    data[n + 1] = i;
    data[n + 2] = Math.imul(h ^ i - a, FNV_PRIME);
    n += 3;
    a = ++i;
    h = FNV_BASIS;
  }
  if (a < to) {
    if (n + 3 > data.length) data = grown(list);
    data[n] = a;
    data[n + 1] = to;
    data[n + 2] = Math.imul(h ^ to - a, FNV_PRIME);
    n += 3;
  }
  list.n = n;
}
function linesInto(list, buf, from, to) {
  list.n = 0;
  for (let a = from; a < to; ) {
    let b = buf.indexOf(NL, a);
    if (b === -1 || b >= to) b = to;
    const end = b === to && b > a && buf[b - 1] === NL ? b - 1 : b;
    if (list.n + 2 > list.data.length) grown(list);
    list.data[list.n++] = a;
    list.data[list.n++] = end;
    a = b + 1;
  }
  return list;
}
function linesOf(buf, from, to) {
  const list = linesInto(NEW, buf, from, to);
  return list.data.slice(0, list.n);
}
function notIn(prev, oldLines, next, freshLines) {
  const old = oldLines.data;
  const fresh = freshLines.data;
  let size = 16;
  while (size * 3 < oldLines.n * 2) size <<= 1;
  if (slotLine.length < size) {
    slotLine = new Int32Array(size);
    slotHash = new Int32Array(size);
    slotLeft = new Int32Array(size);
  }
  slotLine.fill(-1, 0, size);
  const mask = size - 1;
  for (let k = 0; k < oldLines.n; k += 3) {
    const a = old[k];
    const b = old[k + 1];
    const h = old[k + 2];
    for (let i = h & mask; ; i = i + 1 & mask) {
      const j = slotLine[i];
      if (j === -1) {
        slotLine[i] = k;
        slotHash[i] = h;
        slotLeft[i] = 1;
        break;
      }
      if (slotHash[i] === h && sameBytes(prev, old[j], old[j + 1], prev, a, b)) {
        slotLeft[i]++;
        break;
      }
    }
  }
  let out = NEW.data;
  let n = 0;
  for (let k = 0; k < freshLines.n; k += 3) {
    const a = fresh[k];
    const b = fresh[k + 1];
    const h = fresh[k + 2];
    let kept = false;
    for (let i = h & mask; ; i = i + 1 & mask) {
      const j = slotLine[i];
      if (j === -1) break;
      if (slotHash[i] === h && sameBytes(prev, old[j], old[j + 1], next, a, b)) {
        if (slotLeft[i] > 0) {
          slotLeft[i]--;
          kept = true;
        }
        break;
      }
    }
    if (kept) continue;
    if (n + 2 > out.length) out = grown(NEW);
    out[n++] = a;
    out[n++] = b;
  }
  return out.slice(0, n);
}
function sameBytes(x, xa, xb, y, ya, yb) {
  const len = xb - xa;
  if (len !== yb - ya) return false;
  if (len > SHORT_LINE) return x.compare(y, ya, yb, xa, xb) === 0;
  for (let i = 0; i < len; i++) if (x[xa + i] !== y[ya + i]) return false;
  return true;
}
var NL, NO_SPANS, STEP, ANCHORED_FROM, ANCHOR_BYTES, MIN_RUN, ANCHOR_AT, PREV_PARTS, NEXT_PARTS, TO_CUT, RUN, OLD, NEW, HASHED, FNV_BASIS, FNV_PRIME, NL_WORD, slotLine, slotHash, slotLeft, SHORT_LINE;
var init_line_diff = __esm({
  "src/sources/line-diff.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    NL = 10;
    NO_SPANS = new Int32Array(0);
    STEP = 4096;
    ANCHORED_FROM = 4 * 1024;
    ANCHOR_BYTES = 256;
    MIN_RUN = 1024;
    ANCHOR_AT = [0.5, 0.25, 0.75];
    PREV_PARTS = { data: new Int32Array(64), n: 0 };
    NEXT_PARTS = { data: new Int32Array(64), n: 0 };
    TO_CUT = { data: new Int32Array(64), n: 0 };
    RUN = { prev: 0, next: 0, length: 0 };
    OLD = { data: new Int32Array(1536), n: 0 };
    NEW = { data: new Int32Array(1024), n: 0 };
    HASHED = { data: new Int32Array(1536), n: 0 };
    FNV_BASIS = 2166136261 | 0;
    FNV_PRIME = 16777619;
    NL_WORD = 168430090;
    slotLine = new Int32Array(0);
    slotHash = new Int32Array(0);
    slotLeft = new Int32Array(0);
    SHORT_LINE = 64;
  }
});

// src/sources/blob-ring.ts
var NOBODY, Stored, BlobRing, EMPTY_DROPPED;
var init_blob_ring = __esm({
  "src/sources/blob-ring.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    NOBODY = { releases: () => 0, release: () => false };
    Stored = class {
      constructor(bytes2) {
        this.bytes = bytes2;
      }
      bytes;
      held = false;
      /** The blob's id, once the cache holds it. */
      sha = "";
    };
    BlobRing = class {
      /**
       * `slabs` of `slabBytes` each, allocated on first need. `keep` says whether a held blob in a
       * reused slab is moved (else the holder drops it).
       */
      constructor(slabCount, slabBytes, borrower = NOBODY, keep = () => true) {
        this.slabCount = slabCount;
        this.slabBytes = slabBytes;
        this.borrower = borrower;
        this.keep = keep;
      }
      slabCount;
      slabBytes;
      borrower;
      keep;
      slabs = [];
      /** Each slab's blobs, in the order of their offsets. */
      placed = [];
      /** Per slab: the change (`using`) and the borrower's release count (`lend`) when last pinned. */
      usedIn = [];
      lentIn = [];
      change = 1;
      current = -1;
      fill = 0;
      /** The ring for a new reader (a spare one kept per thread): nothing held, nothing pinned. */
      reset(borrower, keep) {
        this.keep = keep;
        this.borrower = borrower;
        this.lentIn.fill(-1);
        for (let i = 0; i < this.placed.length; i++) {
          for (const s of this.placed[i]) s.bytes = EMPTY_DROPPED;
          this.placed[i] = [];
        }
        this.change++;
        this.current = -1;
        this.fill = 0;
      }
      /** Room for a blob of `size` bytes (`bytes`, to be filled by the caller), not held yet. */
      place(size) {
        if (size > this.slabBytes) return new Stored(Buffer.allocUnsafe(size));
        if (this.current === -1 || this.fill + size > this.slabBytes) {
          if (!this.advance(size)) return new Stored(Buffer.allocUnsafe(size));
        }
        const slab = this.slabs[this.current];
        const stored = new Stored(slab.subarray(this.fill, this.fill + size));
        this.placed[this.current].push(stored);
        this.fill += size;
        return stored;
      }
      /** A new change is compared: the slabs the last one used may be reused (unless lent). */
      nextChange() {
        this.change++;
      }
      /** `bytes` are read by the change being compared: their slab is not reused until the next change. */
      using(bytes2) {
        const i = this.slabOf(bytes2);
        if (i !== -1) this.usedIn[i] = this.change;
      }
      /** `bytes` (or views of them) are kept after the change: their slab is not reused until let go. */
      lend(bytes2) {
        const i = this.slabOf(bytes2);
        if (i !== -1) this.lentIn[i] = this.borrower.releases();
      }
      slabOf(bytes2) {
        for (let i = 0; i < this.slabs.length; i++) if (this.slabs[i].buffer === bytes2.buffer) return i;
        return -1;
      }
      pinned(i) {
        return this.usedIn[i] === this.change || this.lentIn[i] === this.borrower.releases();
      }
      /** Moves on to a slab with room for `size` (a new one, or the next unpinned one, cleared). */
      advance(size) {
        if (this.slabs.length < this.slabCount) {
          this.slabs.push(Buffer.allocUnsafeSlow(this.slabBytes));
          this.placed.push([]);
          this.usedIn.push(0);
          this.lentIn.push(-1);
          this.use(this.slabs.length - 1, 0);
          return true;
        }
        if (this.reuse(size)) return true;
        if (!this.lentIn.includes(this.borrower.releases()) || !this.borrower.release()) return false;
        return this.reuse(size);
      }
      /** The next unpinned slab, after the current one, with room for `size` once cleared. */
      reuse(size) {
        for (let k = 1; k <= this.slabCount; k++) {
          const i = (this.current + k) % this.slabCount;
          if (this.pinned(i)) continue;
          const fill = this.compact(i);
          if (this.slabBytes - fill >= size) {
            this.use(i, fill);
            return true;
          }
        }
        return false;
      }
      use(i, fill) {
        this.current = i;
        this.fill = fill;
      }
      /** Moves the held blobs of slab `i` to its front and forgets the rest; returns the bytes kept. */
      compact(i) {
        const slab = this.slabs[i];
        const kept = [];
        let fill = 0;
        for (const s of this.placed[i]) {
          if (!s.held || !this.keep(s)) {
            s.bytes = EMPTY_DROPPED;
            continue;
          }
          const from = s.bytes.byteOffset - slab.byteOffset;
          if (from !== fill) slab.copyWithin(fill, from, from + s.bytes.length);
          s.bytes = slab.subarray(fill, fill + s.bytes.length);
          fill += s.bytes.length;
          kept.push(s);
        }
        this.placed[i] = kept;
        return fill;
      }
    };
    EMPTY_DROPPED = Buffer.alloc(0);
  }
});

// src/sources/git/process.ts
function startGit(cwd, args, stdin) {
  const child = (0, import_node_child_process.spawn)("git", [...PLAIN, ...args], {
    cwd,
    env: { ...process.env, ...TRUE_HISTORY, ...RECORD_FLUSHED.has(args[0]) && { GIT_FLUSH: "0" } },
    stdio: ["pipe", "pipe", "pipe"]
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d) => {
    if (stderr.length < 8192) stderr += d;
  });
  const exited = new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  }).catch((err) => {
    throw new GitError(`cannot run git (${errorMessage(err)}); is git installed and on PATH?`);
  });
  exited.catch(() => void 0);
  if (stdin === void 0) child.stdin.end();
  else {
    child.stdin.on("error", () => void 0);
    if (stdin !== LATER) feed(child, stdin);
  }
  return { child, stdout: child.stdout, exited, stderr: () => stderr };
}
function feed(child, stdin) {
  void (async () => {
    try {
      for await (const part of stdin)
        if (!child.stdin.write(part)) await new Promise((r) => child.stdin.once("drain", r));
    } catch {
    }
    child.stdin.end();
  })();
}
function refGit(git, ref) {
  const { child } = git;
  for (const handle of [child, child.stdout, child.stderr, child.stdin])
    if (ref) handle.ref();
    else handle.unref();
}
function takeOrStartGit(cwd, args, stdin) {
  const key = earlyKey(cwd, args);
  const started = early.get(key);
  if (started === void 0 || started.input !== (stdin !== void 0)) return startGit(cwd, args, stdin);
  early.delete(key);
  refGit(started, true);
  if (stdin !== void 0) feed(started.child, stdin);
  return started;
}
async function* gitStream(cwd, args, stdin) {
  const git = takeOrStartGit(cwd, args, stdin);
  let finished = false;
  try {
    for await (const chunk of git.stdout) yield chunk;
    finished = true;
  } finally {
    if (!finished) git.child.kill();
  }
  const code = await git.exited;
  if (code !== 0) throw new GitError(`${commandName(args)} failed: ${firstLine(git.stderr()) || `exit code ${code}`}`);
}
function gitReadInto(cwd, args, stdin, sink) {
  const git = takeOrStartGit(cwd, args, stdin);
  if (git.stdout !== git.child.stdout) return copyInto(git, args, sink);
  const handle = git.child.stdout._handle;
  const socket = new import_node_net.Socket({
    handle,
    readable: true,
    writable: false,
    onread: { buffer: () => sink.region(), callback: (bytes2) => sink.read(bytes2) }
  });
  let failure = handle ? void 0 : new Error("no pipe to read");
  const ended = new Promise((resolve) => {
    if (failure) resolve();
    socket.on("end", resolve);
    socket.on("error", (err) => {
      failure = err;
      resolve();
    });
  }).then(() => sink.end());
  const code = new Promise((resolve) => {
    if (git.child.exitCode !== null) resolve(git.child.exitCode);
    else git.child.once("exit", (c) => resolve(c ?? 1));
  });
  const stderrRead = new Promise((resolve) => git.child.stderr.once("close", () => resolve()));
  const exited = Promise.all([ended, Promise.race([code, git.exited]), stderrRead]).then(([, c]) => {
    if (failure) throw new GitError(`${commandName(args)} failed: ${errorMessage(failure)}`);
    if (c !== 0) throw new GitError(`${commandName(args)} failed: ${firstLine(git.stderr()) || `exit code ${c}`}`);
  });
  exited.catch(() => void 0);
  return { resume: () => socket.resume(), exited };
}
function copyInto(git, args, sink) {
  let paused;
  const ended = (async () => {
    for await (const chunk of git.stdout)
      for (let at = 0; at < chunk.length; ) {
        const bytes2 = chunk.copy(sink.region(), 0, at);
        at += bytes2;
        if (!sink.read(bytes2)) await new Promise((resume) => paused = resume);
      }
  })();
  const exited = ended.finally(() => sink.end()).then(() => git.exited).then((code) => {
    if (code !== 0)
      throw new GitError(`${commandName(args)} failed: ${firstLine(git.stderr()) || `exit code ${code}`}`);
  }).catch((err) => {
    throw err instanceof GitError ? err : new GitError(`${commandName(args)} failed: ${errorMessage(err)}`);
  });
  exited.catch(() => void 0);
  return {
    resume: () => {
      const resume = paused;
      paused = void 0;
      resume?.();
    },
    exited
  };
}
function commandName(args) {
  return `git ${args.filter((a) => !a.startsWith("--format")).slice(0, 4).join(" ")}`;
}
async function forEachLine(chunks, onLine2, afterChunk) {
  let pending = [];
  let pendingBytes = 0;
  let cut = false;
  const takePending = (tail) => {
    const keep = tail.subarray(0, Math.max(0, MAX_LINE - pendingBytes));
    if (keep.length < tail.length) cut = true;
    const line = pending.length ? Buffer.concat([...pending, keep]) : keep;
    pending = [];
    pendingBytes = 0;
    return line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    let nl = chunk.indexOf(10);
    if (nl !== -1 && pending.length) {
      const line = takePending(chunk.subarray(0, nl));
      onLine2(line, cut);
      cut = false;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(10, start)) {
      onLine2(chunk.subarray(start, nl), false);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (pendingBytes + rest.length <= MAX_LINE) {
        pending.push(rest);
        pendingBytes += rest.length;
      } else {
        if (pendingBytes < MAX_LINE) {
          pending.push(rest.subarray(0, MAX_LINE - pendingBytes));
          pendingBytes = MAX_LINE;
        }
        cut = true;
      }
    }
    if (afterChunk) await afterChunk();
  }
  if (pending.length) onLine2(takePending(Buffer.alloc(0)), cut);
}
function firstLine(s) {
  return s.split("\n").find((l) => l.trim())?.trim() ?? s;
}
var import_node_child_process, import_node_net, import_node_os, PLAIN, TRUE_HISTORY, LATER, RECORD_FLUSHED, early, earlyKey, MAX_ANSWER, GitError, MAX_LINE, Lines;
var init_process = __esm({
  "src/sources/git/process.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_node_child_process = require("node:child_process");
    import_node_net = require("node:net");
    import_node_os = require("node:os");
    init_errors();
    PLAIN = [
      "-c",
      "core.quotePath=false",
      "-c",
      "diff.noprefix=false",
      "-c",
      "diff.mnemonicPrefix=false",
      "-c",
      "color.ui=false",
      "-c",
      "advice.graftFileDeprecated=false"
      // TRUE_HISTORY names a grafts file: no hint on stderr
    ];
    TRUE_HISTORY = { GIT_NO_REPLACE_OBJECTS: "1", GIT_GRAFT_FILE: import_node_os.devNull };
    LATER = /* @__PURE__ */ Symbol("stdin later");
    RECORD_FLUSHED = /* @__PURE__ */ new Set(["rev-list", "log"]);
    early = /* @__PURE__ */ new Map();
    earlyKey = (cwd, args) => `${cwd}\0${args.join("\0")}`;
    MAX_ANSWER = 16 * 1024 * 1024;
    GitError = class extends UsageError {
    };
    MAX_LINE = 64 * 1024 * 1024;
    Lines = class {
      items = [];
      wake;
      ended = false;
      push(s) {
        this.items.push(s);
        this.wake?.();
      }
      end() {
        this.ended = true;
        this.wake?.();
      }
      async *[Symbol.asyncIterator]() {
        for (; ; ) {
          if (this.items.length) {
            yield this.items.splice(0).join("");
            continue;
          }
          if (this.ended) return;
          await new Promise((r) => this.wake = r);
          this.wake = void 0;
        }
      }
    };
  }
});

// src/sources/git/catfile.ts
function parseCatHeader(header) {
  const parts = header.split(" ");
  const id = parts[0] ?? "";
  if (parts.length < 3 || parts[1] === "missing") return { id, size: 0, content: Buffer.alloc(0), missing: true };
  const size = Number(parts[2]);
  if (!Number.isSafeInteger(size) || size < 0)
    throw new Error(`git cat-file: unexpected header "${header.slice(0, 80)}"`);
  return { id, size, missing: false };
}
var CAT_BATCH, READ, SLAB, CatFile;
var init_catfile = __esm({
  "src/sources/git/catfile.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_process();
    CAT_BATCH = ["cat-file", "--batch"];
    READ = 64 * 1024;
    SLAB = 1024 * 1024;
    CatFile = class {
      /**
       * `keep`: bytes of each blob kept; the rest is read past. `room(size)`: where a blob's bytes are
       * copied (the history reader's slabs, sources/blob-ring.ts); by default a Buffer of its own.
       */
      constructor(root2, keep, room = (size) => Buffer.allocUnsafe(size)) {
        this.keep = keep;
        this.room = room;
        this.git = gitReadInto(root2, CAT_BATCH, this.input, {
          region: () => this.region(),
          read: (bytes2) => {
            if (this.intoDirect) this.directAt += bytes2;
            else this.filled += bytes2;
            if (this.direct) {
              this.fillDirect();
              if (this.directAt < this.direct.length) return true;
              this.direct = void 0;
              this.woken();
            }
            if (this.filled - this.at >= this.wanted) this.woken();
            const unread = this.filled - this.at;
            return unread < this.wanted || this.slab.length - unread >= 2 * READ;
          },
          end: () => {
            this.ended = true;
            this.woken();
          }
        });
      }
      keep;
      room;
      input = new Lines();
      git;
      pending = [];
      /**
       * git's output is read into one reused buffer and each blob copied out at its exact size: with a
       * Buffer per read, every read was a fresh allocation and a blob spanning reads was copied again
       * (963 + 545 MB on the bench history instead of 963), which set off most full collections.
       * Unread bytes [at, filled) move to the front when the end is near (region), into `base` when
       * they fit there, into a larger buffer when they do not; a region handed to git is never empty.
       */
      base = Buffer.allocUnsafe(SLAB);
      slab = this.base;
      at = 0;
      filled = 0;
      /** Bytes from `at` that next() waits for: a buffer grown for them is grown once, to fit. */
      wanted = 0;
      /**
       * A long blob's room, read into directly (`directAt` bytes of it so far): not copied from the
       * read buffer, which would otherwise grow to hold it (uptime-kuma's lockfiles: 1-2 MB each).
       */
      direct;
      directAt = 0;
      /** Whether the region last handed to git was the direct one (a read lands where it was asked). */
      intoDirect = false;
      ended = false;
      wake;
      request(sha) {
        this.pending.push(sha);
        if (this.pending.length >= 64) this.flush();
      }
      flush() {
        if (this.pending.length === 0) return;
        this.input.push(this.pending.join("\n") + "\n");
        this.pending = [];
      }
      /**
       * The next response, without waiting, when it lies wholly in what was already read (most do);
       * undefined otherwise, and nothing is consumed. Saves next()'s chain of awaits (~5% of a history
       * scan's allocation).
       */
      tryNext() {
        this.flush();
        const nl = this.lineEnd();
        if (nl === -1) return void 0;
        const head = parseCatHeader(this.slab.toString("latin1", this.at, nl));
        if (head.missing) {
          this.at = nl + 1;
          return head;
        }
        const end = nl + 1 + head.size;
        if (head.size > this.keep || end >= this.filled) return void 0;
        this.at = end + 1;
        return { id: head.id, size: head.size, content: this.copy(nl + 1, end), missing: false };
      }
      async next() {
        const ready = this.tryNext();
        if (ready) return ready;
        let nl = this.lineEnd();
        for (; nl === -1; nl = this.lineEnd()) await this.more();
        const head = parseCatHeader(this.slab.toString("latin1", this.at, nl));
        this.at = nl + 1;
        if (head.missing) return head;
        const keep = Math.min(head.size, this.keep);
        if (keep - (this.filled - this.at) >= READ) return this.readDirect(head, keep);
        this.wanted = keep < head.size ? keep : keep + 1;
        while (this.filled - this.at < this.wanted) await this.more();
        this.wanted = 0;
        const content = this.copy(this.at, this.at + keep);
        this.at += keep;
        await this.skip(head.size - keep + 1);
        return { id: head.id, size: head.size, content, missing: false };
      }
      /** A blob of which a read or more is still to come: what is here copied, the rest read into its room. */
      async readDirect(head, keep) {
        const content = this.room(keep);
        this.direct = content;
        this.directAt = 0;
        this.fillDirect();
        while (this.direct) await this.more();
        await this.skip(head.size - keep + 1);
        return { id: head.id, size: head.size, content, missing: false };
      }
      /** Unread bytes of the read buffer (read before the direct region was handed out) into the direct room. */
      fillDirect() {
        const direct = this.direct;
        const take = Math.min(this.filled - this.at, direct.length - this.directAt);
        this.slab.copy(direct, this.directAt, this.at, this.at + take);
        this.at += take;
        this.directAt += take;
      }
      /** The end of the header line at `at`, or -1 when it is not read in full yet. */
      lineEnd() {
        return this.slab.subarray(0, this.filled).indexOf(10, this.at);
      }
      /** The blob out of the read buffer (which is overwritten), into the room given for it. */
      copy(start, end) {
        const out = this.room(end - start);
        this.slab.copy(out, 0, start, end);
        return out;
      }
      /** Where git's next read lands: READ bytes after the unread ones, moved first when the end is near. */
      region() {
        this.intoDirect = this.direct !== void 0;
        if (this.direct) return this.direct.subarray(this.directAt, Math.min(this.directAt + READ, this.direct.length));
        const need = Math.max(this.filled - this.at, this.wanted) + 2 * READ;
        if (this.slab.length - this.filled < READ || this.slab !== this.base && need <= this.base.length)
          this.moveUnread(need);
        return this.slab.subarray(this.filled, this.filled + READ);
      }
      /** The unread bytes to the front of `base` when `need` fits there, else of this or a larger buffer. */
      moveUnread(need) {
        let to = this.slab;
        if (need <= this.base.length) to = this.base;
        else if (need > this.slab.length) to = Buffer.allocUnsafe(need);
        this.slab.copy(to, 0, this.at, this.filled);
        this.filled -= this.at;
        this.at = 0;
        this.slab = to;
      }
      woken() {
        const wake = this.wake;
        this.wake = void 0;
        wake?.();
      }
      /** Waits for more of git's output (all of `wanted`, when set); called only when what was read is not enough. */
      async more() {
        if (this.ended) {
          await this.git.exited;
          throw new Error("git cat-file ended early");
        }
        await this.readOnce();
      }
      readOnce() {
        return new Promise((resolve) => {
          this.wake = resolve;
          this.git.resume();
        });
      }
      async skip(size) {
        for (; ; ) {
          const take = Math.min(size, this.filled - this.at);
          size -= take;
          this.at += take;
          if (size === 0) return;
          await this.more();
        }
      }
      /** Ends git's input and reads to the end, so a failing git is reported. */
      async close() {
        this.flush();
        this.input.end();
        while (!this.ended) {
          this.at = this.filled;
          await this.readOnce();
        }
        await this.git.exited;
      }
    };
  }
});

// src/sources/git/records.ts
function commitMeta(f) {
  return {
    commit: f[1].toString("latin1"),
    parents: f[2].toString("latin1").split(" ").filter(Boolean),
    author: f[3].toString("utf8"),
    email: f[4].toString("utf8"),
    date: f[5].toString("latin1")
  };
}
function splitOn(byte, buf) {
  const out = [];
  let start = 0;
  for (let i = buf.indexOf(byte); i !== -1; i = buf.indexOf(byte, start)) {
    out.push(buf.subarray(start, i));
    start = i + 1;
  }
  out.push(buf.subarray(start));
  return out;
}
function unquotePath(raw) {
  if (raw[0] !== 34 || raw[raw.length - 1] !== 34) return raw.toString("utf8");
  const out = [];
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i];
    if (c !== 92) {
      out.push(c);
      continue;
    }
    const n = String.fromCharCode(raw[i + 1]);
    if (n >= "0" && n <= "7") {
      out.push(parseInt(raw.subarray(i + 1, i + 4).toString("latin1"), 8));
      i += 3;
    } else {
      out.push(ESCAPES[n] ?? raw[i + 1]);
      i += 1;
    }
  }
  return Buffer.from(out).toString("utf8");
}
var COMMIT_MESSAGE_PATH, COMMIT_FORMAT, HEADER_FIELDS, NUL, NEWLINE_BUF, CommitRecord, ESCAPES;
var init_records = __esm({
  "src/sources/git/records.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    COMMIT_MESSAGE_PATH = "(commit message)";
    COMMIT_FORMAT = "--format=%x00%H%x00%P%x00%an%x00%ae%x00%aI%x00%B%x00";
    HEADER_FIELDS = 7;
    NUL = 0;
    NEWLINE_BUF = Buffer.from("\n");
    CommitRecord = class {
      lines;
      nuls = 0;
      get open() {
        return this.lines !== void 0;
      }
      /** Takes a line that starts or continues a record; returns the commit once the record is complete. */
      take(line) {
        if (!this.lines) {
          this.lines = [];
          this.nuls = 0;
        }
        this.lines.push(line);
        for (let i = line.indexOf(NUL); i !== -1; i = line.indexOf(NUL, i + 1)) this.nuls++;
        if (this.nuls < HEADER_FIELDS) return void 0;
        const fields = splitOn(NUL, Buffer.concat(this.lines.flatMap((x, i) => i ? [NEWLINE_BUF, x] : [x])));
        this.lines = void 0;
        return { meta: commitMeta(fields), message: fields[6] };
      }
    };
    ESCAPES = { n: 10, t: 9, '"': 34, "\\": 92, a: 7, b: 8, f: 12, r: 13, v: 11 };
  }
});

// src/sources/git/patch.ts
async function parsePatches(chunks, handler) {
  let commit;
  const record = new CommitRecord();
  let file;
  const endFile = () => {
    if (!file) return;
    if (file.added.path && file.any) handler.added(file.added, Buffer.concat(file.parts), true);
    file = void 0;
  };
  const pushLine = (line) => {
    const f = file;
    if (f.needSep) {
      f.parts.push(NEWLINE_BUF);
      f.size++;
    }
    f.parts.push(line);
    f.size += line.length;
    f.needSep = true;
    f.any = true;
    f.added.lineMap.push(f.nextLine);
    if (f.size >= PART_LIMIT) {
      handler.added(f.added, Buffer.concat(f.parts), false);
      f.parts = [];
      f.size = 0;
    }
  };
  await forEachLine(chunks, (line, cut) => {
    const first = line[0];
    if (cut && file) handler.skipped?.(file.added.path || file.fallbackPath, "long-line", commit);
    if (record.open || first === NUL) {
      if (!record.open) endFile();
      const done = record.take(line);
      if (done) {
        commit = done.meta;
        handler.commit?.(done.meta, done.message);
      }
      return;
    }
    if (file?.inHunk) {
      const w = file.width;
      if (first === AT && line[1] === AT) {
        startHunk(file, line);
        return;
      }
      if (line.length >= w && (first === PLUS || first === MINUS || first === 32)) {
        let plus = 0;
        let minus = false;
        for (let i = 0; i < w; i++) {
          const c = line[i];
          if (c === PLUS) plus++;
          else if (c === MINUS) minus = true;
        }
        if (minus) return;
        if (plus === w && !file.submodule) pushLine(line.subarray(w));
        file.nextLine++;
        return;
      }
      if (first === 92) return;
      file.inHunk = false;
    }
    if (startsWith(line, "diff --git ") || startsWith(line, "diff --cc ") || startsWith(line, "diff --combined ")) {
      endFile();
      const fallback = headerPath(line);
      file = {
        added: { path: "", commit, lineMap: new LineMap() },
        parts: [],
        size: 0,
        needSep: false,
        any: false,
        fallbackPath: fallback,
        nextLine: 1,
        width: 1,
        inHunk: false,
        submodule: false
      };
      return;
    }
    if (!file) return;
    if (startsWith(line, "+++ ")) {
      const p = line.subarray(4);
      if (p.toString("latin1") !== "/dev/null")
        file.added.path = stripPrefix(unquotePath(trimTab(p)));
      return;
    }
    if (first === AT && line[1] === AT) {
      if (!file.added.path) file.added.path = file.fallbackPath;
      startHunk(file, line);
      return;
    }
    if (startsWith(line, "Binary files ") || startsWith(line, "GIT binary patch")) {
      handler.skipped?.(file.added.path || file.fallbackPath, "binary", commit);
      return;
    }
    const gitlink = startsWith(line, "new file mode 160000") || startsWith(line, "index ") && line.toString("latin1").endsWith(" 160000");
    if (gitlink && !file.submodule) {
      file.submodule = true;
      handler.skipped?.(file.added.path || file.fallbackPath, "submodule", commit);
    }
  });
  endFile();
}
function startHunk(file, line) {
  let at = 0;
  while (line[at] === AT) at++;
  file.width = Math.max(1, at - 1);
  const m = /\+(\d+)(?:,(\d+))? @/.exec(line.toString("latin1"));
  file.nextLine = m ? Number(m[1]) : 1;
  file.inHunk = true;
}
function startsWith(line, prefix) {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (line[i] !== prefix.charCodeAt(i)) return false;
  return true;
}
function trimTab(p) {
  return p[p.length - 1] === 9 ? p.subarray(0, p.length - 1) : p;
}
function stripPrefix(p) {
  return p.startsWith("b/") || p.startsWith("a/") ? p.slice(2) : p;
}
function headerPath(line) {
  const text = line.toString("latin1");
  if (text.startsWith("diff --cc ") || text.startsWith("diff --combined "))
    return unquotePath(line.subarray(text.indexOf(" ", 5) + 1));
  const rest = line.subarray("diff --git ".length);
  if (rest[0] === 34) {
    const second = rest.toString("latin1").lastIndexOf(' "');
    return stripPrefix(unquotePath(rest.subarray(second + 1)));
  }
  const half = (rest.length - 1) / 2;
  return stripPrefix(rest.subarray(Math.ceil(half) + 1).toString("utf8"));
}
async function addedWholeBlob(root2, sha, file, handler) {
  const added = { ...file, lineMap: SAME_LINES };
  let head = [];
  let headBytes = 0;
  for await (const chunk of gitStream(root2, ["cat-file", "blob", sha])) {
    if (head) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < BINARY_PROBE) continue;
      const start = Buffer.concat(head);
      head = void 0;
      if (looksBinary(start)) {
        handler.skipped?.(file.path, "binary", file.commit);
        return;
      }
      handler.added(added, start, false);
    } else handler.added(added, chunk, false);
  }
  if (head) {
    const start = Buffer.concat(head);
    if (looksBinary(start)) {
      handler.skipped?.(file.path, "binary", file.commit);
      return;
    }
    handler.added(added, start, true);
  } else handler.added(added, Buffer.alloc(0), true);
}
async function addedBetweenBlobs(root2, base, sha, file, handler) {
  const sniff = new CatFile(root2, BINARY_PROBE);
  let binary;
  try {
    for (const id of base ? [base, sha] : [sha]) sniff.request(id);
    binary = [];
    for (let i = base ? 2 : 1; i > 0; i--) binary.push(looksBinary((await sniff.next()).content));
  } finally {
    await sniff.close();
  }
  if (binary[binary.length - 1]) {
    handler.skipped?.(file.path, "binary", file.commit);
    return;
  }
  if (!base || binary[0]) return addedWholeBlob(root2, sha, file, handler);
  let ours;
  await parsePatches(gitStream(root2, ["diff", ...PATCH_FLAGS, "--text", base, sha]), {
    added: (part, bytes2, final) => {
      ours ??= { ...file, lineMap: part.lineMap };
      handler.added(ours, bytes2, final);
    },
    skipped: (_path, why) => handler.skipped?.(file.path, why, file.commit)
  });
}
var PATCH_FLAGS, LineMap, PART_LIMIT, AT, PLUS, MINUS, SAME_LINES;
var init_patch = __esm({
  "src/sources/git/patch.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_sorted();
    init_binary();
    init_catfile();
    init_process();
    init_records();
    PATCH_FLAGS = [
      "-U0",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      "--no-renames",
      "--src-prefix=a/",
      "--dst-prefix=b/"
    ];
    LineMap = class {
      blobStarts = [];
      fileStarts = [];
      blobLines = 0;
      /** Record that the next blob line is `fileLine` in the file. */
      push(fileLine) {
        const n = this.blobStarts.length;
        const blobLine = ++this.blobLines;
        if (n && this.fileStarts[n - 1] + (blobLine - this.blobStarts[n - 1]) === fileLine) return;
        this.blobStarts.push(blobLine);
        this.fileStarts.push(fileLine);
      }
      fileLine(blobLine) {
        if (this.blobStarts.length === 0) return blobLine;
        const at = lastAtMost(this.blobStarts, blobLine);
        return this.fileStarts[at] + (blobLine - this.blobStarts[at]);
      }
    };
    PART_LIMIT = 1024 * 1024;
    AT = 64;
    PLUS = 43;
    MINUS = 45;
    SAME_LINES = { fileLine: (blobLine) => blobLine };
  }
});

// src/sources/git/select.ts
function logPatchesShare(root2, commits) {
  const stdin = (async function* () {
    for (let i = 0; i < commits.length; i += 4096) yield commits.slice(i, i + 4096).join("\n") + "\n";
  })();
  return gitStream(root2, ["log", "-p", ...PATCH_FLAGS, "--cc", COMMIT_FORMAT, "--no-walk=unsorted", "--stdin"], stdin);
}
function splitRank(p, j, jobs, block) {
  return (Math.floor(j / block) * jobs + p) * block + j % block;
}
var init_select = __esm({
  "src/sources/git/select.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_process();
    init_patch();
    init_records();
  }
});

// src/sources/git/blobs.ts
var init_blobs = __esm({
  "src/sources/git/blobs.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_catfile();
    init_process();
    init_records();
    init_select();
  }
});

// src/sources/git/top-level.ts
var init_top_level = __esm({
  "src/sources/git/top-level.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
  }
});

// src/sources/git/repo.ts
var init_repo = __esm({
  "src/sources/git/repo.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_errors();
    init_process();
    init_top_level();
  }
});

// src/sources/git/tags.ts
var init_tags = __esm({
  "src/sources/git/tags.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_process();
    init_records();
  }
});

// src/sources/git/index.ts
var init_git = __esm({
  "src/sources/git/index.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_blobs();
    init_catfile();
    init_patch();
    init_process();
    init_records();
    init_repo();
    init_select();
    init_tags();
  }
});

// src/sources/added.ts
function sniffWholeBlob(content, path) {
  const container = sniffContainer(content.subarray(0, CONTAINER_SNIFF), path, false);
  if (container && container !== "json") return { kind: "container", container };
  const text = asText(content);
  return looksBinary(text) ? { kind: "binary" } : { kind: "text", text };
}
function asText(content) {
  const utf16 = utf16Of(content);
  return utf16 ? utf16Decode(content, utf16) : content;
}
async function readAddedLines(root2, commits, handler, range = new ReadRange(0, commits.length)) {
  if (range.end <= range.start) return;
  const stdin = (async function* () {
    for (let i = range.start; i < range.end; i += 4096)
      yield commits.slice(i, Math.min(i + 4096, range.end)).join("\n") + "\n";
  })();
  const raw = gitStream(
    root2,
    // No rename detection: a renamed or copied file is new at its path, where allows by path are judged
    // afresh (a fixture moved into prod.env is new there, every line of it).
    ["log", "--raw", "--no-abbrev", "--no-renames", "-c", "--root", COMMIT_FORMAT, "--no-walk=unsorted", "--stdin"],
    stdin
  );
  const reader = new AddedReader(root2, handler, range);
  try {
    await reader.run(raw);
  } finally {
    await reader.close();
  }
}
function inline(got) {
  return got.size > MAX_INLINE ? null : got.content;
}
function isNull(sha) {
  return /^0+$/.test(sha);
}
function emitAdded(handler, change, content, added) {
  if (added.length === 0) return;
  const file = { path: change.path, commit: change.commit, lineMap: new OffsetLineMap(content, added) };
  let pieces = [];
  let size = 0;
  for (let k = 0; k < added.length; ) {
    const runStart = added[k];
    let runEnd = added[k + 1];
    k += 2;
    while (k < added.length && added[k] === runEnd + 1) {
      runEnd = added[k + 1];
      k += 2;
    }
    if (runStart !== added[0]) {
      pieces.push(NEWLINE6);
      size++;
    }
    pieces.push(content.subarray(runStart, runEnd));
    size += runEnd - runStart;
    if (size >= PART_LIMIT && k < added.length) {
      handler.added(file, join2(pieces, size), false);
      pieces = [];
      size = 0;
    }
  }
  handler.added(file, join2(pieces, size), true);
}
function join2(pieces, size) {
  return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, size);
}
var MAX_STAGED_BLOB, MAX_INLINE, WINDOW, CACHE_BYTES, SLAB_BYTES, SLABS, spareRing, CONTAINER_SNIFF, NL2, LATER2, NEWLINE6, EMPTY, AddedReader, OffsetLineMap, AS_NEW, AS_BASE, BlobCache;
var init_added = __esm({
  "src/sources/added.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_line_diff();
    init_read_range();
    init_binary();
    init_archive();
    init_blob_ring();
    init_git();
    MAX_STAGED_BLOB = 64 * 1024 * 1024;
    MAX_INLINE = 8 * 1024 * 1024;
    WINDOW = 256;
    CACHE_BYTES = 32 * 1024 * 1024;
    SLAB_BYTES = 4 * 1024 * 1024;
    SLABS = 12;
    CONTAINER_SNIFF = 512;
    NL2 = 10;
    LATER2 = /* @__PURE__ */ Symbol("later");
    NEWLINE6 = Buffer.from("\n");
    EMPTY = Buffer.alloc(0);
    AddedReader = class {
      constructor(root2, handler, range) {
        this.root = root2;
        this.handler = handler;
        this.range = range;
        this.ring = spareRing ?? new BlobRing(SLABS, SLAB_BYTES);
        spareRing = void 0;
        this.ring.reset(
          {
            releases: () => handler.releases?.() ?? 0,
            release: () => {
              handler.release?.();
              return handler.release !== void 0;
            }
          },
          (s) => this.cache.keeps(s)
        );
        this.cat = new CatFile(root2, MAX_INLINE, (size) => this.room(size));
      }
      root;
      handler;
      range;
      cat;
      ring;
      /** Where CatFile copied the last blob (to tell the cache which Stored a response is). */
      placed;
      again;
      cache = new BlobCache(CACHE_BYTES);
      /** Blobs requested and not yet read: they will be in the cache when a later change needs them. */
      coming = /* @__PURE__ */ new Set();
      queue = [];
      head = 0;
      commit;
      /** Set once the range's end is reached: the rest of `git log`'s output is not read. */
      stopped = false;
      room(size) {
        this.placed = this.ring.place(size);
        return this.placed.bytes;
      }
      /** The Stored a response's content was copied into. */
      storedOf(content) {
        return this.placed?.bytes === content ? this.placed : new Stored(content);
      }
      async run(raw) {
        const record = new CommitRecord();
        const drain2 = async (keep) => {
          while (this.queue.length - this.head > keep) {
            const waiting = this.process(this.queue[this.head++]);
            if (waiting) await waiting;
          }
          this.compact();
        };
        const self = this;
        const untilStopped = (async function* () {
          for await (const chunk of raw) {
            yield chunk;
            if (self.stopped) return;
          }
        })();
        await forEachLine(
          untilStopped,
          (line) => this.line(line, record),
          () => drain2(WINDOW)
        );
        await drain2(0);
        this.handler.release?.();
      }
      async close() {
        try {
          await Promise.all([this.cat.close(), this.again?.close()]);
        } finally {
          spareRing = this.ring;
        }
      }
      compact() {
        if (this.head > 4096) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
      }
      /** One line of `git log --raw`: part of a commit record, or ":<modes> <blobs> <status>\t<paths>". */
      line(line, record) {
        if (this.stopped) return;
        if (record.open || line[0] === 0) {
          const done = record.take(line);
          if (done && !this.range.list()) {
            this.stopped = true;
            return;
          }
          if (done) {
            this.commit = done.meta;
            this.queue.push({ kind: "commit", meta: done.meta, message: done.message });
          }
          return;
        }
        if (line[0] !== 58 || !this.commit) return;
        let n = 0;
        while (line[n] === 58) n++;
        const tab = line.indexOf(9);
        if (tab === -1) return;
        const fields = line.toString("latin1", n, tab).split(" ");
        if (fields.length < 2 * n + 3) return;
        const blob = fields[2 * n + 1];
        if (isNull(blob)) return;
        const path = unquotePath(line.subarray(line.lastIndexOf(9) + 1));
        if (this.handler.excluded?.(path)) return;
        if (fields[n] === "160000") {
          this.handler.skipped?.(path, "submodule", this.commit);
          return;
        }
        for (let i = 0; i < n; i++) if (fields[n + 1 + i] === blob) return;
        const parents = [];
        for (let i = 0; i < n; i++) {
          const sha = fields[n + 1 + i];
          parents.push(isNull(sha) || fields[i] === "160000" ? void 0 : this.side(sha));
        }
        this.queue.push({ kind: "change", change: { commit: this.commit, path, blob: this.side(blob), parents } });
      }
      /**
       * Each blob is read from git once whichever order the commits come in. Oldest first, a change's
       * old side is the new blob of an earlier change; newest first, its new blob was the old side of
       * an earlier change. Both are cached when read.
       */
      side(sha) {
        if (this.cache.has(sha) || this.coming.has(sha)) {
          this.cache.want(sha);
          return { kind: "cached", sha };
        }
        this.cat.request(sha);
        this.coming.add(sha);
        return { kind: "asked", sha };
      }
      /** A side's blob for one use (AS_NEW, AS_BASE): null when over MAX_INLINE, undefined when git does not have it. */
      async blobOf(side, as) {
        const now = this.blobNow(side, as);
        if (now !== LATER2) return now;
        if (side.kind === "cached") return await this.fetch(side.sha);
        return this.taken(side, as, await this.cat.next());
      }
      /** blobOf without waiting: LATER (nothing consumed) when the blob is neither cached nor read in full yet. */
      blobNow(side, as) {
        if (side.kind === "cached") return this.using(this.cache.use(side.sha, as)) ?? LATER2;
        const got = this.cat.tryNext();
        return got ? this.taken(side, as, got) : LATER2;
      }
      /** The response to an asked side, cached for its other use. */
      taken(side, as, got) {
        this.coming.delete(side.sha);
        if (got.missing) return void 0;
        const content = inline(got);
        if (content) this.cache.set(side.sha, this.storedOf(content), as);
        return this.using(content);
      }
      /** A blob this change compares: its slab is not reused before the next change. */
      using(content) {
        if (content) this.ring.using(content);
        return content;
      }
      /**
       * Compares one item's blobs, without a promise or an await when they are all at hand (most
       * are: a cached blob, or a response wholly in cat-file's last chunk); returns a promise only
       * when something must be waited for.
       */
      process(item) {
        if (item.kind === "commit") {
          if (!this.range.next()) {
            this.stopped = true;
            this.head = this.queue.length;
            return;
          }
          this.handler.commit?.(item.meta, item.message);
          return void 0;
        }
        const { change } = item;
        this.ring.nextChange();
        const bases = [];
        for (const p of change.parents) {
          const base = p ? this.blobNow(p, AS_BASE) : void 0;
          if (base === LATER2) return this.processLater(change, bases);
          bases.push(p ? base ?? EMPTY : void 0);
        }
        const content = this.blobNow(change.blob, AS_NEW);
        if (content === LATER2) return this.processLater(change, bases);
        return this.compare(change, bases, content);
      }
      /** process() from the first blob that was not at hand, `bases` holding the ones before it. */
      async processLater(change, bases) {
        for (let i = bases.length; i < change.parents.length; i++) {
          const p = change.parents[i];
          bases.push(p ? await this.blobOf(p, AS_BASE) ?? EMPTY : void 0);
        }
        await this.compare(change, bases, await this.blobOf(change.blob, AS_NEW));
      }
      compare(change, bases, content) {
        if (content === void 0) {
          this.handler.skipped?.(change.path, "missing", change.commit);
          return void 0;
        }
        if (content === null || bases.some((b) => b === null)) return this.viaGitDiff(change);
        const blob = sniffWholeBlob(content, change.path);
        if (blob.kind === "container" && this.handler.container)
          return this.handler.container(change.path, change.commit, this.handOver(content), blob.container);
        if (blob.kind !== "text") {
          this.handler.skipped?.(change.path, "binary", change.commit);
          return void 0;
        }
        const old = bases.map((b) => b ? asText(b) : void 0).map((b) => b && looksBinary(b) ? EMPTY : b);
        const added = addedAgainstAll(old, blob.text);
        if (added.length) emitAdded(this.handler, change, this.handOver(blob.text), added);
        return void 0;
      }
      /** Bytes the handler may keep: lent (their slab kept) until it releases them, else a copy. */
      handOver(content) {
        if (!this.handler.release || !this.handler.releases) return Buffer.from(content);
        this.ring.lend(content);
        return content;
      }
      /** A blob that fell out of the cache before its turn (a cache smaller than the window): ask git again. */
      async fetch(sha) {
        this.again ??= new CatFile(this.root, MAX_INLINE, (size) => this.room(size));
        this.again.request(sha);
        const got = await this.again.next();
        const content = got.missing ? void 0 : inline(got);
        this.cache.refetched(sha, content && this.storedOf(content));
        return this.using(content);
      }
      /** A change with a blob over MAX_INLINE: `git diff` between the blobs, streamed (first parent only). */
      viaGitDiff(change) {
        return addedBetweenBlobs(this.root, change.parents[0]?.sha, change.blob.sha, change, this.handler);
      }
    };
    OffsetLineMap = class {
      constructor(content, added) {
        this.content = content;
        this.added = added;
      }
      content;
      added;
      at = 0;
      line = 1;
      fileLine(blobLine) {
        const to = this.added[2 * (Math.min(this.added.length / 2, Math.max(1, blobLine)) - 1)];
        if (to < this.at) {
          this.at = 0;
          this.line = 1;
        }
        for (let i = this.content.indexOf(NL2, this.at); i !== -1 && i < to; i = this.content.indexOf(NL2, i + 1))
          this.line++;
        this.at = to;
        return this.line;
      }
    };
    AS_NEW = 1;
    AS_BASE = 2;
    BlobCache = class {
      constructor(budget) {
        this.budget = budget;
      }
      budget;
      live = /* @__PURE__ */ new Map();
      spent = /* @__PURE__ */ new Map();
      /** Uses still to come from changes already queued, per blob (held or on its way from git). */
      wanted = /* @__PURE__ */ new Map();
      bytes = 0;
      has(sha) {
        return this.live.has(sha) || this.spent.has(sha);
      }
      /** A queued change will take this blob from here (use, or refetched when it was dropped after all). */
      want(sha) {
        this.wanted.set(sha, (this.wanted.get(sha) ?? 0) + 1);
      }
      /** The blob for one use (AS_NEW or AS_BASE), if held; a wanted use is taken when it is held. */
      use(sha, as) {
        const e = this.live.get(sha);
        const stored = e === void 0 ? this.spent.get(sha) : e.stored;
        if (stored === void 0) return void 0;
        this.unwant(sha);
        if (e === void 0) return stored.bytes;
        this.live.delete(sha);
        e.uses |= as;
        if (e.uses === (AS_NEW | AS_BASE)) this.spent.set(sha, e.stored);
        else this.live.set(sha, e);
        return stored.bytes;
      }
      /** A wanted blob that was dropped after all, read from git again: its use taken, kept for the next. */
      refetched(sha, stored) {
        this.unwant(sha);
        if (stored && this.wanted.has(sha)) this.set(sha, stored, AS_NEW | AS_BASE);
      }
      unwant(sha) {
        const n = this.wanted.get(sha);
        if (n === void 0) return;
        if (n > 1) this.wanted.set(sha, n - 1);
        else this.wanted.delete(sha);
      }
      /** Holds a blob just read from git for one use. */
      set(sha, stored, as) {
        const cost = stored.bytes.length;
        if (cost > this.budget / 4 || this.has(sha)) return;
        if (as & AS_NEW) this.spent.set(sha, stored);
        else this.live.set(sha, { stored, uses: as });
        stored.held = true;
        stored.sha = sha;
        this.bytes += cost;
        this.shrink(this.budget, true);
        this.shrink(this.budget, false);
      }
      /**
       * Whether a held blob whose slab is reused is worth moving: one that a queued change wants; the
       * others are dropped there, a slab's worth at a time in the order they were read.
       */
      keeps(stored) {
        if (this.wanted.has(stored.sha)) return true;
        if (this.live.delete(stored.sha) || this.spent.delete(stored.sha)) this.bytes -= stored.bytes.length;
        stored.held = false;
        return false;
      }
      /**
       * Drops blobs, spent ones first then the least recently used, until `to` bytes are held; with
       * `spareWanted`, none that a queued change wants. A dropped blob's room in its slab is reused.
       */
      shrink(to, spareWanted) {
        for (const map of [this.spent, this.live]) {
          for (const [k, v] of map) {
            if (this.bytes <= to) return;
            if (spareWanted && this.wanted.has(k)) continue;
            map.delete(k);
            const stored = v instanceof Stored ? v : v.stored;
            stored.held = false;
            this.bytes -= stored.bytes.length;
          }
        }
      }
    };
  }
});

// src/sources/history.ts
function patchSource(source) {
  return typeof source === "function" ? source : (h) => parsePatches(source, h);
}
function shareSource(root2, commits, strategy, range) {
  return strategy === "diff" ? (h) => readAddedLines(root2, commits, h, range) : patchSource(logPatchesShare(root2, commits));
}
function pathMatcher(patterns, regexes = []) {
  const res = patterns.map((raw) => raw.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "")).filter(Boolean).map((p) => {
    const body = p.replace(/^\//, "").split(/(\*\*\/?|\*|\?)/).map(
      (part) => part === "**/" ? "(?:.*/)?" : part === "**" ? ".*" : part === "*" ? "[^/]*" : part === "?" ? "[^/]" : part.replace(/[.+^${}()|[\]\\]/g, "\\$&")
    ).join("");
    return new RegExp(p.includes("/") ? `^${body}(?:/|$)` : `(?:^|/)${body}(?:/|$)`, "s");
  });
  res.push(...regexes.map((r) => new import_re25.default(r)));
  return (path) => res.some((re) => re.test(path));
}
function gitOrigin(meta, path) {
  return { kind: "git", commit: meta.commit, author: meta.author, email: meta.email, date: meta.date, path };
}
var import_re25;
var init_history = __esm({
  "src/sources/history.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    import_re25 = __toESM(require_re2(), 1);
    init_added();
    init_git();
  }
});

// src/scan/history-scan.ts
var history_scan_exports = {};
__export(history_scan_exports, {
  scanHistoryShare: () => scanHistoryShare,
  scanPatches: () => scanPatches
});
function inFile(cands, lineMap) {
  return cands.map((c) => ({ ...c, line: lineMap.fileLine(c.line) }));
}
async function scanPatches(source, detector2, sink) {
  const read = patchSource(source);
  let current;
  let commits = 0;
  let order = 0;
  let batch = [];
  let pending = [];
  let batchBytes = 0;
  let flushes = 0;
  const flush = () => {
    flushes++;
    if (batch.length === 0) return;
    const found = scanSegments(detector2, batch);
    found.forEach((cands, i) => {
      if (cands.length === 0) return;
      const { origin, lineMap, order: o } = pending[i];
      sink.record(origin, lineMap ? inFile(cands, lineMap) : cands, o);
    });
    batch = [];
    pending = [];
    batchBytes = 0;
  };
  const queue2 = (buf, p) => {
    batch.push(buf);
    pending.push(p);
    batchBytes += buf.length;
    if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_SEGMENTS) flush();
  };
  const handler = {
    commit: (meta, message) => {
      order = -(sink.rank?.(commits) ?? commits);
      commits++;
      sink.commit?.(meta, message, order);
      if (sink.messages) queue2(message, { origin: gitOrigin(meta, COMMIT_MESSAGE_PATH), lineMap: void 0, order });
    },
    skipped: (path, why, meta) => sink.skipped(path, why, meta && `${meta.commit.slice(0, 12)}:${path}`),
    excluded: (path) => sink.excluded(path),
    // The reader reuses the memory of the parts and line maps the batch holds: scan them now.
    release: flush,
    releases: () => flushes,
    // An archive or compressed file, every version whole, through the same reader as `scan`'s files.
    container: async (path, meta, content, kind) => {
      if (sink.excluded(path)) return;
      flush();
      const origin = gitOrigin(meta, path);
      const r = await scanContainer(detector2, origin, once2(content), kind);
      sink.counted(r.bytes, 1);
      if (r.candidates.length) sink.record(origin, r.candidates, order);
      for (const m of r.members ?? []) if (m.candidates.length) sink.record(m.origin, m.candidates, order);
      for (const w of r.warnings ?? []) sink.warn(w);
    },
    added(file, part, final) {
      if (current?.file !== file) {
        const origin2 = file.commit ? gitOrigin(file.commit, file.path) : { kind: "file", path: file.path };
        if (sink.excluded(file.path)) current = { file, scanner: void 0, origin: origin2 };
        else if (final && part.length <= SEGMENT_MAX && !detector2.readsPath(file.path)) {
          sink.counted(part.length, 1);
          queue2(part, { origin: origin2, lineMap: file.lineMap, order });
          return;
        } else {
          flush();
          current = { file, scanner: new ChunkScanner(detector2, { path: file.path }), origin: origin2 };
        }
      }
      const { scanner, origin } = current;
      if (!scanner) {
        if (final) current = void 0;
        return;
      }
      const found = scanner.push(part, final);
      sink.counted(part.length, final ? 1 : 0);
      if (final) current = void 0;
      if (found.length) sink.record(origin, inFile(found, file.lineMap), order);
    }
  };
  await read(handler);
  flush();
}
async function* once2(buf) {
  yield buf;
}
async function scanHistoryShare(detector2, share2, send, signal, range) {
  const excluded = pathMatcher(share2.exclude, share2.excludeRegexes);
  const fresh = () => ({ records: [], skipped: [], warnings: [], commits: 0, files: 0, bytes: 0 });
  let batch = fresh();
  const flush = (force) => {
    if (!force && batch.records.length < BATCH_RECORDS && batch.commits < BATCH_COMMITS) return;
    send(batch);
    batch = fresh();
  };
  await scanPatches(shareSource(share2.root, share2.commits, share2.strategy, range), detector2, {
    record: (origin, candidates, order) => {
      batch.records.push({ origin, candidates, order });
      flush(false);
    },
    commit: (_meta, message) => {
      signal?.throwIfAborted();
      batch.commits++;
      batch.bytes += message.length;
      flush(false);
    },
    messages: true,
    skipped: (path, why, subject) => batch.skipped.push({ path, why, subject }),
    warn: (w) => batch.warnings.push(w),
    excluded,
    counted: (bytes2, files) => {
      batch.bytes += bytes2;
      batch.files += files;
    },
    rank: (j) => range ? range.start + j : splitRank(share2.p, j, share2.jobs, share2.block)
  });
  flush(true);
}
var BATCH_BYTES, BATCH_SEGMENTS, SEGMENT_MAX, BATCH_RECORDS, BATCH_COMMITS;
var init_history_scan = __esm({
  "src/scan/history-scan.ts"() {
    "use strict";
    init_define_LEAKRADIUS_BUNDLE();
    init_define_LEAKRADIUS_RE2_NATIVE();
    init_detect();
    init_history();
    init_git();
    init_blob_scan();
    BATCH_BYTES = 1 << 20;
    BATCH_SEGMENTS = 4096;
    SEGMENT_MAX = 256 * 1024;
    BATCH_RECORDS = 256;
    BATCH_COMMITS = 500;
  }
});

// src/scan/worker.ts
init_define_LEAKRADIUS_BUNDLE();
init_define_LEAKRADIUS_RE2_NATIVE();
var import_node_worker_threads = require("node:worker_threads");
init_detect();
init_blob_scan();
init_errors();
init_progress();
init_read_range();
var { rules, allow, limits, progress, history } = import_node_worker_threads.workerData;
var historyScan = history ? Promise.resolve().then(() => (init_history_scan(), history_scan_exports)) : void 0;
var detector = new Detector(rules, allow);
if (progress) countBytesInto(progress);
var queue = Promise.resolve();
var share;
var reading;
import_node_worker_threads.parentPort.on("message", (msg) => {
  if (msg.half !== void 0) {
    import_node_worker_threads.parentPort.postMessage({ cutAt: reading ? reading.half(msg.half) : -1 });
    return;
  }
  if (msg.history || msg.range) {
    share = msg.history ?? share;
    const range = msg.range && new ReadRange(msg.range.start, msg.range.end);
    reading = range;
    const current = share;
    queue = queue.then(async () => {
      try {
        const { scanHistoryShare: scanHistoryShare2 } = await (historyScan ?? Promise.resolve().then(() => (init_history_scan(), history_scan_exports)));
        await scanHistoryShare2(detector, current, (batch) => import_node_worker_threads.parentPort.postMessage({ batch }), void 0, range);
        import_node_worker_threads.parentPort.postMessage({ done: true });
      } catch (err) {
        import_node_worker_threads.parentPort.postMessage({ done: true, error: errorMessage(err), usage: err instanceof UsageError });
      } finally {
        if (reading === range) reading = void 0;
      }
    });
    return;
  }
  queue = queue.then(async () => {
    const results = [];
    for (const job of msg.jobs) results.push(await runFileJob(detector, job, limits));
    import_node_worker_threads.parentPort.postMessage({ id: msg.id, results });
  });
});
/*! Bundled license information:

xz-decompress/dist/package/xz-decompress.js:
  (*!
   * Based on xzwasm (c) Steve Sanderson. License: MIT - https://github.com/SteveSanderson/xzwasm
   * Contains xz-embedded by Lasse Collin and Igor Pavlov. License: Public domain - https://tukaani.org/xz/embedded.html
   * and walloc (c) 2020 Igalia, S.L. License: MIT - https://github.com/wingo/walloc
   *)
*/
