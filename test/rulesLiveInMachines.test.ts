import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ConversionGoalTrackingStatus, UetTagTrackingStatus } from 'uet-tag-status';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/monitorSupport.js';

/*
 * The XState machines are the one definition of the rules: whatever the engine, the
 * monitor, the stores, the simulators and the tools need to know about them is derived
 * from the machines (machines/chartFacts.ts, machines/windowArithmetic.ts,
 * machines/receivedTimes.ts) and never restated. This check reads every source file
 * outside the machines and the value sets, and fails on a status spelled out as a string
 * literal (use the value sets, or ask the machines) or on arithmetic or a comparison with a
 * window (use windowEndOf and isWithinWindow). The oracle is left out on purpose: it is the
 * independent restatement of the rules that the machines are tested against.
 */

const EXEMPT = [
  /^packages\/uet-tag-status\/src\/machines\//,
  /^packages\/uet-tag-status\/src\/valueSets\//,
  /^packages\/uet-tag-status\/src\/oracle\.ts$/,
];
const STATUS_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(UetTagTrackingStatus),
  ...Object.values(ConversionGoalTrackingStatus),
]);
const WINDOW_NAMES = new Set(['activityWindowMs', 'conversionWindowMs']);
const ARITHMETIC = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
]);

/** What restates a rule in one source text: status literals and window arithmetic, by line. */
function restatedRules(source: string): string[] {
  const file = ts.createSourceFile('checked.ts', source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      STATUS_NAMES.has(node.text)
    ) {
      found.push(`line ${lineOf(node)}: status literal ${node.getText()}`);
    }
    if (ts.isBinaryExpression(node) && ARITHMETIC.has(node.operatorToken.kind)) {
      for (const side of [node.left, node.right]) {
        const name = windowNameOf(side);
        if (name !== undefined) found.push(`line ${lineOf(node)}: window arithmetic with ${name}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The window an operand names (`activityWindowMs`, `windows.activityWindowMs`), if any. */
function windowNameOf(node: ts.Expression): string | undefined {
  let inner = node;
  while (ts.isParenthesizedExpression(inner) || ts.isNonNullExpression(inner))
    inner = inner.expression;
  const name = ts.isIdentifier(inner)
    ? inner.text
    : ts.isPropertyAccessExpression(inner)
      ? inner.name.text
      : undefined;
  return name !== undefined && WINDOW_NAMES.has(name) ? name : undefined;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(repoRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(repoRoot, path.join(entry.parentPath, entry.name)))
    .filter((file) => !EXEMPT.some((pattern) => pattern.test(file)))
    .sort();
}

describe('the machines are the one definition of the rules', () => {
  it('the check finds status literals and window arithmetic, and ignores comments and value-set use', () => {
    const source = [
      "// a comment may say 'Active'",
      "if (facts.status === 'Active') due = facts.lastDataAt + windows.activityWindowMs;",
      '/* or "RecordingConversions" */ const recent = at > now - conversionWindowMs;',
      'const same = windows.activityWindowMs === stored.activityWindowMs;',
      'const status = UetTagTrackingStatus.Active;',
    ].join('\n');
    expect(restatedRules(source)).toEqual([
      "line 2: status literal 'Active'",
      'line 2: window arithmetic with activityWindowMs',
      'line 3: window arithmetic with conversionWindowMs',
    ]);
  });

  it('no source file outside the machines and the value sets restates a status or a window', () => {
    const files = [
      ...sourceFiles('packages/uet-tag-status/src'),
      ...sourceFiles('packages/uet-tag/src'),
    ];
    expect(files.length).toBeGreaterThan(50);
    const findings = files.flatMap((file) =>
      restatedRules(readFileSync(path.join(repoRoot, file), 'utf8')).map(
        (finding) => `${file} ${finding}`,
      ),
    );
    expect(findings).toEqual([]);
  });
});
