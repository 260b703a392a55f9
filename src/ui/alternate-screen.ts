/**
 * The terminal's alternate screen, as full-screen programs use it: the UI draws there and, on
 * every way out (q, an error, a signal, a crash), the terminal gets back what it showed before,
 * with no frame left in its scrollback.
 */
const ENTER = '\u001B[?1049h\u001B[H';
const LEAVE = '\u001B[?1049l';

/** Switches `out` to the alternate screen (a terminal only) and returns the way back; safe to call twice. */
export function enterAlternateScreen(out: NodeJS.WriteStream): () => void {
  if (!out.isTTY) return () => {};
  out.write(ENTER);
  let inside = true;
  const leave = () => {
    if (!inside) return;
    inside = false;
    process.off('exit', leave);
    // Writes to a terminal are synchronous, so this lands even from an 'exit' listener.
    out.write(LEAVE);
  };
  process.on('exit', leave);
  return leave;
}
