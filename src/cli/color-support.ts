/**
 * Whether to colour output written to `stream`: NO_COLOR (https://no-color.org) wins, FORCE_COLOR
 * forces, otherwise only a terminal gets escapes. Unlike picocolors' own guess, a CI variable does
 * not turn colour on: CI logs and piped output stay plain.
 */
export function colorEnabled(stream: { isTTY?: boolean } | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream?.isTTY === true && env.TERM !== 'dumb';
}
