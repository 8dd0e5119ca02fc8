import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/monitorSupport.js';

/* The README's table of contents lists every section, and every link within it lands. */

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replaceAll(' ', '-');

describe('README.md', () => {
  it('lists every level-2 section in its contents, in order (node scripts/readmeContents.mjs)', () => {
    const sections = [...readme.matchAll(/^## (.+)$/gm)]
      .map((match) => match[1] as string)
      .filter((heading) => heading !== 'Contents');
    const block = /<!-- contents -->([\s\S]*?)<!-- \/contents -->/.exec(readme)?.[1] ?? '';
    const listed = [...block.matchAll(/^- \[(.+)\]\(#(.+)\)$/gm)].map((match) => match[1]);
    expect(listed).toEqual(sections);
  });

  it('has no link to a heading that is not there', () => {
    const anchors = new Set(
      [...readme.matchAll(/^#{2,6} (.+)$/gm)].map((match) => anchorOf(match[1] as string)),
    );
    const broken = [...readme.matchAll(/\]\(#([^)]+)\)/g)]
      .map((match) => match[1] as string)
      .filter((anchor) => !anchors.has(anchor));
    expect(broken).toEqual([]);
  });

  it('links only to files of the repository that exist', () => {
    const missing = [...readme.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((match) => match[1] as string)
      .filter((target) => {
        try {
          readFileSync(path.join(repoRoot, target));
          return false;
        } catch (error) {
          return (error as NodeJS.ErrnoException).code !== 'EISDIR';
        }
      });
    expect(missing).toEqual([]);
  });
});
