import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/monitorSupport.js';

/*
 * The layout a newcomer can read (issue Foundation, item 5): no import cycle between the
 * modules of either package, a class in a PascalCase file of its own name, and small files.
 */

const MAX_LINES = 450;

/** Every TypeScript source file of both packages, relative to the repository. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) files.push(path.relative(repoRoot, full));
    }
  };
  for (const pkg of ['uet-tag-status', 'uet-tag'])
    walk(path.join(repoRoot, 'packages', pkg, 'src'));
  return files.sort();
}

/** The relative imports of a file (value and type imports, and re-exports), as repository paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/g)) {
    const target = path.join(path.dirname(file), (match[1] as string).replace(/\.js$/, '.ts'));
    targets.push(target);
  }
  return targets;
}

/** The strongly connected components of more than one module (or a module importing itself). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node))
        cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

describe('the source layout', () => {
  const files = sourceFiles();

  it('has no import cycle in either package, type imports included', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    for (const targets of graph.values()) {
      for (const target of targets) expect(files, `imported ${target}`).toContain(target);
    }
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('the check finds a cycle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cyclesOf(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('puts each exported class in a PascalCase file of its own name', () => {
    const misplaced: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      for (const match of text.matchAll(/^export (?:abstract )?class (\w+)/gm)) {
        if (path.basename(file, '.ts') !== match[1]) misplaced.push(`${match[1]} in ${file}`);
      }
    }
    expect(misplaced).toEqual([]);
  });

  it(`keeps every source file within about ${MAX_LINES} lines`, () => {
    const long = files.filter(
      (file) => fs.readFileSync(path.join(repoRoot, file), 'utf8').split('\n').length > MAX_LINES,
    );
    expect(long).toEqual([]);
  });
});
