/** One Server-Sent Event as received. */
export interface ReceivedEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** A test's Server-Sent Events client over fetch: it parses the stream as it arrives. */
export interface SseClient {
  readonly events: ReceivedEvent[];
  /** Resolves once `count` events (comments excluded) have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedEvent[]>;
  close(): void;
}

/** Connects to `url` with the given headers (Last-Event-ID, Authorization). */
export async function connectSse(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  if (response.status !== 200 || response.body === null) {
    throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  }
  const events: ReceivedEvent[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const pump = async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':') || line === '') continue;
          const colon = line.indexOf(':');
          const name = line.slice(0, colon);
          fields[name] =
            `${fields[name] === undefined ? '' : `${fields[name]}\n`}${line.slice(colon + 1).replace(/^ /, '')}`;
        }
        if (fields.data !== undefined) {
          events.push({
            ...(fields.id === undefined ? {} : { id: fields.id }),
            event: fields.event ?? 'message',
            data: fields.data,
          });
        }
        end = buffer.indexOf('\n\n');
      }
      waiters = waiters.filter((waiter) => {
        if (events.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    }
  };
  pump().catch(() => undefined);
  return {
    events,
    waitFor(count, timeoutMs = 10_000) {
      if (events.length >= count) return Promise.resolve(events.slice(0, count));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`only ${events.length} of ${count} events: ${JSON.stringify(events)}`),
            ),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(events.slice(0, count));
          },
        });
      });
    },
    close: () => abort.abort(),
  };
}
