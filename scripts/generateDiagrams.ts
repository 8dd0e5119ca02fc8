/**
 * Regenerates `diagrams/` (Mermaid and SVG for each machine) and the diagrams embedded
 * in README.md, from the machine definitions: `npm run diagrams`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagramFiles, withReadmeBlocks } from './diagrams/diagramFiles.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = await diagramFiles();
for (const file of files) {
  writeFileSync(path.join(repoRoot, file.path), file.text);
  console.log(`wrote ${file.path}`);
}
const readmePath = path.join(repoRoot, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const updated = withReadmeBlocks(readme, files);
if (updated !== readme) {
  writeFileSync(readmePath, updated);
  console.log('updated the diagrams in README.md');
}
