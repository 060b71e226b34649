// Command modules that cli.ts registers beside its built-in commands, one module per command.
import type { CommandModule } from 'yargs';
import { compareCommand } from './compare.js';
import { deviceCommand, programCommand } from './device.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module has its own argument type
export const extraCommands: CommandModule<object, any>[] = [compareCommand, programCommand, deviceCommand];
