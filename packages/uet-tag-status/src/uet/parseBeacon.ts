import { TrackingInputError } from '../TrackingInputError.js';
import { assertId } from '../validation.js';
import type { UetHit } from './UetHit.js';

const SLASH = 0x2f;
const QUESTION_MARK = 0x3f;
const HASH = 0x23;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

/**
 * Parses a UET beacon request target or URL (SPEC U1, U3): `/action/0?ti=…&evt=pageLoad&p=…`,
 * `/actionp/0?…`, `https://bat.bing.com/action/0?…` or `//bat.bing.com/action/0?…`. A
 * fragment (`#…`) is ignored. See {@link parseBeaconQuery} for the parameters.
 *
 * @example
 * ```ts
 * const hit = parseBeacon('/action/0?ti=343000001&evt=pageLoad&p=https%3A%2F%2Fcontoso.com%2Fthanks');
 * hit.pageUrl; // 'https://contoso.com/thanks'
 * ```
 * @throws {@link TrackingInputError} `invalidHit` with field `path` for a path other than
 * `/action/0` and `/actionp/0`, and whatever {@link parseBeaconQuery} throws.
 */
export function parseBeacon(target: string): UetHit {
  const end = beaconPathEnd(target);
  if (end < 0) {
    throw new TrackingInputError(
      'invalidHit',
      'path',
      target,
      'a UET beacon: /action/0 or /actionp/0, after an optional scheme and host, then ?query',
    );
  }
  if (target.charCodeAt(end) !== QUESTION_MARK) return parseBeaconQuery('');
  const hash = target.indexOf('#', end);
  return parseBeaconQuery(target.slice(end + 1, hash < 0 ? target.length : hash));
}

/**
 * A cheap test for filtering access logs: whether the path of a request target is
 * `/action/0` or `/actionp/0`, with any scheme and host or none. Nothing else is checked.
 *
 * @example
 * ```ts
 * isBeaconTarget('/action/0?ti=5'); // true
 * isBeaconTarget('https://bat.bing.com/actionp/0?ti=5&evt=pageHide'); // true
 * isBeaconTarget('/action/01'); // false
 * ```
 */
export function isBeaconTarget(target: string): boolean {
  return beaconPathEnd(target) >= 0;
}

/**
 * Whether the request target `line[start, end)` may be a beacon ({@link isBeaconTarget}),
 * read in place, for filtering access logs without a string per request; `false`
 * only where it cannot be: a path of one leading slash that does not begin `/action`, as
 * every beacon path (`/action/0`, `/actionp/0`) does, or shorter than the shortest of them.
 *
 * @example
 * ```ts
 * mayBeBeaconTarget('/index.html', 0, 11); // false
 * mayBeBeaconTarget('//bat.bing.com/action/0', 0, 23); // true: a host comes first
 * ```
 */
export function mayBeBeaconTarget(line: string, start: number, end: number): boolean {
  if (line.charCodeAt(start) !== SLASH) return true;
  if (end - start > 1 && line.charCodeAt(start + 1) === SLASH) return true;
  return end - start >= 9 && line.startsWith('/action', start);
}

/**
 * Parses the query string of a UET beacon (no leading `?`), form-URL-encoded: `+` is a
 * space and `%HH` sequences are UTF-8 (SPEC U1, U3).
 *
 * - `ti` must be present and a valid id (D4).
 * - A parameter given more than once counts by its first occurrence.
 * - A parameter given empty counts as absent, except `ti`.
 * - Parameters other than those of {@link UetHit} are ignored, and never cause an error,
 *   even when badly encoded (U3).
 * - `ev` and `gv` must be finite decimal numbers (`12`, `-3.5`, `1e3`; no hexadecimal,
 *   no spaces).
 * - **(our decision)** A hit without `evt` is a `pageLoad`: the classic `noscript` image tag
 *   sends only `ti` and `Ver` for a page view.
 *
 * @example
 * ```ts
 * parseBeaconQuery('ti=5&evt=custom&ea=purchase&ev=29.90&gv=29.90&gc=EUR').eventValue; // 29.9
 * parseBeaconQuery('evt=pageLoad'); // throws: ti: undefined is not valid …
 * ```
 * @throws {@link TrackingInputError} `invalidId` with field `ti`, or `invalidHit` naming the
 * parameter (`p`, `ev`, …) and its value when it is badly percent-encoded or not a number.
 */
