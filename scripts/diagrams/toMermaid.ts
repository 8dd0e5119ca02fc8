import { ANY_STATE, type MachineDiagram } from './describeMachine.js';
import { anyStateWords, everywhereHeading } from './words.js';

const ANY_ID = 'AnyStatus';

/**
 * A diagram as Mermaid `stateDiagram-v2` text (GitHub renders it). Multi-line edge
 * labels use `<br/>`.
 */
export function toMermaid(diagram: MachineDiagram, source: string): string {
  const lines = [
    `%% Generated from ${source} by \`npm run diagrams\`; do not edit by hand.`,
    'stateDiagram-v2',
    '  direction LR',
  ];
  for (const state of diagram.states) {
    if (state.transient) lines.push(`  state "${state.key} (transient)" as ${state.key}`);
  }
  const fromAny = diagram.edges.some((edge) => edge.from === ANY_STATE);
  if (fromAny) lines.push(`  state "${anyStateWords}" as ${ANY_ID}`);
  lines.push(`  [*] --> ${diagram.initial}`);
  for (const edge of diagram.edges) {
    const from = edge.from === ANY_STATE ? ANY_ID : edge.from;
    lines.push(`  ${from} --> ${edge.to} : ${edge.lines.map(safe).join('<br/>')}`);
  }
  if (fromAny) {
    lines.push('  classDef anyState fill:none,stroke-dasharray:4 4');
    lines.push(`  class ${ANY_ID} anyState`);
  }
  if (diagram.everywhere.length > 0) {
    lines.push(`  note right of ${diagram.initial}`);
    for (const line of [everywhereHeading, ...diagram.everywhere]) lines.push(`    ${safe(line)}`);
    lines.push('  end note');
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid ends a label at these characters; the words table never needs them. */
function safe(text: string): string {
  if (/[:;#{}"]/.test(text)) throw new Error(`cannot put "${text}" in a Mermaid label`);
  return text;
}
