import { z } from 'zod';
import { blankToUndefined, optionalText } from '../../../core/http/forms.ts';
import { CATEGORY_CODE } from '../rules/categories.ts';
import { IMPORT_FIELDS } from './import.ts';

/** The mapping inputs are named `map_<field>`: "which column of the file holds the name". */
export const mappingInput = (field: (typeof IMPORT_FIELDS)[number]) => `map_${field}`;

export const importFormSchema = z.object({
  source: z.string('map.import.errors.source').trim().min(1, 'map.import.errors.source').max(100),
  format: z.enum(['auto', 'csv', 'geojson']).default('auto'),
  category: z.preprocess(blankToUndefined, z.string().regex(CATEGORY_CODE, 'map.import.errors.bad_option').optional()),
  ...Object.fromEntries(IMPORT_FIELDS.map((f) => [mappingInput(f), optionalText(100)])),
});