export function parseBeaconQuery(query: string): UetHit {
  let ti: string | undefined;
  let evt: string | undefined;
  let p: string | undefined;
  let r: string | undefined;
  let tl: string | undefined;
  let ea: string | undefined;
  let ec: string | undefined;
  let el: string | undefined;
  let ev: string | undefined;
  let gv: string | undefined;
  let gc: string | undefined;
  let mid: string | undefined;
  let sid: string | undefined;
  let vid: string | undefined;
  let msclkid: string | undefined;
  let asc: string | undefined;
  const length = query.length;
  for (let start = 0; start < length; ) {
    let end = query.indexOf('&', start);
    if (end < 0) end = length;
    let equals = query.indexOf('=', start);
    if (equals < 0 || equals > end) equals = end;
    let name = query.slice(start, equals);
    if (name.includes('%') || name.includes('+')) name = decodeName(name);
    const from = equals + 1;
    switch (name) {
      case 'ti':
        ti ??= decode(name, query, from, end);
        break;
      case 'evt':
        evt ??= decode(name, query, from, end);
        break;
      case 'p':
        p ??= decode(name, query, from, end);
        break;
      case 'r':
        r ??= decode(name, query, from, end);
        break;
      case 'tl':
        tl ??= decode(name, query, from, end);
        break;
      case 'ea':
        ea ??= decode(name, query, from, end);
        break;
      case 'ec':
        ec ??= decode(name, query, from, end);
        break;
      case 'el':
        el ??= decode(name, query, from, end);
        break;
      case 'ev':
        ev ??= decode(name, query, from, end);
        break;
      case 'gv':
        gv ??= decode(name, query, from, end);
        break;
      case 'gc':
        gc ??= decode(name, query, from, end);
        break;
      case 'mid':
        mid ??= decode(name, query, from, end);
        break;
      case 'sid':
        sid ??= decode(name, query, from, end);
        break;
      case 'vid':
        vid ??= decode(name, query, from, end);
        break;
      case 'msclkid':
        msclkid ??= decode(name, query, from, end);
        break;
      case 'asc':
        asc ??= decode(name, query, from, end);
        break;
    }
    start = end + 1;
  }
  assertId('ti', ti);
  return {
    tagId: ti,
    eventType: evt === undefined || evt === '' ? 'pageLoad' : evt,
    pageUrl: present(p),
    referrer: present(r),
    pageTitle: present(tl),
    eventAction: present(ea),
    eventCategory: present(ec),
    eventLabel: present(el),
    eventValue: number('ev', ev),
    revenue: number('gv', gv),
    currency: present(gc),
    pageLoadId: present(mid),
    sessionId: present(sid),
    visitorId: present(vid),
    clickId: present(msclkid),
    consent: present(asc),
  };
}

/** Decodes the value of `name` found at `query[from, end)`; a missing `=` gives ''. */
function decode(name: string, query: string, from: number, end: number): string {
  if (from > end) return '';
  const raw = query.slice(from, end);
  const plus = raw.includes('+');
  if (!plus && !raw.includes('%')) return raw;
  try {
    return decodeURIComponent(plus ? raw.replaceAll('+', ' ') : raw);
  } catch {
    throw new TrackingInputError(
      'invalidHit',
      name,
      raw,
      'form-URL-encoded text: each % followed by two hexadecimal digits, together forming UTF-8',
    );
  }
}

/** A parameter name, decoded; a badly encoded one matches no known parameter. */
function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return '';
  }
}

function present(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(value)) {
    throw new TrackingInputError(
      'invalidHit',
      name,
      text,
      'a finite decimal number, such as 12 or 29.90',
    );
  }
  return value;
}

/** The index just after a beacon path (`/action/0`, `/actionp/0`) in `target`; -1 if it has none. */
function beaconPathEnd(target: string): number {
  const start = pathStart(target);
  if (start < 0) return -1;
  let end: number;
  if (target.startsWith('/action/0', start)) end = start + 9;
  else if (target.startsWith('/actionp/0', start)) end = start + 10;
  else return -1;
  if (end === target.length) return end;
  const next = target.charCodeAt(end);
  return next === QUESTION_MARK || next === HASH ? end : -1;
}

/** Where the path of a request target begins: at once, or after `scheme://host` or `//host`. */
function pathStart(target: string): number {
  let host: number;
  if (target.charCodeAt(0) === SLASH) {
    if (target.charCodeAt(1) !== SLASH) return 0;
    host = 2;
  } else {
    const scheme = target.indexOf('://');
    if (scheme <= 0 || !SCHEME.test(target.slice(0, scheme))) return -1;
    host = scheme + 3;
  }
  for (let i = host; i < target.length; i++) {
    const code = target.charCodeAt(i);
    if (code === SLASH) return i;
    if (code === QUESTION_MARK || code === HASH) return -1;
  }
  return -1;
}
