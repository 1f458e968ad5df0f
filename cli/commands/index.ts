import type { Command } from 'commander';
import { conformanceCommands } from './conformance.js';
import { butlerCommands } from './butler.js';
import { wcsCommands } from './wcs.js';
import { fitsCommands } from './fits.js';
import { registryCommands } from './registry.js';
import { instrumentCommands } from './instrument.js';
import { displayCommands } from './display.js';
import { pipeCommands } from './pipe.js';
import { isrCommands } from './isr.js';

/** A group of CLI commands for one area, in its own file. */
export type CommandGroup = (program: Command) => void;

const groups: CommandGroup[] = [conformanceCommands, butlerCommands, wcsCommands, fitsCommands, registryCommands, displayCommands, instrumentCommands, pipeCommands, isrCommands];

export function registerCommandGroups(program: Command): void {
  for (const register of groups) register(program);
}
