import type { Command } from 'commander';

/** A group of CLI commands for one area, in its own file. */
export type CommandGroup = (program: Command) => void;

const groups: CommandGroup[] = [];

export function registerCommandGroups(program: Command): void {
  for (const register of groups) register(program);
}
