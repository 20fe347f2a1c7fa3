import { describe, expect, it } from 'vitest';
import { createOutputBuffer } from '../src/testing/server.ts';

describe('createOutputBuffer (what a spawned server printed)', () => {
  it('When chunks arrive, then text() is them in order', () => {
    const printed = createOutputBuffer(100);

    printed.append(Buffer.from('listening on 4000\n'));
    printed.append('GET / 200\n');

    expect(printed.text()).toBe('listening on 4000\nGET / 200\n');
    expect(printed.text()).toBe('listening on 4000\nGET / 200\n'); // reading changes nothing
  });

  it('When more than the cap is printed, then text() keeps exactly the last cap characters', () => {
    const printed = createOutputBuffer(1_000);
    const lines = Array.from({ length: 5_000 }, (_, i) => `line ${String(i).padStart(4, '0')}\n`);

    for (const line of lines) printed.append(line);

    const all = lines.join('');
    expect(printed.text()).toBe(all.slice(-1_000));
    printed.append('last\n');
    expect(printed.text()).toBe(`${all}last\n`.slice(-1_000));
  });

  it('When one chunk alone is over the cap, then only its end is kept', () => {
    const printed = createOutputBuffer(10);

    printed.append('0123456789abcdef');

    expect(printed.text()).toBe('6789abcdef');
  });
});
