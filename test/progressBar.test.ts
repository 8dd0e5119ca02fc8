import { describe, expect, it } from 'vitest';
import type { CliIo } from '../packages/uet-tag/src/cli/cliIo.js';
import { createProgress } from '../packages/uet-tag/src/cli/progressBar.js';

function ioWith(isTTY: boolean): { io: CliIo; written: () => string } {
  let written = '';
  const stderr = {
    write: (text: string) => {
      written += text;
      return true;
    },
    isTTY,
    columns: 80,
    on: () => stderr,
    removeListener: () => stderr,
  };
  return {
    io: { stdout: { write: () => true }, stderr, setExitCode: () => {} },
    written: () => written,
  };
}

describe('createProgress', () => {
  it('draws a bar on stderr when it is a terminal, and clears it when stopped', () => {
    const { io, written } = ioWith(true);
    const progress = createProgress(io, 'replay');
    progress.update(10, 100);
    progress.update(100, 100);
    progress.stop();
    expect(written()).toContain('replay [====------------------------------------] 10% | 10/100');
    expect(written()).toContain('replay [========================================] 100% | 100/100');
    expect(written().endsWith('\u001b[2K')).toBe(true);
  });

  it('writes nothing when stderr is piped or redirected', () => {
    const { io, written } = ioWith(false);
    const progress = createProgress(io, 'replay');
    progress.update(1, 2);
    progress.stop();
    expect(written()).toBe('');
  });
});
