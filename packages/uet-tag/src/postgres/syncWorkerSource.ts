/**
 * The code of the thread behind {@link SyncPostgres}, as CommonJS source (it runs with
 * `eval`, so it needs no build step and no loader): one `pg` client, reconnected after a
 * failure, that runs each request's statements (in a transaction when asked), posts the
 * rows or the error on the reply port, and wakes the waiting thread through the shared
 * signal.
 */
export const SYNC_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
const { port, connectionString, applicationName, searchPath, idleInTransactionMs } = workerData;
const signal = new Int32Array(workerData.signal);
pg.types.setTypeParser(20, Number);
let client;
async function connected() {
  if (client !== undefined) return client;
  const created = new pg.Client({ connectionString, application_name: applicationName });
  created.on('error', () => { if (client === created) client = undefined; });
  await created.connect();
  if (searchPath !== undefined) await created.query('SET search_path TO ' + searchPath);
  if (idleInTransactionMs !== undefined) {
    await created.query("SELECT set_config('idle_in_transaction_session_timeout', $1, false)", [String(idleInTransactionMs)]);
  }
  client = created;
  return created;
}
function drop() {
  const dropped = client;
  client = undefined;
  if (dropped !== undefined) dropped.end().catch(() => {});
}
function isConnectionLost(error) {
  const code = error && error.code;
  return code === undefined ? !(error && error.expectation) : /^(57P0|08)/.test(String(code));
}
async function attempt(request) {
  const target = await connected();
  const results = [];
  const begin = { write: 'BEGIN', snapshot: 'BEGIN ISOLATION LEVEL REPEATABLE READ' }[request.transaction];
  let committing = false;
  try {
    if (begin !== undefined) await target.query(begin);
    for (const statement of request.statements) {
      const result = await target.query({ text: statement.text, values: statement.values, rowMode: 'array' });
      if (statement.expectRows !== undefined && result.rowCount !== statement.expectRows) {
        throw Object.assign(new Error(statement.unexpected), { expectation: true });
      }
      results.push(result.rows);
    }
    committing = true;
    if (begin !== undefined) await target.query('COMMIT');
  } catch (error) {
    error.committing = committing;
    if (isConnectionLost(error)) drop();
    else if (begin !== undefined) await target.query('ROLLBACK').catch(drop);
    throw error;
  }
  return results;
}
// A connection lost before COMMIT was sent took its transaction with it: the request runs
// once more on a new connection. One lost during COMMIT is not retried (it may have committed).
async function run(request) {
  try {
    return await attempt(request);
  } catch (error) {
    if (!isConnectionLost(error) || error.committing) throw error;
    return attempt(request);
  }
}
port.on('message', async (request) => {
  let reply;
  try {
    reply = { ok: true, results: await run(request) };
  } catch (error) {
    reply = { ok: false, message: String(error && error.message), code: error && error.code, expectation: error && error.expectation === true };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;
