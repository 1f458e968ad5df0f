import type { Command } from 'commander';
import { conformanceCommands } from './conformance.js';

/** A group of CLI commands for one area, in its own file. */
export type CommandGroup = (program: Command) => void;

const groups: CommandGroup[] = [conformanceCommands];

export function registerCommandGroups(program: Command): void {
  for (const register of groups) register(program);
}
