import type { FieldError, FormErrors } from '../http/forms.ts';

/**
 * A browser never refills a file input: when a form that carried files is refused for any
 * other reason, its file field says the files must be chosen again, or the person may think
 * they went through. A message already on that field (the file's own problem) is kept.
 * `refused` defaults to "the form has other messages"; a caller refusing for a reason with no
 * message of its own (our failure) passes true.
 */
export function chooseFilesAgain(errors: FormErrors, upload: { field: string; chosen: number; message: FieldError; refused?: boolean }): FormErrors {
  const refused = upload.refused ?? Object.keys(errors).some((key) => key !== upload.field);
  if (upload.chosen > 0 && refused && !errors[upload.field]) errors[upload.field] = upload.message;
  return errors;
}
