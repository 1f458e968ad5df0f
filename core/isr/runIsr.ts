// The entry point the executor (and the CLI, the app and the worker) call: run ISR on one CCD with
// a config, get back the postISRCCD exposure, the task metadata and the frozen config.

import type { Config } from '../pipe/config/index.js';
import { CfhtIsrConfig, CfhtIsrTask } from './cfhtIsrTask.js';
import type { IsrFields } from './isrConfig.js';
import { type IsrInputs, type IsrResult, IsrTask } from './isrTask.js';

/**
 * runIsr(inputs, config) → {exposure, metadata, config, fused}. The task class follows the config
 * class (a CfhtIsrTaskConfig runs CfhtIsrTask); the config is validated and frozen.
 */
export function runIsr(inputs: IsrInputs, config?: Config<IsrFields>): IsrResult {
  const isCfht = config !== undefined && config.configClass.isSubclassOf(CfhtIsrConfig as unknown as typeof config.configClass);
  const task = isCfht ? new CfhtIsrTask({ config }) : new IsrTask(config ? { config } : {});
  return task.run(inputs);
}
