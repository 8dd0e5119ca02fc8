/**
 * Runs the benchmarks and prints each one's Markdown report. Each benchmark is a module
 * of this folder exporting `run(): Promise<string>`; name some to run only those:
 * `npm run bench -- simulator`.
 */
const benchmarks: Record<string, () => Promise<{ run: () => Promise<string> }>> = {
  simulator: () => import('./simulator.js'),
  'simulator-runs': () => import('./simulatorRuns.js'),
  'simulator-flapping': () => import('./simulatorFlapping.js'),
  'report-write-floor': () => import('./reportWriteFloor.js'),
  monitor: () => import('./monitor.js'),
  matching: () => import('./matching.js'),
  startup: () => import('./startup.js'),
  storm: () => import('./storm.js'),
  'monitor-cli': () => import('./monitorCli.js'),
  replay: () => import('./replay.js'),
  'replay-instructions': () => import('./replayInstructions.js'),
  beaconReplay: () => import('./beaconReplay.js'),
  service: () => import('./service.js'),
  cluster: () => import('./cluster.js'),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in benchmarks));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`,
    );
    process.exitCode = 2;
    return;
  }
  const chosen = wanted.length > 0 ? wanted : Object.keys(benchmarks);
  for (const name of chosen) {
    const load = benchmarks[name];
    if (load === undefined) continue;
    const { run } = await load();
    console.log(await run());
  }
}

await main();
