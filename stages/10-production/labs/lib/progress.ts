// A one-line progress bar on stderr (redrawn in place on a terminal, every 10% otherwise).
export interface Progress {
  tick(done: number): void;
  finish(): void;
}

export function createProgress(label: string, total: number, unit = 'rows'): Progress {
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  let lastDraw = 0;

  function draw(done: number): void {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(ratio * width);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const text =
      `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ` +
      `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ` +
      `${seconds.toFixed(1)} s ${rate.toLocaleString('en-US')} ${unit}/s`;
    process.stderr.write(tty ? `\r${text}` : `${text}\n`);
  }

  return {
    tick(done) {
      const now = performance.now();
      const decile = Math.floor((done / Math.max(total, 1)) * 10);
      if (done >= total) return; // finish() draws the final line, with the final rate
      if (tty ? now - lastDraw > 100 : decile > lastDecile) {
        lastDraw = now;
        lastDecile = decile;
        draw(done);
      }
    },
    finish() {
      draw(total);
      if (tty) process.stderr.write('\n');
    },
  };
}
