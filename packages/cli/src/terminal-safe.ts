/**
 * Text from the network is printed only through these functions: a message
 * or a name must never reach the terminal as a control sequence (ESC ] 0 ;
 * sets the window title, ESC [ 31 m colours what follows, a bare CR or a
 * newline can forge a line that looks like someone else's) or as a bidi
 * override that reorders what the reader sees.
 */

/** C0 controls and DEL, C1 controls, and the Unicode bidi embeddings, overrides, isolates and marks. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafeCharacter = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** Line breaks a terminal or a reader treats as such: CR LF, CR, LF, NEL, LS, PS. */
const lineBreak = /\r\n|[\r\n\u0085\u2028\u2029]/gu;

/** One line: every line break and control is shown escaped (`\n`, `\x1b`, `\u202e`), never acted on. */
export function safeLine(text: string): string {
  return text.replace(unsafeCharacter, escaped).replace(/[\u2028\u2029]/gu, escaped);
}

/**
 * Several lines: each line made safe, and every line after the first
 * indented by `indent`, so a continuation can never pass for a new message.
 */
export function safeLines(text: string, indent: string): string {
  return text
    .split(lineBreak)
    .map((line) => safeLine(line.replaceAll('\t', '    ')))
    .join(`\n${indent}`);
}

function escaped(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (character === '\n') return '\\n';
  if (character === '\r') return '\\r';
  if (character === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
