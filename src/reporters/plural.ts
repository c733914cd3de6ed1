/** `n` and its noun, in the plural unless n is 1: how the human formats count things. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
