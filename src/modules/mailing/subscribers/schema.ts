import { z } from 'zod';
import { checkboxes, optionalText } from '../../../core/http/forms.ts';

/** The public subscribe form. Topics and language are checked against the office's own lists in the service. */
export const subscribeFormSchema = z.object({
  email: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.email().max(254)),
  name: optionalText(100),
  topics: checkboxes(z.string().max(40)).pipe(z.array(z.string()).min(1, 'mailing.subscribe.errors.topicsRequired').max(50)),
  language: z.string().max(10),
  wording: z.string().max(80).optional(),
});

export type SubscribeForm = z.output<typeof subscribeFormSchema>;

/** A token in a confirmation link: its shape only; its signature is checked by the service. */
export const tokenParams = z.object({ token: z.string().min(20).max(200).regex(/^[A-Za-z0-9_.-]+$/) });
