import type { Io } from './io.js';

/** A progress line for a long command: `label done/total` rewritten in place on the terminal. */
export interface Progress {
  /** Sets the count (redrawn at most every 100 ms, and always at the end). */
  update(done: number, total: number, detail?: string): void;
  /** Clears the line; what the command prints next starts on a clean line. */
  done(): void;
  /** Writes `text` to stdout (or stderr) above the progress line, which is redrawn after it. */
  print(text: string, stream?: 'stdout' | 'stderr'): void;
}

/**
 * Progress of a long command on stderr, only when the output is a terminal and not JSON: on a
 * pipe, in CI logs or with `--format json` it prints nothing (the command's output stays the same).
 * Plain ANSI (carriage return, erase line): no dependency.
 */
export function progress(io: Io, label: string, options: { format?: string } = {}): Progress {
  if (!io.isTTY || options.format === 'json')
    return { update() {}, done() {}, print: (t, stream = 'stdout') => io[stream](t) };
  let shown = '';
  let last = 0;
  let state = { done: 0, total: 0, detail: '' };
  const draw = () => {
    const { done, total, detail } = state;
    const pct = total ? Math.floor((done / total) * 100) : 0;
    shown = `${label} ${done}/${total} (${pct}%)${detail ? ` ${detail}` : ''}`;
    io.stderr(`\r\x1b[K${shown}`);
  };
  const clear = () => {
    if (shown) {
      io.stderr('\r\x1b[K');
      shown = '';
    }
  };
  return {
    update(done, total, detail = '') {
      state = { done, total, detail };
      const t = Date.now();
      if (t - last < 100 && done < total) return;
      last = t;
      draw();
    },
    done: clear,
    print(text, stream = 'stdout') {
      const had = Boolean(shown);
      clear();
      io[stream](text);
      if (had) draw();
    },
  };
}
