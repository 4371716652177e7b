import type { Context } from '../../../core/context.ts';
import { AppError } from '../../../core/http/errors.ts';
import type { FormErrors, FormResult } from '../../../core/http/forms.ts';
import type { UploadedFile } from '../../../core/http/multipart.ts';
import { chooseFilesAgain, cleanUploads } from '../../../core/uploads/index.ts';
import type { FormState } from '../../../core/views/forms.tsx';
import { STEP_PHOTOS } from '../shared/photos.ts';
import type { CaseAction, Deficiency } from './enforcement.ts';
import * as enforcement from './service.ts';

export type StepFormInput = {
  form: FormResult<{ action: CaseAction; notes?: string | undefined; deficiencies: Deficiency[] }>;
  files: UploadedFile[];
  tooManyFiles: boolean;
  photoKey: Uint8Array;
};

export type StepFormAnswer = { ok: true } | { ok: false; status: 409 | 422; form: FormState };

/** An inspector's step on a case with its photos; refused, the notes come back as typed. */
export async function receiveStepForm(ctx: Context, businessId: string, input: StepFormInput): Promise<StepFormAnswer> {
  const { form, files, tooManyFiles } = input;
  const refuse = (status: 409 | 422, errors: FormErrors): StepFormAnswer => {
    // Chosen photos are not kept (a file input never refills): say so where they were chosen.
    chooseFilesAgain(errors, { field: 'photos', chosen: files.length, message: { key: 'map.enforcement.errors.photosAgain', params: { count: files.length } } });
    return { ok: false, status, form: { values: form.values, errors } };
  };
  const errors: FormErrors = form.ok ? {} : { ...form.errors };
  // Only a forged post names another action (the buttons offer the allowed ones): one line for the form.
  if (errors.action) {
    delete errors.action;
    // With far too many files the parser stops before the button's value: no step was chosen then.
    if (!tooManyFiles) errors._form = { key: 'map.enforcement.errors.skipped' };
  }
  const { clean: photos, problem } = tooManyFiles ? { clean: [], problem: undefined } : await cleanUploads(files, 'photos', STEP_PHOTOS);
  if (tooManyFiles) errors.photos = { key: 'map.enforcement.errors.tooManyPhotos', params: { max: enforcement.MAX_STEP_PHOTOS } };
  else if (problem) errors.photos = problem;
  if (!form.ok || Object.keys(errors).length > 0) return refuse(422, errors);
  const result = await enforcement.takeStep(ctx, businessId, { ...form.data, photos: { key: input.photoKey, clean: photos } });
  if (!result.ok && result.problem === 'gone') throw new AppError('not_found');
  if (!result.ok) return refuse(409, { _form: { key: result.problem } });
  return { ok: true };
}
