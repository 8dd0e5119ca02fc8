/**
 * What `Equals` and `BeginsWith` compare (SPEC M2): a lower-cased text without its
 * leading `http://` or `https://`, then without a leading `www.`. Pass the text already
 * lower-cased (M1). Applied to event fields too, where it seldom changes anything:
 * **(our decision)** one definition per operator, whatever it is compared with.
 *
 * @example
 * ```ts
 * reduceUrl('https://www.contoso.com/thanks'); // 'contoso.com/thanks'
 * reduceUrl('contoso.com'); // 'contoso.com'
 * ```
 */
export function reduceUrl(lowerCased: string): string {
  let start = 0;
  if (lowerCased.startsWith('http://')) start = 7;
  else if (lowerCased.startsWith('https://')) start = 8;
  if (lowerCased.startsWith('www.', start)) start += 4;
  return start === 0 ? lowerCased : lowerCased.slice(start);
}
