import type { AnyStateMachine, AnyTransitionDefinition } from 'xstate';
import { combinatorWords, eventWords, guardWords } from './words.js';

/** A state as drawn. */
export interface DiagramState {
  readonly key: string;
  /** Left in the same step it is entered (only `always` transitions). */
  readonly transient: boolean;
}

/** The source of transitions the machine's root defines with a target: any state. */
export const ANY_STATE = '*';

/** One arrow: every transition between the same two states, one line each. */
export interface DiagramEdge {
  /** A state's key, or {@link ANY_STATE}. */
  readonly from: string;
  readonly to: string;
  readonly lines: readonly string[];
}

/** A machine as a diagram: its states, its arrows, and what it does in every state. */
export interface MachineDiagram {
  readonly id: string;
  readonly initial: string;
  readonly states: readonly DiagramState[];
  readonly edges: readonly DiagramEdge[];
  /** Transitions of the machine's root with no target: every state keeps its status on them. */
  readonly everywhere: readonly string[];
}

/**
 * Reads a flat machine's definition (its root's states and every transition, guarded
 * branches and `always` branches included) into a diagram whose edges are in words.
 * Throws for anything the words table does not know, so a new event or guard cannot be
 * drawn without a reader's name for it.
 */
export function describeMachine(machine: AnyStateMachine): MachineDiagram {
  const root = machine.root;
  const stateNodes = Object.values(root.states);
  for (const node of stateNodes) {
    if (Object.keys(node.states).length > 0) {
      throw new Error(`${machine.id}: nested state "${node.key}" cannot be drawn flat`);
    }
  }
  const states = stateNodes.map((node) => ({
    key: node.key,
    transient: (node.always?.length ?? 0) > 0 && node.transitions.size === 0,
  }));
  const initial = root.initial.target[0]?.key;
  if (initial === undefined) throw new Error(`${machine.id}: no initial state`);

  const edges = new Map<string, { from: string; to: string; lines: string[] }>();
  const addLine = (from: string, to: string, line: string) => {
    const key = `${from}\u0000${to}`;
    const edge = edges.get(key) ?? { from, to, lines: [] };
    if (!edge.lines.includes(line)) edge.lines.push(line);
    edges.set(key, edge);
  };
  const everywhere: string[] = [];

  for (const node of [root, ...stateNodes]) {
    const lists = [...node.transitions.values(), ...(node.always ? [node.always] : [])];
    for (const list of lists) {
      list.forEach((transition, index) => {
        const line = transitionInWords(machine, transition, index, list);
        const target = transition.target?.[0]?.key;
        if (node !== root) {
          addLine(node.key, target ?? node.key, line);
        } else if (target === undefined) {
          everywhere.push(line);
        } else {
          addLine(ANY_STATE, target, line);
        }
      });
    }
  }
  return { id: machine.id, initial, states, edges: [...edges.values()], everywhere };
}

function transitionInWords(
  machine: AnyStateMachine,
  transition: AnyTransitionDefinition,
  index: number,
  branches: readonly AnyTransitionDefinition[],
): string {
  const event = transition.eventType === '' ? '' : wordsFor(machine, 'event', transition.eventType);
  const guarded = branches.some((branch) => branch.guard !== undefined);
  const condition =
    transition.guard !== undefined
      ? `if ${guardInWords(machine, transition.guard)}`
      : guarded && index > 0
        ? 'otherwise'
        : '';
  return [event, condition].filter((part) => part !== '').join(', ');
}

function guardInWords(machine: AnyStateMachine, guard: unknown): string {
  if (typeof guard === 'string') return wordsFor(machine, 'guard', guard);
  if (typeof guard === 'object' && guard !== null && 'type' in guard) {
    return wordsFor(machine, 'guard', String(guard.type));
  }
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    const joiner = combinatorWords[guard.name];
    if (joiner === undefined) throw new Error(`${machine.id}: no words for guard "${guard.name}"`);
    return guard.guards.map((inner: unknown) => guardInWords(machine, inner)).join(joiner);
  }
  throw new Error(`${machine.id}: an inline guard cannot be put into words; name it in setup()`);
}

function wordsFor(machine: AnyStateMachine, kind: 'event' | 'guard', name: string): string {
  const words = (kind === 'event' ? eventWords : guardWords)[name];
  if (words === undefined) {
    throw new Error(
      `${machine.id}: no words for ${kind} "${name}"; add it to scripts/diagrams/words.ts`,
    );
  }
  return words;
}
