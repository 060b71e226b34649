// VerilatorStream against stand-in programs (no Verilator): a harness that stops reading part way (as the cross-check's
// harness does after a mismatch) must not leave a write waiting forever, and the next read reports how it ended.
import { describe, expect, it } from 'vitest';
import { VerilatorStream } from './verilator.js';

describe('VerilatorStream with a harness that exits early', () => {
  it('writes return once the harness is gone, and a read reports the early end', async () => {
    // stops reading at once, answers one word, and exits only a while later: the writes find nobody reading, and the
    // pipe breaks before the process is seen to end
    const stream = new VerilatorStream('/bin/sh', ['-c', 'exec 0<&-; printf "\\001\\000\\000\\000"; sleep 2'], 1);
    const block = new Int32Array(2 ** 18); // 1 MB, more than a pipe holds
    const wrote = (async () => {
      for (let i = 0; i < 6; i++) await stream.write(block);
      return 'done';
    })();
    const timeout = new Promise((resolve) => setTimeout(() => resolve('hung'), 1_500));
    expect(await Promise.race([wrote, timeout])).toBe('done');
    const reply = await stream.read(1);
    expect(reply[0]).toBe(1);
    await expect(stream.read(1)).rejects.toThrow(/ended early/);
    await stream.stop();
  }, 30_000);
});
