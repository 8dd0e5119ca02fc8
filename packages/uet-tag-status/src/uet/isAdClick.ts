import type { UetHit } from './UetHit.js';

const PARAMETER = 'msclkid=';

/**
 * Whether a hit is an ad click (SPEC M6): its page URL has a non-empty `msclkid` query
 * parameter (the name in any letter case, M1), or its own `msclkid` ends with `-1`, the
 * mark the tag gives a click id it has just read from the URL.
 *
 * @example
 * ```ts
 * isAdClick({ tagId: '5', eventType: 'pageLoad', pageUrl: 'https://contoso.com/?msclkid=7f3a' }); // true
 * isAdClick({ tagId: '5', eventType: 'pageLoad', clickId: '7f3a-0' }); // false: from the cookie
 * ```
 */
export function isAdClick(hit: UetHit): boolean {
  if (hit.clickId?.endsWith('-1')) return true;
  const url = hit.pageUrl;
  if (url === undefined) return false;
  const hash = url.indexOf('#');
  const end = hash < 0 ? url.length : hash;
  const query = url.indexOf('?');
  if (query < 0 || query > end) return false;
  for (let start = query + 1; start < end; ) {
    const valueAt = start + PARAMETER.length;
    if (
      valueAt < end &&
      url[valueAt] !== '&' &&
      url.slice(start, valueAt).toLowerCase() === PARAMETER
    ) {
      return true;
    }
    const next = url.indexOf('&', start);
    if (next < 0 || next >= end) return false;
    start = next + 1;
  }
  return false;
}
