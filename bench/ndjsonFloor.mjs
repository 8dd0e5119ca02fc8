/**
 * The floor of `uet-tag monitor` on NDJSON input, as a whole process: read the standard
 * input in chunks, split lines with `indexOf`, `JSON.parse` each line, and dispatch it by
 * kind: a registration adds the tag to an id → index `Map`, an activity moves the tag's
 * last-seen time in a `Float64Array`. Plain JavaScript for plain `node`, as the built
 * `uet-tag` runs. Prints how many records it dispatched. Run by `bench/monitorCli.ts`.
 */
import { readSync } from 'node:fs';

const indexOf = new Map();
let lastSeen = new Float64Array(1024);
let dispatched = 0;
const chunk = Buffer.allocUnsafe(1 << 16);
let carry = '';
for (;;) {
  let read = 0;
  try {
    read = readSync(0, chunk, 0, chunk.length, null);
  } catch (error) {
    if (error.code === 'EAGAIN') continue;
    if (error.code === 'EOF') break;
    throw error;
  }
  if (read === 0) break;
  const text = carry + chunk.toString('utf8', 0, read);
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    dispatch(text.slice(start, end));
    start = end + 1;
  }
  carry = text.slice(start);
}
if (carry !== '') dispatch(carry);
process.stdout.write(`${dispatched}\n`);

function dispatch(line) {
  if (line === '') return;
  const record = JSON.parse(line);
  if (record.kind === 'registerTag') {
    if (indexOf.size === lastSeen.length) {
      const grown = new Float64Array(lastSeen.length * 2);
      grown.set(lastSeen);
      lastSeen = grown;
    }
    indexOf.set(record.tagId, indexOf.size);
  } else if (record.kind === 'activity') {
    const index = indexOf.get(record.tagId);
    if (index !== undefined && record.at > lastSeen[index]) lastSeen[index] = record.at;
  }
  dispatched += 1;
}
