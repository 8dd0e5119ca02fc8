import type {
  AnyMachineSnapshot,
  AnyStateMachine,
  AnyStateNode,
  AnyTransitionDefinition,
  InspectionEvent,
} from 'xstate';
import { createActor } from 'xstate';

/** Every state node below a machine's root, in document order. */
export function stateNodesOf(machine: AnyStateMachine): AnyStateNode[] {
  const nodes: AnyStateNode[] = [];
  const visit = (node: AnyStateNode) => {
    for (const child of Object.values(node.states)) {
      nodes.push(child);
      visit(child);
    }
  };
  visit(machine.root);
  return nodes;
}

/**
 * Every transition a machine defines: each branch of each event's list (guarded
 * branches and the fallback separately) and each branch of each `always` list.
 */
export function transitionsOf(machine: AnyStateMachine): AnyTransitionDefinition[] {
  return [machine.root, ...stateNodesOf(machine)].flatMap((node) => [
    ...[...node.transitions.values()].flat(),
    ...(node.always ?? []),
  ]);
}

/** A transition in words, for failure messages: source, event, branch, guard, target. */
export function describeTransition(transition: AnyTransitionDefinition): string {
  const { source } = transition;
  const eventType = transition.eventType === '' ? 'always' : transition.eventType;
  const branches =
    transition.eventType === ''
      ? (source.always ?? [])
      : (source.transitions.get(transition.eventType) ?? []);
  const guard = transition.guard === undefined ? '' : ` [${guardName(transition.guard)}]`;
  const targets = transition.target?.map((target) => target.key).join(', ') ?? '(stays)';
  return `${source.key} ${eventType} #${branches.indexOf(transition)}${guard} -> ${targets}`;
}

function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    return `${guard.name}(${guard.guards.map(guardName).join(', ')})`;
  }
  return String(guard);
}

/** What a coverage recorder found missing. */
export interface Uncovered {
  readonly states: readonly string[];
  readonly transitions: readonly string[];
}

/**
 * Records, from XState's inspection events, which state nodes and transitions of one
 * machine were taken (microsteps of other machines in the same system are ignored).
 */
export function createCoverageRecorder(machine: AnyStateMachine) {
  const allStates = stateNodesOf(machine);
  const allTransitions = transitionsOf(machine);
  const known = new Set(allTransitions);
  const stateSet = new Set(allStates);
  const takenTransitions = new Set<AnyTransitionDefinition>();
  const visitedStates = new Set<AnyStateNode>();

  function inspect(event: InspectionEvent): void {
    if (event.type !== '@xstate.microstep') return;
    for (const transition of event._transitions) {
      if (!known.has(transition)) continue;
      takenTransitions.add(transition);
      if (stateSet.has(transition.source)) visitedStates.add(transition.source);
    }
    const snapshot = event.snapshot as AnyMachineSnapshot;
    for (const node of snapshot._nodes ?? []) {
      if (stateSet.has(node)) visitedStates.add(node);
    }
  }

  function uncovered(): Uncovered {
    return {
      states: allStates.filter((node) => !visitedStates.has(node)).map((node) => node.key),
      transitions: allTransitions
        .filter((transition) => !takenTransitions.has(transition))
        .map(describeTransition),
    };
  }

  return {
    inspect,
    uncovered,
    totals: { states: allStates.length, transitions: allTransitions.length },
    covered: () => ({ states: visitedStates.size, transitions: takenTransitions.size }),
  };
}

/** A generated path's events, as `createTestModel` produces them. */
export interface ReplayablePath {
  readonly state: { readonly value: unknown };
  readonly steps: readonly { readonly event: { readonly type: string } }[];
}

/**
 * Replays generated paths on fresh actors of the machine under a coverage recorder.
 * Returns the recorder and the descriptions of paths whose replay did not end in the
 * state the model computed (there should be none).
 */
export function replayPaths(
  machine: AnyStateMachine,
  runs: readonly { readonly input: unknown; readonly paths: readonly ReplayablePath[] }[],
) {
  const recorder = createCoverageRecorder(machine);
  const divergent: string[] = [];
  for (const { input, paths } of runs) {
    paths.forEach((path, index) => {
      const actor = createActor(machine, { input, inspect: recorder.inspect }).start();
      for (const step of path.steps.slice(1)) actor.send(step.event);
      if (actor.getSnapshot().value !== path.state.value) divergent.push(`path ${index}`);
      actor.stop();
    });
  }
  return { recorder, divergent };
}
