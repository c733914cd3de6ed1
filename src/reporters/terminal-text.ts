/**
 * Text from the scanned tree — file names, source lines, baseline entries, messages that quote
 * code, a consumer's output — as the human formats print it for a terminal or a CI log: the text
 * report, the runtime check's text, the notes on standard error (Markdown builds on `visibleText`).
 *
 * Printed as it is, such text attacks its reader. Control characters drive the terminal (an OSC 52
 * escape writes the clipboard, others retitle the window or move the cursor over earlier output),
 * and a line break lets a file name start a line of its own. In a GitHub Actions log the runner
 * executes every line that starts with `::` after leading whitespace as a workflow command
 * (`::error`, `::add-mask`, `::stop-commands`), and a legacy `##[` command anywhere in a line. So:
 * - C0 and C1 controls and DEL are shown as escapes (`\n`, `\t`, `\x1b`, `\u009b`): a value never
 *   spans lines, and nothing reaches the terminal as a control;
 * - `##[` is shown as `#\x23[`;
 * - a path that would start a line with `::` is shown as `./::…`, which names the same file.
 */

const NEEDS_ESCAPING = /[\u0000-\u001f\u007f-\u009f]|##\[/;
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One line of text as it may be shown: controls and the legacy command prefix made visible. */
export function visibleText(text: string): string {
  return NEEDS_ESCAPING.test(text) ? visiblePieces(text, [], false).join('') : text;
}

/** A path as it may be shown, also at the start of a line. */
export function visiblePath(path: string): string {
  const shown = visibleText(path);
  // The runner trims leading whitespace (its own, Unicode's) before looking for `::`.
  return /^\s*::/u.test(shown) ? `./${shown}` : shown;
}

/**
 * `text` as `visibleText` shows it, cut where it is cut at `offsets` (ascending): how wide each piece
 * is shown. A code frame's source line keeps its tabs (`keepTabs`), so that the marker under it
 * lines up. A `##[` across a cut is escaped as it is in the whole line.
 */
export function visiblePieces(text: string, offsets: readonly number[], keepTabs: boolean): string[] {
  const pieces: string[] = [];
  let piece = '';
  let cut = 0;
  for (let index = 0; index <= text.length; index++) {
    for (; cut < offsets.length && offsets[cut]! <= index; cut++) { // within length
      pieces.push(piece);
      piece = '';
    }
    if (index === text.length) break;
    const character = text[index]!; // within length
    const code = character.charCodeAt(0);
    if ((code < 0x20 && !(keepTabs && character === '\t')) || (code >= 0x7f && code <= 0x9f)) {
      piece += NAMED[character] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
    } else if (character === '#' && text[index - 1] === '#' && text[index + 1] === '[') {
      piece += '\\x23'; // `##[` -> `#\x23[`
    } else {
      piece += character;
    }
  }
  pieces.push(piece);
  return pieces;
}
