import http from 'node:http';

/** One request a receiver got, and how it answered. */
export interface ReceivedHook {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The status it answered, or 'timeout' when it never answered. */
  readonly answer: number | 'timeout';
}

/** How the receiver answers its n-th request (from 0): a status, or 'hang' (never answers). */
export type HookBehaviour = (index: number, body: string) => number | 'hang';

/** A local webhook receiver on a loopback port. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedHook[];
  /** Resolves once `test` holds for what was received. */
  until(test: (received: readonly ReceivedHook[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1, port 0 unless given, answering as `behaviour` says. */
export async function startReceiver(behaviour: HookBehaviour, port = 0): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const hanging: http.ServerResponse[] = [];
  let checks: (() => void)[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const answer = behaviour(received.length, body);
      received.push({
        headers: request.headers,
        body,
        answer: answer === 'hang' ? 'timeout' : answer,
      });
      if (answer === 'hang') hanging.push(response);
      else response.writeHead(answer).end();
      for (const check of checks) check();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    received,
    until(test, timeoutMs = 15_000) {
      if (test(received)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `not received in time: ${JSON.stringify(received.map((hook) => [hook.headers['idempotency-key'], hook.answer]))}`,
              ),
            ),
          timeoutMs,
        );
        const check = () => {
          if (!test(received)) return;
          clearTimeout(timer);
          checks = checks.filter((other) => other !== check);
          resolve();
        };
        checks.push(check);
      });
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The idempotency keys a receiver acknowledged with a 2xx, each once, sorted. */
export function deliveredKeys(received: readonly ReceivedHook[]): string[] {
  return [
    ...new Set(
      received
        .filter((hook) => hook.answer === 200)
        .map((hook) => String(hook.headers['idempotency-key'])),
    ),
  ].sort();
}
