import { replayFile } from 'uet-tag/replay';
const t = performance.now(); const c0 = process.cpuUsage();
const r = await replayFile(process.argv[2], { format: process.argv[3] ?? 'tsv', tagId: 'site' });
const c = process.cpuUsage(c0);
console.log(((performance.now() - t)).toFixed(0), 'ms wall', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu', Object.keys(r));
