import { ANY_STATE, type MachineDiagram } from './describeMachine.js';
import { anyStateWords, everywhereHeading } from './words.js';

const ANY_ID = '__any';

/** A diagram as Graphviz DOT: states left to right, transient states as diamonds. */
export function toDot(diagram: MachineDiagram, title: string): string {
  const lines = [
    `digraph ${diagram.id} {`,
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=14, labelloc=t, label=${quote(title)}];`,
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=12];',
    '  edge [fontname="Helvetica", fontsize=10];',
    '  __initial [shape=point, width=0.15, label=""];',
  ];
  for (const state of diagram.states) {
    lines.push(
      state.transient
        ? `  ${state.key} [shape=diamond, style=solid, label=${quote(`${state.key}\n(transient)`)}];`
        : `  ${state.key};`,
    );
  }
  if (diagram.edges.some((edge) => edge.from === ANY_STATE)) {
    lines.push(`  ${ANY_ID} [style=dashed, label=${quote(anyStateWords)}];`);
  }
  lines.push(`  __initial -> ${diagram.initial};`);
  for (const edge of diagram.edges) {
    const from = edge.from === ANY_STATE ? ANY_ID : edge.from;
    lines.push(`  ${from} -> ${edge.to} [label=${leftAligned(edge.lines)}];`);
  }
  if (diagram.everywhere.length > 0) {
    const note = [everywhereHeading, ...diagram.everywhere];
    lines.push(
      `  __everywhere [shape=note, style=solid, fontsize=10, label=${leftAligned(note)}];`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function escapeDot(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function quote(text: string): string {
  return `"${escapeDot(text).replace(/\n/g, '\\n')}"`;
}

/** Lines of a label, each left-aligned (`\l` ends a left-justified line in DOT). */
function leftAligned(lines: readonly string[]): string {
  return `"${lines.map((line) => `${escapeDot(line)}\\l`).join('')}"`;
}
