/**
 * Preloaded into a benchmarked process (`node -r bench/cpuReport.cjs …`): on exit, writes
 * the CPU time the whole process used (user + system, all threads) to stderr as
 * `cpu-us <microseconds>`, so that a benchmark can compare sides by the work they did as
 * well as by the time they took on a shared, loaded machine.
 */
const { writeSync } = require('node:fs');

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeSync(2, `\ncpu-us ${user + system}\n`);
});
