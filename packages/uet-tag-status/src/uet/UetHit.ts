/**
 * One hit of a UET tag (SPEC U1–U3): the fields that carry meaning, decoded. A field the
 * hit did not carry, or carried empty, is `undefined`. What a Conversions API event calls
 * each field is given in brackets (SPEC U4).
 *
 * Every hit is also activity of its tag (SPEC U2, G6, M7): that is the caller's business,
 * whatever the hit converts.
 *
 * @example
 * ```ts
 * const hit: UetHit = {
 *   tagId: '343000001',
 *   eventType: 'pageLoad',
 *   pageUrl: 'https://www.contoso.com/thanks',
 *   visitorId: 'b6f7c3e0a1d24f0b9c8e7d6a5b4c3d2e',
 * };
 * ```
 */
export interface UetHit {
  /** `ti`: the tag's id. */
  readonly tagId: string;
  /** `evt`: `pageLoad`, `custom`, or any other value such as `pageHide`, kept as is. */
  readonly eventType: string;
  /** `p`: the page's URL (`eventSourceUrl`). */
  readonly pageUrl?: string;
  /** `r`: the referring URL. */
  readonly referrer?: string;
  /** `tl`: the page's title. */
  readonly pageTitle?: string;
  /** `ea`: the event action (`eventName`). */
  readonly eventAction?: string;
  /** `ec`: the event category. */
  readonly eventCategory?: string;
  /** `el`: the event label. */
  readonly eventLabel?: string;
  /** `ev`: the event value, a finite number. */
  readonly eventValue?: number;
  /** `gv`: the revenue, a finite number. */
  readonly revenue?: number;
  /** `gc`: the revenue's currency. */
  readonly currency?: string;
  /** `mid`: the page load's id. */
  readonly pageLoadId?: string;
  /** `sid`: the session id (`_uetsid` cookie). */
  readonly sessionId?: string;
  /** `vid`: the visitor id (`_uetvid` cookie; `userData.anonymousId`). */
  readonly visitorId?: string;
  /** `msclkid`: the Microsoft click id (`userData.msclkid`); `-1` ends a fresh one. */
  readonly clickId?: string;
  /** `asc`: the consent state, `G` or `D`. */
  readonly consent?: string;
}
