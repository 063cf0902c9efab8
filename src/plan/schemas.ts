/** The plan's JSON Schemas: the whole plan, and one per step type for its options. */

import { lookupTable } from '../lib/lookup-table.js';
import { BuildPlan, stepOptionSchemas, stepTypes } from './steps.js';

export const planSchemaFiles: Record<string, unknown> = lookupTable({
  'plan/plan.schema.json': BuildPlan,
  ...Object.fromEntries(
    stepTypes.map((type) => [
      `plan/${type}.schema.json`,
      {
        $id: `https://imgc.dev/schemas/plan/${type}.json`,
        title: `imgc plan step "${type}": options`,
        ...stepOptionSchemas[type],
      },
    ]),
  ),
});
