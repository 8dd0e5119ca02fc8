/**
 * The floor of `uet-tag simulate` on a scenario file, as a whole process: load the
 * scenario and generate every tag's hits and conversions (the same generator, seed and
 * order) into callbacks that do nothing: what any simulator of these inputs pays before
 * stepping a status. Plain JavaScript over the built `uet-tag/simulation`, as the built
 * `uet-tag` runs. Prints the number of hits. Run by `bench/simulatorFlapping.ts`.
 */
import { loadScenario, visitTagInputs } from 'uet-tag/simulation';

const scenario = await loadScenario(process.argv[2]);
const ignore = { goalAttached() {}, accessChanged() {}, hit() {}, conversion() {} };
let hits = 0;
for (let tagIndex = 0; tagIndex < scenario.tags.length; tagIndex++) {
  hits += visitTagInputs(scenario, tagIndex, scenario.seed, ignore).hits;
}
process.stdout.write(`${hits}\n`);
