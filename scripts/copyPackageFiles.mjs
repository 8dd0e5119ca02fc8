// Copies the files every package ships from the repository's root into the package being
// packed (npm runs this from the package's folder in `prepack`): LICENSE and CHANGELOG.md,
// and with --examples the bundled example scenarios. The copies are not committed.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const target = process.cwd();
for (const name of ['LICENSE', 'CHANGELOG.md']) {
  copyFileSync(path.join(root, name), path.join(target, name));
}
if (process.argv.includes('--examples')) {
  const examples = path.join(root, 'examples');
  mkdirSync(path.join(target, 'examples'), { recursive: true });
  for (const name of readdirSync(examples)) {
    if (/\.(ya?ml|json|ndjson)$/.test(name)) {
      copyFileSync(path.join(examples, name), path.join(target, 'examples', name));
    }
  }
}
