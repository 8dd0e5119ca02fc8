// Rewrites the README's table of contents (between <!-- contents --> and <!-- /contents -->)
// from its level-2 headings, with GitHub's anchors. Run: node scripts/readmeContents.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../README.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const headings = [...text.matchAll(/^## (.+)$/gm)]
  .map((match) => match[1])
  .filter((heading) => heading !== 'Contents');
const anchor = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replaceAll(' ', '-');
const contents = headings.map((heading) => `- [${heading}](#${anchor(heading)})`).join('\n');
writeFileSync(
  path,
  text.replace(
    /<!-- contents -->[\s\S]*?<!-- \/contents -->/,
    `<!-- contents -->\n## Contents\n\n${contents}\n<!-- /contents -->`,
  ),
);
