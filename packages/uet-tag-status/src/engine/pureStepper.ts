import {
  type ActorScope,
  type AnyStateMachine,
  createActor,
  type EventFromLogic,
  type ExecutableActionsFrom,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';

/** Pure steps of one machine: next snapshots and the actions to run, none executed. */
export interface PureStepper<TMachine extends AnyStateMachine> {
  /** Like xstate's `transition()`: the next snapshot and the actions it would run. */
  transition(
    snapshot: SnapshotFrom<TMachine>,
    event: EventFromLogic<TMachine>,
  ): [SnapshotFrom<TMachine>, ExecutableActionsFrom<TMachine>[]];
  /** Like xstate's `initialTransition()`. */
  initialTransition(input: InputFrom<TMachine>): SnapshotFrom<TMachine>;
}

/**
 * Creates pure steppers for a machine that reuse one inert actor scope. xstate's own
 * `transition()` builds a new actor and system on every call (about 100 µs here); the
 * engine steps millions of tags, so it builds them once, on the first step (about 8 µs a step). Actions
 * are collected, never executed, exactly as `transition()` does.
 *
 * @param machine - the machine to step.
 * @param input - any valid input: only used to construct the inert actor.
 * @example
 * ```ts
 * const tagStepper = createPureStepper(tagMachine, {});
 * const [next, actions] = tagStepper.transition(snapshot, { type: 'tag.silenceElapsed', at });
 * ```
 */
export function createPureStepper<TMachine extends AnyStateMachine>(
  machine: TMachine,
  input: InputFrom<TMachine>,
): PureStepper<TMachine> {
  const collected: ExecutableActionsFrom<TMachine>[] = [];
  // Built on the first step, not here: modules make their steppers when they load, and a
  // process that never steps (a command started on empty input) need not pay for an actor.
  let scope: ActorScope<SnapshotFrom<TMachine>, EventFromLogic<TMachine>> | undefined;
  const scopeOnce = () => {
    if (scope !== undefined) return scope;
    const self = createActor(machine, { input } as never);
    scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: (action: ExecutableActionsFrom<TMachine>) => {
        collected.push(action);
      },
    } as unknown as ActorScope<SnapshotFrom<TMachine>, EventFromLogic<TMachine>>;
    return scope;
  };
  return {
    transition(snapshot, event) {
      const actorScope = scopeOnce();
      collected.length = 0;
      const next = machine.transition(snapshot, event, actorScope) as SnapshotFrom<TMachine>;
      return [next, [...collected]];
    },
    initialTransition(initialInput) {
      const actorScope = scopeOnce();
      collected.length = 0;
      return machine.getInitialSnapshot(actorScope, initialInput) as SnapshotFrom<TMachine>;
    },
  };
}
