/**
 * A command's options as a table: commander's options are built from it (command-options.ts), and
 * the prestart reads a command line with it before commander has loaded (prestart.ts). One grammar.
 */

/** One option, as help shows it and the command line spells it. */
export interface OptionSpec {
  /** As commander spells them: `-o, --output <file>` (takes a value), `--no-cache` (a flag). */
  flags: string;
  description: string;
  choices?: readonly string[];
  /** Its value when not given, and the text help shows for it. */
  default?: { value: unknown; shown?: string };
  /** The value of the text given: undefined when the text is none, which `invalid` explains. */
  parse?: { value: (text: string) => unknown; invalid: string };
  /** The attribute name of an option it cannot be given with. */
  conflicts?: string;
}

/** The long name (`output`, `no-cache`), the one-letter name if any, and whether it takes a value. */
export function optionNames(spec: OptionSpec): { long: string; short?: string; takesValue: boolean } {
  const long = /--([\w-]+)/.exec(spec.flags)?.[1];
  if (long === undefined) throw new Error(`option without a long name: ${spec.flags}`);
  const short = /^-(\w)\b/.exec(spec.flags)?.[1];
  return { long, ...(short === undefined ? {} : { short }), takesValue: /[<[]/.test(spec.flags) };
}
