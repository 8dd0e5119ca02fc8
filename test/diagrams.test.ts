import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { describeMachine } from '../scripts/diagrams/describeMachine.js';
import { diagramFiles, drawnMachines, readmeBlock } from '../scripts/diagrams/diagramFiles.js';
import { toMermaid } from '../scripts/diagrams/toMermaid.js';
import { transitionsOf } from './support/machineCoverage.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const committed = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const files = await diagramFiles();

describe('diagrams generated from the machines', () => {
  it('are exactly the four committed files (run `npm run diagrams` after changing a machine)', () => {
    expect(files.map((file) => file.path)).toEqual([
      'diagrams/tagMachine.mmd',
      'diagrams/tagMachine.svg',
      'diagrams/goalMachine.mmd',
      'diagrams/goalMachine.svg',
    ]);
    for (const file of files) expect(committed(file.path), file.path).toBe(file.text);
  });

  it('are embedded in the README as the same Mermaid', () => {
    const readme = committed('README.md');
    for (const { name } of drawnMachines) {
      expect(readme).toContain(readmeBlock(name, committed(`diagrams/${name}.mmd`)));
      expect(readme).toContain(`(diagrams/${name}.svg)`);
    }
  });

  it('draw every transition of each machine as one line of words', () => {
    for (const { machine } of drawnMachines) {
      const diagram = describeMachine(machine);
      const lines = diagram.edges.flatMap((edge) => edge.lines).length + diagram.everywhere.length;
      expect(lines, machine.id).toBe(transitionsOf(machine).length);
    }
  });

  it('label the tag machine in words a reader understands', () => {
    expect(committed('diagrams/tagMachine.mmd')).toContain(
      'Active --> Inactive : 24 h without data, if no newer data came',
    );
    expect(committed('diagrams/goalMachine.mmd')).toContain(
      'Deciding --> NoRecentConversions : otherwise',
    );
    expect(committed('diagrams/goalMachine.svg')).toContain('no conversion in 7 days');
  });

  it('fail loudly on an event, a guard or an inline guard the words table does not know', () => {
    const unknownEvent = setup({}).createMachine({
      id: 'unknownEvent',
      initial: 'A',
      states: { A: { on: { 'tag.exploded': 'B' } }, B: {} },
    });
    const unknownGuard = setup({ guards: { isBlue: () => true } }).createMachine({
      id: 'unknownGuard',
      initial: 'A',
      states: { A: { on: { 'tag.dataReceived': { guard: 'isBlue', target: 'B' } } }, B: {} },
    });
    const inlineGuard = setup({}).createMachine({
      id: 'inlineGuard',
      initial: 'A',
      states: { A: { always: { guard: () => true, target: 'B' } }, B: {} },
    });
    expect(() => describeMachine(unknownEvent)).toThrow(
      'unknownEvent: no words for event "tag.exploded"; add it to scripts/diagrams/words.ts',
    );
    expect(() => describeMachine(unknownGuard)).toThrow(
      'unknownGuard: no words for guard "isBlue"; add it to scripts/diagrams/words.ts',
    );
    expect(() => describeMachine(inlineGuard)).toThrow('inlineGuard: an inline guard');
  });

  it('refuse a label Mermaid would cut short', () => {
    const diagram = {
      id: 'm',
      initial: 'A',
      states: [{ key: 'A', transient: false }],
      edges: [{ from: 'A', to: 'A', lines: ['time: 24 h'] }],
      everywhere: [],
    };
    expect(() => toMermaid(diagram, 'x.ts')).toThrow('cannot put "time: 24 h" in a Mermaid label');
  });
});
