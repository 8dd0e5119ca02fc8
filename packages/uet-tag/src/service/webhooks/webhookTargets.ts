/** One configured webhook target. */
export interface WebhookTarget {
  readonly url: string;
  /** A glob over tag ids: `*` stands for any run of characters. */
  readonly tags: string;
  readonly secret: string;
}

/**
 * A target's id in the outbox: its URL and tag pattern (the same URL may take two patterns).
 *
 * @example
 * ```ts
 * webhookTargetId({ url: 'https://hooks.example/uet', tags: '26*', secret }); // 'https://hooks.example/uet 26*'
 * ```
 */
export function webhookTargetId(target: WebhookTarget): string {
  return `${target.url} ${target.tags}`;
}

/**
 * Whether a tag id matches a target's glob (`*` stands for any run of characters).
 *
 * @example
 * ```ts
 * tagPatternMatcher('shop-*')('shop-1'); // true
 * ```
 */
export function tagPatternMatcher(pattern: string): (tagId: string) => boolean {
  if (pattern === '*') return () => true;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 'u');
  return (tagId) => regex.test(tagId);
}
